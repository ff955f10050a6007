package votacao.server;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import votacao.server.poll.LedgerEntry;
import votacao.server.poll.PollHistory;

/**
 * What a server knows of the poll before it decides: the ledger read into a {@link PollHistory}, from
 * the first entry up to this start's mark and then on as other servers write, until this server takes
 * over. Then it appends its {@code ativacao} and takes the poll as the ledger holds it up to that entry;
 * from there on it only watches for a newer server's activation, which fences it off.
 *
 * <p>The ledger's follower calls {@link #read} on its one thread; {@link #activate} runs on a vote
 * worker. The history changes hands when the follower reads this server's activation entry.
 */
final class Standby {

    private final String startMark = UUID.randomUUID().toString();
    private final PollHistory history = new PollHistory();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Set<String> activationsSeen = new HashSet<>();
    private final Consumer<String> fenced;
    private final long startedNanos = System.nanoTime();
    private volatile long entriesToStart = -1;
    private volatile long replayMillis;
    private long entries;
    private volatile String ownActivation;
    private volatile CompletableFuture<Void> readBack = new CompletableFuture<>();
    private volatile boolean tookOverSinceStart;

    /** @param fenced told the mark of a newer server's activation once this one has taken over */
    Standby(Consumer<String> fenced) {
        this.fenced = fenced;
    }

    String startMark() {
        return startMark;
    }

    /** The next ledger entry, in order. */
    void read(LedgerEntry entry) {
        boolean activation = LedgerEntry.ACTIVATION.equals(entry.tipo());
        if (readBack.isDone()) {
            // Taken over: only a newer server's activation matters (copies of old ones, written again after a
            // broker restart, are not newer).
            if (activation && activationsSeen.add(entry.marca())) {
                fenced.accept(entry.marca());
            }
            return;
        }
        history.apply(entry);
        entries++;
        if (activation) {
            activationsSeen.add(entry.marca());
            if (entry.marca().equals(ownActivation)) {
                readBack.complete(null);
            } else if (caughtUp.getCount() == 0) {
                tookOverSinceStart = true;
            }
        } else if (LedgerEntry.START.equals(entry.tipo()) && startMark.equals(entry.marca())) {
            entriesToStart = entries;
            replayMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
            caughtUp.countDown();
        }
    }

    /** Whether the ledger has been read up to this start's mark within the time given. */
    boolean awaitCaughtUp(long timeout, TimeUnit unit) throws InterruptedException {
        return caughtUp.await(timeout, unit);
    }

    long entriesToStart() {
        return entriesToStart;
    }

    long replayMillis() {
        return replayMillis;
    }

    /** Whether another server took over since this one started (so this start's own wishes, a new poll, are moot). */
    boolean othersTookOver() {
        return tookOverSinceStart;
    }

    /**
     * A new activation mark: once it is appended, {@link #awaitActivation} waits for the follower to read it
     * back; earlier attempts that failed are forgotten.
     */
    String newActivation() {
        readBack = new CompletableFuture<>();
        ownActivation = UUID.randomUUID().toString();
        return ownActivation;
    }

    /**
     * Waits until the follower has read this server's activation; then the history holds every entry
     * written before it and is this caller's alone.
     */
    PollHistory awaitActivation(long timeout, TimeUnit unit) throws Exception {
        readBack.get(timeout, unit);
        return history;
    }
}
