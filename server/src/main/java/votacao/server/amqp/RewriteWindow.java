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

    private record Confirmed(long nanos, LedgerEntry entry) {
    }

    private final Deque<Confirmed> confirmed = new ArrayDeque<>();

    /** Entries the broker has just confirmed. */
    synchronized void remember(List<LedgerEntry> entries) {
        long now = System.nanoTime();
        for (LedgerEntry entry : entries) {
            confirmed.addLast(new Confirmed(now, entry));
        }
        while (!confirmed.isEmpty()
                && (confirmed.size() > MAX_ENTRIES || now - confirmed.peekFirst().nanos() > WINDOW_NANOS)) {
            confirmed.removeFirst();
        }
    }

    /** The entries confirmed within the window, oldest first; the window is empty after. */
    synchronized List<LedgerEntry> takeAll() {
        List<LedgerEntry> entries = new ArrayList<>(confirmed.size());
        confirmed.forEach(c -> entries.add(c.entry()));
        confirmed.clear();
        return entries;
    }
}
