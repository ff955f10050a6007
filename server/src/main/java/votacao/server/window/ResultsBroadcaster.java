package votacao.server.window;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduler;
import votacao.server.CurrentPoll;
import votacao.server.PollSettings;
import votacao.server.decision.BallotBox;
import votacao.server.ledger.LedgerEntry;
import votacao.server.messaging.FanoutSender;
import votacao.server.web.ResultsFeed;
import votacao.shared.ServerMessage;

/**
 * Keeps every client's view of the tally current at a bounded cost: at most one {@code parcial} per
 * interval and only when the tally changed (or one per counted vote when the interval is 0), the
 * latest result again every few seconds for clients that join late, and the {@code final} once the
 * window closes. The live page in the browsers gets each of them too, at the same pace.
 */
@ApplicationScoped
public class ResultsBroadcaster {

    private static final Logger LOG = Logger.getLogger(ResultsBroadcaster.class);
    /** quarkus-scheduler runs jobs at most once a second. */
    private static final Duration FINEST_STEP = Duration.ofSeconds(1);
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(10);

    @Inject
    CurrentPoll poll;
    @Inject
    FanoutSender fanout;
    @Inject
    PollSettings settings;
    @Inject
    Scheduler scheduler;
    @Inject
    ResultsFeed pages;

    private long sentVersion = -1;

    /** Starts the periodic jobs; called once the poll is running. */
    public void start() {
        Duration interval = settings.parcial().intervalo();
        if (!interval.isZero()) {
            every("parcial", interval, this::publishIfChanged);
        }
        every("reenvio", settings.parcial().reenvio(), this::publishLatest);
        every("encerramento", FINEST_STEP, this::closeWhenDue);
    }

    private void every(String name, Duration interval, Runnable task) {
        if (interval.compareTo(FINEST_STEP) < 0) {
            LOG.warnf("votacao: %s every %d ms is below the scheduler's step; using 1 s", name, interval.toMillis());
            interval = FINEST_STEP;
        }
        scheduler.newJob("votacao-" + name)
                .setInterval(interval.toString())
                .setConcurrentExecution(ConcurrentExecution.SKIP)
                .setTask(execution -> task.run())
                .schedule();
    }

    /** A vote was counted: with no coalescing interval, the clients hear of it at once. */
    public void tallyChanged() {
        if (settings.parcial().intervalo().isZero()) {
            publishIfChanged();
        }
    }

    synchronized void publishIfChanged() {
        BallotBox box = poll.box();
        if (box == null || poll.isFinalPublished()) {
            return;
        }
        long version = box.version();
        if (version != sentVersion) {
            sentVersion = version;
            send(ServerMessage.partial(box.tally(), box.closesAt()));
        }
    }

    synchronized void publishLatest() {
        BallotBox box = poll.box();
        if (box == null) {
            return;
        }
        long version = box.version();
        ServerMessage latest = poll.result();
        if (ServerMessage.PARCIAL.equals(latest.tipo())) {
            sentVersion = version;
        }
        send(latest);
    }

    void closeWhenDue() {
        BallotBox box = poll.box();
        if (box == null || poll.isFinalPublished() || !box.isClosed(Instant.now())) {
            return;
        }
        awaitPendingVotes(box);
        synchronized (this) {
            if (!poll.markFinalPublished()) {
                return;
            }
            ServerMessage result = ServerMessage.finalResult(box.tally(), box.closesAt());
            send(result);
            LOG.infof("Poll %s closed. Final result: %s (%d votes)", box.pollId(), result.resultado(), result.total());
        }
        poll.ledger().append(LedgerEntry.closing(box.pollId()))
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        LOG.warnf("The closing of poll %s was not recorded in the ledger: %s", box.pollId(),
                                failure.getMessage());
                    }
                });
    }

    /** Votes accepted before the close but not yet durable still belong in the final result. */
    private static void awaitPendingVotes(BallotBox box) {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (box.pending() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void send(ServerMessage message) {
        pages.publish(message);
        fanout.send(message, null).subscribe().with(
                ok -> {
                },
                failure -> LOG.warnf("Could not broadcast the %s result: %s", message.tipo(), failure.getMessage()));
    }
}
