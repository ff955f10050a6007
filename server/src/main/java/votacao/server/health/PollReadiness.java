package votacao.server.health;

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
 * take for "up".
 */
@Readiness
@ApplicationScoped
public class PollReadiness implements HealthCheck {

    @Inject
    ServerConnection connection;
    @Inject
    CurrentPoll poll;

    @Override
    public HealthCheckResponse call() {
        boolean broker = connection.isConnected();
        boolean replayed = poll.isRunning();
        String ledgerProblem = poll.ledgerProblem();
        return HealthCheckResponse.named("votacao")
                .withData("broker", broker ? "conectado" : "desconectado")
                .withData("ledger", !replayed ? "reproduzindo" : ledgerProblem == null ? "gravando" : "falhando: " + ledgerProblem)
                .status(broker && replayed && ledgerProblem == null)
                .build();
    }
}
