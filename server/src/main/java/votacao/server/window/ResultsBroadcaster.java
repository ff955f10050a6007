package votacao.server.window;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduler;
import votacao.server.poll.BallotBox;
import votacao.server.poll.CurrentPoll;
import votacao.server.poll.PollService;
import votacao.server.poll.PollSettings;
import votacao.server.poll.ResultAnnounced;
import votacao.server.poll.ResultsOutlet;
import votacao.server.poll.TallyChanged;
import votacao.server.poll.VoteStats;
import votacao.shared.Failures;
import votacao.shared.ServerMessage;

/**
 * Keeps every client's view of the tally current at a cost the broker sets: a result goes out only
 * once the previous one has been confirmed (every subscriber's queue holds it) and, after a slow
 * fan-out, only after a pause three times as long as it took. A large audience thus gets fewer
 * {@code parcial} messages, never a queue of them, and the votes keep the broker's attention.
 * Otherwise: at most one {@code parcial} per interval when the tally changed (or one per counted vote
 * when the interval is 0), the latest result again every few seconds for late joiners, and the
 * {@code final} once the window closes. The live page gets each result as it goes out.
 */
@ApplicationScoped
public class ResultsBroadcaster {

    private static final Logger LOG = Logger.getLogger(ResultsBroadcaster.class);
    /** quarkus-scheduler runs jobs at most once a second. */
    private static final Duration FINEST_STEP = Duration.ofSeconds(1);
    private static final Duration CONFIRM_PATIENCE = Duration.ofSeconds(10);
    /** After a fan-out that took t, the next waits QUIET_FACTOR × t: the audience gets at most a quarter of the broker. */
    private static final int QUIET_FACTOR = 3;
    private static final Duration MAX_QUIET = Duration.ofSeconds(10);

    @Inject
    CurrentPoll poll;
    @Inject
    PollService service;
    @Inject
    ResultsOutlet outlet;
    @Inject
    PollSettings settings;
    @Inject
    Scheduler scheduler;
    @Inject
    Event<ResultAnnounced> announced;
    @Inject
    VoteStats stats;

    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean finalSent;
    private volatile long sentVersion = -1;
    private volatile long quietUntilNanos;

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

    /** With no coalescing interval, each counted vote asks for a {@code parcial}; the pacing still applies. */
    void onTallyChanged(@Observes TallyChanged change) {
        publishIfChanged();
    }

    void publishIfChanged() {
        BallotBox box = poll.box();
        if (box != null && !poll.isFinalPublished() && box.version() != sentVersion) {
            send(poll.result(), box.version());
        }
    }

    void publishLatest() {
        BallotBox box = poll.box();
        if (box != null) {
            send(poll.result(), box.version());
        }
    }

    /** Closes the poll when its time is up, and sends the final result as soon as the pacing lets it go. */
    void closeWhenDue() {
        BallotBox box = poll.box();
        if (box == null || !box.isClosed(Instant.now())) {
            return;
        }
        if (closing.compareAndSet(false, true)) {
            service.close().thenAccept(result -> send(result, box.version()));
        } else if (poll.isFinalPublished() && !finalSent) {
            send(poll.result(), box.version());
        }
    }

    private void send(ServerMessage result, long version) {
        if (poll.isFenced()) {
            return; // another server took over: its results are the poll's
        }
        if (System.nanoTime() < quietUntilNanos || !inFlight.compareAndSet(false, true)) {
            stats.broadcastDeferred();
            return;
        }
        sentVersion = version;
        finalSent |= ServerMessage.FINAL.equals(result.tipo());
        announced.fire(new ResultAnnounced(result));
        long started = System.nanoTime();
        // A publish lost with the connection may never be confirmed nor refused: stop waiting for it.
        outlet.publish(result).toCompletableFuture().orTimeout(CONFIRM_PATIENCE.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ok, failure) -> {
                    long took = System.nanoTime() - started;
                    if (failure == null) {
                        stats.broadcastConfirmed(took);
                        // The broker spent about this long on the fan-out: give the votes three times as long.
                        quietUntilNanos = System.nanoTime() + Math.min(QUIET_FACTOR * took, MAX_QUIET.toNanos());
                    } else {
                        LOG.warnf("Could not broadcast the %s result: %s", result.tipo(), Failures.describe(failure));
                    }
                    inFlight.set(false);
                });
    }
}
