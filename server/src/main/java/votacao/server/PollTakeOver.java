package votacao.server;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import com.rabbitmq.client.Connection;

import votacao.server.amqp.Baton;
import votacao.server.amqp.BrokerAddress;
import votacao.server.amqp.Ledger;
import votacao.server.amqp.LedgerFollower;
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
 * A started server's way from standby to the one that decides: it reads the ledger up to its start and
 * follows it on, waits until the broker hands it a vote (no other server holds the votes), then writes
 * its activation, takes the poll the ledger holds (or opens a new one) and lets the workers decide. A
 * newer server's activation fences it off.
 */
final class PollTakeOver implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PollTakeOver.class);

    /** The collaborators a take-over acts on, as the server's startup has them. */
    record Parts(PollSettings settings, CurrentPoll poll, ResultsBroadcaster results, VoteStats stats,
            BrokerAddress address) {
    }

    private final Parts parts;
    private final PollSettings settings;
    private final Connection connection;
    private final Ledger ledger;
    private final Standby standby = new Standby(this::fencedOff);
    private LedgerFollower follower;

    PollTakeOver(Parts parts, Connection connection, Ledger ledger) {
        this.parts = parts;
        this.settings = parts.settings();
        this.connection = connection;
        this.ledger = ledger;
    }

    /**
     * Reads the ledger up to this start and follows it on; the server then waits to be chosen by the broker
     * (a delivery from votos: see CurrentPoll.takeOver) and puts its baton in the queue, which brings that
     * delivery at once when no other server holds one.
     *
     * @param stopping set when the server stops: the baton is then no longer put back
     */
    void standBy(Eligibility eligibility, AtomicBoolean stopping)
            throws IOException, InterruptedException, ExecutionException, TimeoutException {
        follower = new LedgerFollower(connection, ledger.stream(), standby::read, offset ->
                LOG.warnf("Ledger %s: the message at offset %d is not a ledger entry; skipped", ledger.stream(), offset));
        ledger.append(LedgerEntry.start(standby.startMark())).get(30, TimeUnit.SECONDS);
        follower.start();
        long timeout = settings.ledger().replayTimeout().toSeconds();
        if (!standby.awaitCaughtUp(timeout, TimeUnit.SECONDS)) {
            throw new TimeoutException("the ledger replay did not reach its start mark within " + timeout + " s");
        }
        parts.poll().standBy(() -> takeOver(eligibility));
        parts.stats().watchRole(parts.poll());
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
        BallotBox box = parts.poll().box();
        parts.stats().watchTally(box);
        parts.results().start();
        LOG.infof("Voting server ready: broker %s, poll %s, options %s, %s, %d workers, partial results every %s, %s",
                parts.address(), box.pollId(), box.options(), describeWindow(box), settings.workers(),
                settings.parcial().intervalo().isZero() ? "vote" : settings.parcial().intervalo().toSeconds() + " s",
                eligibility.isSigned() ? "signed credentials for poll '" + eligibility.poll() + "'" : "open voting");
    }

    /** Another server took over (its activation is newer than this one's): this one decides nothing more. */
    private void fencedOff(String newer) {
        parts.poll().fence();
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
            box = new BallotBox(UUID.randomUUID().toString(), settings.opcoes(), Instant.now().plus(settings.duracao()));
            ledger.append(LedgerEntry.opening(box.pollId(), box.options(), box.closesAt().toString(), eligibility.poll()))
                    .get(30, TimeUnit.SECONDS);
            LOG.infof("Ledger %s: %d entries replayed in %d ms; new poll %s opened", ledger.stream(), entries, millis,
                    box.pollId());
        } else {
            LOG.infof("Ledger %s: %d entries replayed in %d ms; poll %s resumed with %d votes %s", ledger.stream(),
                    entries, millis, box.pollId(), history.votes(), box.tally());
        }
        parts.poll().start(box, ledger, eligibility, activation);
    }

    private static String describeWindow(BallotBox box) {
        Duration left = Duration.between(Instant.now(), box.closesAt());
        if (left.isNegative() || left.isZero()) {
            return "closed at " + box.closesAt();
        }
        return "closes at " + box.closesAt() + " (in " + left.toSeconds() + " s)";
    }

    /** Stops following the ledger. */
    @Override
    public void close() {
        if (follower != null) {
            follower.close();
        }
    }
}
