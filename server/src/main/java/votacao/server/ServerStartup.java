package votacao.server;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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
import votacao.server.amqp.Baton;
import votacao.server.amqp.Ledger;
import votacao.server.amqp.LedgerFollower;
import votacao.server.amqp.ServerConnection;
import votacao.server.poll.BallotBox;
import votacao.server.poll.CurrentPoll;
import votacao.server.poll.Eligibility;
import votacao.server.poll.LedgerEntry;
import votacao.server.poll.PollHistory;
import votacao.server.poll.PollSettings;
import votacao.server.poll.VoteStats;
import votacao.server.window.ResultsBroadcaster;
import votacao.shared.Failures;
import votacao.shared.Protocol;

/**
 * Brings the server up in the only safe order: reach the broker, replay the ledger into the poll it
 * records (or open a new poll), and only then let the vote workers decide (they wait for it).
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
    private Standby standby;
    private LedgerFollower follower;
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
                boolean agrees;
                try {
                    agrees = new Recount(connection, settings.ledger()).run(List.of(arguments).subList(1, arguments.length));
                } catch (IllegalArgumentException e) {
                    LOG.errorf("Cannot recount: %s", e.getMessage());
                    ServerMain.exit(2);
                    return;
                } catch (IOException e) {
                    LOG.errorf("Cannot recount the ledger %s: %s", settings.ledger().stream(), e.getMessage());
                    ServerMain.exit(1);
                    return;
                }
                ServerMain.exit(agrees ? 0 : 1);
                return;
            }
            Duration retention = settings.ledger().retencao();
            if (!retention.isZero() && retention.compareTo(settings.duracao().plus(MIN_RETENTION_MARGIN)) < 0) {
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
            standBy(eligibility);
        } catch (IOException | TimeoutException | ExecutionException e) {
            LOG.errorf("Cannot start the poll from ledger %s: %s", settings.ledger().stream(), Failures.describe(e));
            ServerMain.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads the ledger up to this start and follows it on; the server then waits to be chosen by the broker
     * (a delivery from votos: see CurrentPoll.takeOver) and puts its baton in the queue, which brings that
     * delivery at once when no other server holds one.
     */
    private void standBy(Eligibility eligibility)
            throws IOException, InterruptedException, ExecutionException, TimeoutException {
        standby = new Standby(this::fencedOff);
        follower = new LedgerFollower(connection, ledger.stream(), standby::read, offset ->
                LOG.warnf("Ledger %s: the message at offset %d is not a ledger entry; skipped", ledger.stream(), offset));
        ledger.append(LedgerEntry.start(standby.startMark())).get(30, TimeUnit.SECONDS);
        follower.start();
        long timeout = settings.ledger().replayTimeout().toSeconds();
        if (!standby.awaitCaughtUp(timeout, TimeUnit.SECONDS)) {
            throw new TimeoutException("the ledger replay did not reach its start mark within " + timeout + " s");
        }
        poll.standBy(() -> takeOver(eligibility));
        stats.watchRole(poll);
        Baton.put(connection, Protocol.VOTES_QUEUE, stopping);
        LOG.infof("Ledger %s: %d entries read in %d ms; standing by: this server decides once the broker hands it"
                + " the votes (at once if no other server does)", ledger.stream(), standby.entriesToStart(),
                standby.replayMillis());
    }

    /** Makes this server the one that decides: called once, on the first delivery from votos. */
    private void takeOver(Eligibility eligibility) {
        LOG.info("Taking over: the broker handed this server a delivery from votos");
        try {
            String activation = standby.newActivation();
            ledger.append(LedgerEntry.activation(activation)).get(30, TimeUnit.SECONDS);
            PollHistory history = standby.awaitActivation(settings.ledger().replayTimeout().toSeconds(), TimeUnit.SECONDS);
            follower.readOnlyActivations();
            openPoll(history, eligibility, activation);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while taking over", e);
        } catch (Exception e) {
            // The vote goes back to the queue and the next delivery tries again.
            LOG.errorf("Cannot take over the poll: %s", Failures.describe(e));
            throw new IllegalStateException("cannot take over the poll: " + Failures.describe(e), e);
        }
        BallotBox box = poll.box();
        stats.watchTally(box);
        results.start();
        LOG.infof("Voting server ready: broker %s, poll %s, options %s, %s, %d workers, partial results every %s, %s",
                server.address(), box.pollId(), box.options(), describeWindow(box), settings.workers(),
                settings.parcial().intervalo().isZero() ? "vote" : settings.parcial().intervalo().toSeconds() + " s",
                poll.eligibility().isSigned() ? "signed credentials for poll '" + poll.eligibility().poll() + "'"
                        : "open voting");
    }

    /** Another server took over (its activation is newer than this one's): this one decides nothing more. */
    private void fencedOff(String newer) {
        poll.fence();
        LOG.errorf("Another server took over the poll (ledger activation %s): this one decides nothing more and"
                + " stops. Start it again to have a standby.", newer);
        ServerMain.exit(3);
    }

    /**
     * Takes the poll the ledger holds up to this server's activation, or opens a new one when it holds none,
     * the latest one is over, or this start asked for a new one (and no other server took over meanwhile:
     * then the poll is theirs, and resumed).
     */
    private void openPoll(PollHistory history, Eligibility eligibility, String activation)
            throws InterruptedException, ExecutionException, TimeoutException {
        long entries = standby.entriesToStart();
        long millis = standby.replayMillis();
        BallotBox box = history.latest();
        if (box == null || history.finalPublished() || settings.novaEnquete() && !standby.othersTookOver()) {
            box = newPoll();
            ledger.append(LedgerEntry.opening(box.pollId(), box.options(), box.closesAt().toString(), eligibility.poll()))
                    .get(30, TimeUnit.SECONDS);
            LOG.infof("Ledger %s: %d entries replayed in %d ms; new poll %s opened", ledger.stream(), entries, millis,
                    box.pollId());
        } else {
            LOG.infof("Ledger %s: %d entries replayed in %d ms; poll %s resumed with %d votes %s", ledger.stream(),
                    entries, millis, box.pollId(), history.votes(), box.tally());
        }
        poll.start(box, ledger, eligibility, activation);
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

    void onStop(@Observes ShutdownEvent event) {
        stopping.set(true);
        if (follower != null) {
            follower.close();
        }
        if (ledger != null) {
            ledger.close();
        }
        server.close();
    }
}
