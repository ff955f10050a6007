package votacao.server.poll;

import java.util.concurrent.CompletableFuture;

/** Where the poll's record is appended (the broker's ledger stream, in {@code amqp/}). */
public interface LedgerWriter {

    /**
     * Appends an entry. The future completes once the entry is durable; the writer keeps trying while
     * the broker is away, and fails the future only when it is closed.
     */
    CompletableFuture<Void> append(LedgerEntry entry);

    /** Why appends are failing now (they are being retried), or null when the last one went through. */
    default String problem() {
        return null;
    }
}
