package votacao.server.health;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import votacao.server.poll.CurrentPoll;
import votacao.server.amqp.ServerConnection;

/**
 * Ready to take votes: the broker is reachable and the ledger has been replayed. Before that, votes
 * would only wait in the queue, which is safe but not what a load balancer or an operator should
 * take for "up". A standby (it follows the ledger and takes over when the active server goes) is
 * ready too, and says so ({@code papel}); a server another one took over from is not.
 */
@Readiness
@ApplicationScoped
public class PollReadiness implements HealthCheck {

    /** The role as operators read it (Portuguese, as everything the server says). */
    public static final Map<CurrentPoll.Role, String> ROLES = Map.of(CurrentPoll.Role.STARTING, "iniciando",
            CurrentPoll.Role.STANDBY, "reserva", CurrentPoll.Role.ACTIVE, "ativo", CurrentPoll.Role.FENCED, "substituido");

    @Inject
    ServerConnection connection;
    @Inject
    CurrentPoll poll;

    @Override
    public HealthCheckResponse call() {
        boolean broker = connection.isConnected();
        CurrentPoll.Role role = poll.role();
        String ledgerProblem = poll.ledgerProblem();
        String ledger = switch (role) {
            case STARTING -> "reproduzindo";
            case STANDBY, FENCED -> "acompanhando";
            case ACTIVE -> ledgerProblem == null ? "gravando" : "falhando: " + ledgerProblem;
        };
        return HealthCheckResponse.named("votacao")
                .withData("broker", broker ? "conectado" : "desconectado")
                .withData("papel", ROLES.get(role))
                .withData("ledger", ledger)
                .status(broker && (role == CurrentPoll.Role.STANDBY || role == CurrentPoll.Role.ACTIVE && ledgerProblem == null))
                .build();
    }
}
