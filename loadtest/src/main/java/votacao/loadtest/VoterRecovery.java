package votacao.loadtest;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * The voters awaiting answers, connection by connection, and what sends their votes again (same
 * {@code message_id}; the server answers a vote it has seen as it did the first time): the recovery of
 * their connection, or a vote that looks lost after {@link #PATIENCE}: unconfirmed by the broker (with
 * --broker-confirms), or unanswered while a later vote was answered (or for {@link #LONG_PATIENCE}).
 */
final class VoterRecovery {

    /** How long a vote may go without the broker's confirm (or refusal), or its answer, before it is sent again. */
    static final Duration PATIENCE = Duration.ofSeconds(10);
    /**
     * How long a vote may go unanswered when no later vote has been answered either (a server not yet
     * started, or the run's last votes lost) before it is sent again.
     */
    static final Duration LONG_PATIENCE = Duration.ofSeconds(30);

    private final RunStats stats;
    private final boolean brokerConfirms;
    private final List<Queue<VirtualVoter>> votersOn = new ArrayList<>();
    /** How many times each connection came back from a loss. */
    private final List<LongAdder> recoveries = new ArrayList<>();

    VoterRecovery(ConnectionPool pool, RunStats stats, boolean brokerConfirms) {
        this.stats = stats;
        this.brokerConfirms = brokerConfirms;
        for (int c = 0; c < pool.size(); c++) {
            Queue<VirtualVoter> voters = new ConcurrentLinkedQueue<>();
            votersOn.add(voters);
            LongAdder recovered = new LongAdder();
            recoveries.add(recovered);
            // Once its connection has come back, every voter still unanswered whose vote went out before
            // sends it again, once: that vote may be lost (unconfirmed) and its answer surely is (it went
            // to the answer queue that was lost). Votes sent since name the new queue.
            pool.onRecovery(c, () -> {
                recovered.increment();
                long now = System.nanoTime();
                voters.forEach(voter -> {
                    if (voter.sendAgainIfSentBefore(now)) {
                        stats.sentAgainAfterRecovery.increment();
                    }
                });
            });
        }
    }

    /** Follows {@code voter}, on connection {@code connection}, until the run ends. */
    void track(int connection, VirtualVoter voter) {
        votersOn.get(connection).add(voter);
    }

    /** Every vote that looks lost goes again (see {@link VirtualVoter#sendAgainIfLost}). */
    void sendAgainTheLost() {
        long now = System.nanoTime();
        long since = now - PATIENCE.toNanos();
        long longSince = now - LONG_PATIENCE.toNanos();
        for (Queue<VirtualVoter> voters : votersOn) {
            for (VirtualVoter voter : voters) {
                if (voter.sendAgainIfLost(since, longSince)) {
                    stats.sentAgainLost.increment();
                }
            }
        }
    }

    /** How many votes went again, and why, if any did. */
    void printResends(PrintStream out) {
        if (stats.sentAgainAfterRecovery.sum() > 0) {
            out.printf("%d votes sent again (same message_id) after their connection was lost and recovered%n",
                    stats.sentAgainAfterRecovery.sum());
        }
        if (stats.sentAgainAfterNack.sum() > 0) {
            out.printf("%d votes sent again (same message_id) after the broker refused them (nack)%n",
                    stats.sentAgainAfterNack.sum());
        }
        if (stats.sentAgainLost.sum() > 0 && brokerConfirms) {
            out.printf("%d votes sent again (same message_id) after the broker had not confirmed them for %d s%n",
                    stats.sentAgainLost.sum(), PATIENCE.toSeconds());
        } else if (stats.sentAgainLost.sum() > 0) {
            out.printf("%d votes sent again (same message_id) after %d s unanswered while later votes were answered"
                    + " (or %d s in all)%n", stats.sentAgainLost.sum(), PATIENCE.toSeconds(), LONG_PATIENCE.toSeconds());
        }
    }

    /** Where the unanswered votes are, connection by connection: what a lost node or a stuck queue leaves. */
    void printUnanswered(PrintStream out) {
        for (int c = 0; c < votersOn.size(); c++) {
            Map<String, Long> unanswered = votersOn.get(c).stream().filter(voter -> !voter.isDone())
                    .collect(Collectors.groupingBy(VirtualVoter::progress, TreeMap::new,
                            Collectors.counting()));
            if (!unanswered.isEmpty()) {
                out.printf("Unanswered on connection %d (recovered %d times): %s%n", c, recoveries.get(c).sum(),
                        unanswered);
            }
        }
    }
}
