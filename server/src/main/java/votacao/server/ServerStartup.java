package votacao.server;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.rabbitmq.client.Connection;

import io.quarkus.runtime.annotations.CommandLineArguments;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import votacao.server.amqp.Ledger;
import votacao.server.amqp.ServerConnection;
import votacao.server.poll.CurrentPoll;
import votacao.server.poll.Eligibility;
import votacao.server.poll.PollSettings;
import votacao.server.poll.VoteStats;
import votacao.server.window.ResultsBroadcaster;
import votacao.shared.Failures;

/**
 * Brings the server up in the only safe order: reach the broker, check the settings, then stand by with
 * the ledger read ({@link PollTakeOver}); the vote workers decide only once this server has taken the
 * poll over (they wait for it).
 *
 * <p>Started with the argument {@value #RECOUNT}, it only replays the ledger, prints the tally it holds
 * and exits ({@link Recount}).
 */
@ApplicationScoped
public class ServerStartup {

    private static final Logger LOG = Logger.getLogger(ServerStartup.class);
    static final String RECOUNT = "recontar";
    /**
     * How much longer than a poll's window the ledger keeps its record at least: a server may be down a while
     * after the close and must still find the poll to publish its final result.
     */
    private static final Duration MIN_RETENTION_MARGIN = Duration.ofDays(1);

    @Inject
    PollSettings settings;
    @Inject
    ServerConnection server;
    @Inject
    CurrentPoll poll;
    @Inject
    ResultsBroadcaster results;
    @Inject
    VoteStats stats;
    @Inject
    @CommandLineArguments
    String[] arguments;

    private volatile Connection connection;
    private Ledger ledger;
    private PollTakeOver takeOver;
    private final AtomicBoolean stopping = new AtomicBoolean();

    void onStart(@Observes StartupEvent event) {
        try {
            connection = server.open();
        } catch (IOException | TimeoutException e) {
            LOG.errorf("Cannot reach RabbitMQ at %s (%s). Start the broker (docker compose up -d) or point the server "
                    + "at it with RABBITMQ_HOST, RABBITMQ_PORT, RABBITMQ_USERNAME, RABBITMQ_PASSWORD.", server.address(),
                    Failures.describe(e));
            ServerMain.exit(1);
            return;
        }
        boolean recount = arguments.length > 0 && RECOUNT.equals(arguments[0]);
        try {
            if (recount) {
                ServerMain.exit(new Recount(connection, settings.ledger())
                        .exitCode(List.of(arguments).subList(1, arguments.length)));
                return;
            }
            server.learnDirectReplyNodes();
            Duration retention = settings.ledger().retencao();
            if (trimsARunningPoll(retention)) {
                LOG.errorf("votacao.ledger.retencao (%s) must exceed votacao.duracao (%s) by a day at least, or be 0"
                        + " (for ever): the ledger must never trim a running poll.", retention, settings.duracao());
                ServerMain.exit(1);
                return;
            }
            Eligibility eligibility;
            try {
                eligibility = EligibilityFromConfig.read(settings);
            } catch (IllegalArgumentException e) {
                LOG.errorf("Cannot start: %s", e.getMessage());
                ServerMain.exit(1);
                return;
            }
            ledger = new Ledger(connection, settings.ledger().stream(), retention, settings.replicas().orElse(null),
                    stats::ledgerBatch);
            takeOver = new PollTakeOver(new PollTakeOver.Parts(settings, poll, results, stats, server.address()),
                    connection, ledger);
            takeOver.standBy(eligibility, stopping);
        } catch (IOException | TimeoutException | ExecutionException e) {
            LOG.errorf("Cannot start the poll from ledger %s: %s", settings.ledger().stream(), Failures.describe(e));
            ServerMain.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True when the ledger would drop a poll's votes before its window (and a day's margin) is over. */
    private boolean trimsARunningPoll(Duration retention) {
        return !retention.isZero() && retention.compareTo(settings.duracao().plus(MIN_RETENTION_MARGIN)) < 0;
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping.set(true);
        if (takeOver != null) {
            takeOver.close();
        }
        if (ledger != null) {
            ledger.close();
        }
        server.close();
    }
}
