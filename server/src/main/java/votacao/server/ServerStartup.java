package votacao.server;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.rabbitmq.client.Connection;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.ChannelRegistry;
import votacao.server.decision.BallotBox;
import votacao.server.ledger.Ledger;
import votacao.server.ledger.LedgerEntry;
import votacao.server.ledger.LedgerReplay;
import votacao.server.ledger.PollHistory;
import votacao.server.window.ResultsBroadcaster;

/**
 * Brings the server up in the only safe order: reach the broker, replay the ledger into the poll it
 * records (or open a new poll), and only then let the paused {@code votos} channel deliver votes.
 */
@ApplicationScoped
public class ServerStartup {

    private static final Logger LOG = Logger.getLogger(ServerStartup.class);

    @Inject
    PollSettings settings;
    @Inject
    BrokerAddress broker;
    @Inject
    CurrentPoll poll;
    @Inject
    ResultsBroadcaster results;
    @Inject
    ChannelRegistry channels;

    private Connection connection;
    private Ledger ledger;

    void onStart(@Observes StartupEvent event) {
        try {
            connection = broker.connect("votacao-server");
        } catch (IOException | TimeoutException e) {
            LOG.errorf("Cannot reach RabbitMQ at %s (%s). Start the broker (docker compose up -d) or point the server "
                    + "at it with RABBITMQ_HOST, RABBITMQ_PORT, RABBITMQ_USERNAME, RABBITMQ_PASSWORD.", broker,
                    describe(e));
            Quarkus.asyncExit(1);
            return;
        }
        try {
            ledger = new Ledger(connection, settings.ledger().stream());
            openPoll();
        } catch (IOException | TimeoutException | ExecutionException e) {
            LOG.errorf("Cannot start the poll from ledger %s: %s", settings.ledger().stream(), describe(e));
            Quarkus.asyncExit(1);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        channels.getPausable("votos").resume();
        results.start();
        BallotBox box = poll.box();
        LOG.infof("Voting server ready: broker %s, poll %s, options %s, %s, %d workers, partial results every %s",
                broker, box.pollId(), box.options(), describeWindow(box), settings.workers(),
                settings.parcial().intervalo().isZero() ? "vote" : settings.parcial().intervalo().toSeconds() + " s");
    }

    private void openPoll() throws IOException, InterruptedException, ExecutionException, TimeoutException {
        String mark = UUID.randomUUID().toString();
        ledger.append(LedgerEntry.start(mark)).get(30, TimeUnit.SECONDS);
        PollHistory history = new PollHistory();
        long started = System.nanoTime();
        long entries = new LedgerReplay(connection, ledger.stream())
                .readUpTo(mark, history::apply, settings.ledger().replayTimeout().toSeconds());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        BallotBox box = history.latest();
        if (box == null || history.finalPublished() || settings.novaEnquete()) {
            box = newPoll();
            ledger.append(LedgerEntry.opening(box.pollId(), box.options(), box.closesAt().toString()))
                    .get(30, TimeUnit.SECONDS);
            LOG.infof("Ledger %s: %d entries replayed in %d ms; new poll %s opened", ledger.stream(), entries, millis,
                    box.pollId());
            poll.start(box, ledger, false);
        } else {
            LOG.infof("Ledger %s: %d entries replayed in %d ms; poll %s resumed with %d votes %s", ledger.stream(),
                    entries, millis, box.pollId(), history.votes(), box.tally());
            poll.start(box, ledger, false);
        }
    }

    private BallotBox newPoll() {
        Instant closesAt = Instant.now().plus(settings.duracao());
        return new BallotBox(UUID.randomUUID().toString(), settings.opcoes(), closesAt);
    }

    private static String describeWindow(BallotBox box) {
        Duration left = Duration.between(Instant.now(), box.closesAt());
        if (left.isNegative() || left.isZero()) {
            return "closed at " + box.closesAt();
        }
        return "closes at " + box.closesAt() + " (in " + left.toSeconds() + " s)";
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (ledger != null) {
            ledger.close();
        }
        if (connection != null && connection.isOpen()) {
            try {
                connection.close(2000);
            } catch (IOException e) {
                LOG.debugf("closing the ledger connection: %s", e.getMessage());
            }
        }
    }
}
