package votacao.server.amqp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import votacao.server.poll.LedgerEntry;

/**
 * The ledger entries confirmed in the last seconds, to write again after the connection to the broker is
 * lost. A broker that shuts down confirms the messages still in flight to a queue that stopped normally,
 * whether or not the queue wrote them; they are the last ones confirmed before the loss. Writing them
 * again is harmless: the replay counts a voter once.
 */
final class RewriteWindow {

    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int MAX_ENTRIES = 100_000;

    /** One confirmed batch: kept as it came, not entry by entry (this runs for every batch). */
    private record Confirmed(long nanos, List<LedgerEntry> entries) {
    }

    private final Deque<Confirmed> confirmed = new ArrayDeque<>();
    private int entries;

    /** A batch of entries the broker has just confirmed. */
    synchronized void remember(List<LedgerEntry> batch) {
        long now = System.nanoTime();
        confirmed.addLast(new Confirmed(now, batch));
        entries += batch.size();
        while (confirmed.size() > 1
                && (entries > MAX_ENTRIES || now - confirmed.peekFirst().nanos() > WINDOW_NANOS)) {
            entries -= confirmed.removeFirst().entries().size();
        }
    }

    /** The entries confirmed within the window, oldest first; the window is empty after. */
    synchronized List<LedgerEntry> takeAll() {
        List<LedgerEntry> all = new ArrayList<>(entries);
        confirmed.forEach(c -> all.addAll(c.entries()));
        confirmed.clear();
        entries = 0;
        return all;
    }
}
