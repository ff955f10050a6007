package votacao.server;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>The watch moves from the ledger to the activations stream (see ActivationStream): once this server's
 * activation is announced there, it writes {@code ativacao_anunciada} to the ledger, and the ledger is
 * watched up to that entry. A newer activation that comes before it in the ledger is seen there; one that
 * comes after it was announced after this server's own announcement, so the stream shows it after that.
 *
 * <p>The ledger's follower calls {@link #read} on its one thread, the activations stream's {@link #watch}
 * on another; the takeover runs on a vote worker. The history changes hands when the follower reads this
 * server's activation entry.
 */
final class Standby {

    private final String startMark = UUID.randomUUID().toString();
    private final PollHistory history = new PollHistory();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    /** Every activation the ledger showed: up to this server's own, and any newer one (which fences it). */
    private final Set<String> activationsSeen = ConcurrentHashMap.newKeySet();
    private final Consumer<String> fenced;
    private final long startedNanos = System.nanoTime();
    private volatile long entriesToStart = -1;
    private volatile long replayMillis;
    private long entries;
    private volatile String ownActivation;
    private volatile CompletableFuture<Void> readBack = new CompletableFuture<>();
    private volatile boolean tookOverSinceStart;
    private final CompletableFuture<Void> watchedUpToAnnouncement = new CompletableFuture<>();
    /** Whether the activations stream has reached this server's own announcement. */
    private volatile boolean ownAnnouncementRead;

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
            } else if (LedgerEntry.ANNOUNCED.equals(entry.tipo()) && entry.marca().equals(ownActivation)) {
                watchedUpToAnnouncement.complete(null);
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

    /**
     * The next entry of the activations stream, in order: those before this server's own announcement are
     * older or watched in the ledger; after it, an activation the ledger did not show before is newer.
     */
    void watch(LedgerEntry entry) {
        if (!LedgerEntry.ACTIVATION.equals(entry.tipo())) {
            return;
        }
        if (!ownAnnouncementRead) {
            ownAnnouncementRead = entry.marca().equals(ownActivation);
        } else if (activationsSeen.add(entry.marca())) {
            fenced.accept(entry.marca());
        }
    }

    /** Completes when the ledger has been watched up to this server's {@code ativacao_anunciada}. */
    CompletableFuture<Void> watchedUpToAnnouncement() {
        return watchedUpToAnnouncement;
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
        ownAnnouncementRead = false;
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
