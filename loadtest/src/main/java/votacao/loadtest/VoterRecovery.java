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
 * their connection, or a broker that has neither confirmed nor refused a vote for {@link #CONFIRM_PATIENCE}.
 */
final class VoterRecovery {

    /** How long a vote may go without the broker's confirm (or refusal) before it is sent again. */
    static final Duration CONFIRM_PATIENCE = Duration.ofSeconds(10);

    private final RunStats stats;
    private final List<Queue<VirtualVoter>> votersOn = new ArrayList<>();
    /** How many times each connection came back from a loss. */
    private final List<LongAdder> recoveries = new ArrayList<>();

    VoterRecovery(ConnectionPool pool, RunStats stats) {
        this.stats = stats;
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

    /** Every vote the broker has left without a confirm or a refusal for {@link #CONFIRM_PATIENCE} goes again. */
    void sendAgainTheUnconfirmed() {
        long since = System.nanoTime() - CONFIRM_PATIENCE.toNanos();
        for (Queue<VirtualVoter> voters : votersOn) {
            for (VirtualVoter voter : voters) {
                if (voter.sendAgainIfUnconfirmedSince(since)) {
                    stats.sentAgainUnconfirmed.increment();
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
        if (stats.sentAgainUnconfirmed.sum() > 0) {
            out.printf("%d votes sent again (same message_id) after the broker had not confirmed them for %d s%n",
                    stats.sentAgainUnconfirmed.sum(), CONFIRM_PATIENCE.toSeconds());
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
