package votacao.server;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import votacao.server.decision.BallotBox;
import votacao.server.ledger.Ledger;
import votacao.shared.ServerMessage;

/** The poll this server is running and the ledger it records into, set once at start-up. */
@ApplicationScoped
public class CurrentPoll {

    private volatile BallotBox box;
    private volatile Ledger ledger;
    private final AtomicBoolean finalPublished = new AtomicBoolean();
    private final CountDownLatch running = new CountDownLatch(1);

    void start(BallotBox box, Ledger ledger, boolean finalAlreadyPublished) {
        this.ledger = ledger;
        this.finalPublished.set(finalAlreadyPublished);
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

    public Ledger ledger() {
        return ledger;
    }

    public boolean isRunning() {
        return box != null;
    }

    /**
     * The result as it stands: {@code final} once the final result is out, {@code parcial} before;
     * null before the poll starts.
     */
    public ServerMessage result() {
        BallotBox current = box;
        if (current == null) {
            return null;
        }
        return isFinalPublished() ? ServerMessage.finalResult(current.tally(), current.closesAt())
                : ServerMessage.partial(current.tally(), current.closesAt());
    }

    /** True the first time only: the caller publishes the final result. */
    public boolean markFinalPublished() {
        return finalPublished.compareAndSet(false, true);
    }

    public boolean isFinalPublished() {
        return finalPublished.get();
    }
}
