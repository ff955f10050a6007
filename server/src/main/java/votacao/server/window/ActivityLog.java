package votacao.server.window;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import votacao.server.poll.CurrentPoll;
import votacao.server.poll.VoteStats;

/** The periodic INFO line that tells an operator how the poll is going, only when something happened. */
@Startup
@ApplicationScoped
public class ActivityLog {

    private static final Logger LOG = Logger.getLogger(ActivityLog.class);

    @Inject
    VoteStats stats;
    @Inject
    CurrentPoll poll;

    private long lastAccepted;
    private long lastRefused;
    private long lastDeadLettered;
    private long lastRepeated;
    private long lastNanos = System.nanoTime();

    @Scheduled(every = "${votacao.resumo:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "${votacao.resumo:10s}")
    synchronized void summarize() {
        if (!poll.isRunning()) {
            return;
        }
        long accepted = stats.acceptedCount();
        long refused = stats.refusedCount();
        long deadLettered = stats.deadLetteredCount();
        long repeated = stats.repeatedCount();
        if (accepted < lastAccepted || refused < lastRefused) {
            return; // the meters were closed: the server is stopping
        }
        long now = System.nanoTime();
        boolean changed = accepted != lastAccepted || refused != lastRefused || deadLettered != lastDeadLettered
                || repeated != lastRepeated;
        if (changed) {
            double seconds = (now - lastNanos) / 1e9;
            LOG.infof("Votes: %d accepted (%.1f/s), %d refused (%.1f/s), %d repeated, %d set aside; tally %s",
                    accepted, (accepted - lastAccepted) / seconds, refused, (refused - lastRefused) / seconds,
                    repeated, deadLettered, poll.box().tally());
        }
        lastAccepted = accepted;
        lastRefused = refused;
        lastDeadLettered = deadLettered;
        lastRepeated = repeated;
        lastNanos = now;
    }
}
