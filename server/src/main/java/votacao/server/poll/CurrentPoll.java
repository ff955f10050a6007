package votacao.server.poll;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import votacao.shared.ServerMessage;

/** The poll this server is running and the ledger it records into, set once at start-up. */
@ApplicationScoped
public class CurrentPoll {

    private volatile BallotBox box;
    private volatile LedgerWriter ledger;
    private volatile Eligibility eligibility = Eligibility.open();
    private final AtomicReference<ServerMessage> finalResult = new AtomicReference<>();
    private final CountDownLatch running = new CountDownLatch(1);

    public void start(BallotBox box, LedgerWriter ledger, Eligibility eligibility) {
        this.ledger = ledger;
        this.eligibility = eligibility;
        this.box = box;
        running.countDown();
    }

    /**
     * Waits until the ledger has been replayed: votes may arrive while the server is still starting,
     * and none may be decided before the state it rebuilds is there.
     */
    public BallotBox awaitBox(long timeout, TimeUnit unit) throws InterruptedException {
        if (!running.await(timeout, unit)) {
            throw new IllegalStateException("the poll did not start within " + timeout + " " + unit);
        }
        return box;
    }

    public BallotBox box() {
        return box;
    }

    LedgerWriter ledger() {
        return ledger;
    }

    public Eligibility eligibility() {
        return eligibility;
    }

    /** Why the ledger takes no appends now, or null when it does (or before the poll starts). */
    public String ledgerProblem() {
        LedgerWriter current = ledger;
        return current == null ? null : current.problem();
    }

    public boolean isRunning() {
        return box != null;
    }

    /**
     * The result as it stands: the final result, byte for byte the same each time, once it is out;
     * {@code parcial} before; null before the poll starts.
     */
    public ServerMessage result() {
        ServerMessage done = finalResult.get();
        if (done != null) {
            return done;
        }
        BallotBox current = box;
        return current == null ? null : ServerMessage.partial(current.tally(), current.closesAt());
    }

    /** Fixes the final result; true the first time only. */
    boolean fixFinal(ServerMessage result) {
        return finalResult.compareAndSet(null, result);
    }

    public boolean isFinalPublished() {
        return finalResult.get() != null;
    }
}
