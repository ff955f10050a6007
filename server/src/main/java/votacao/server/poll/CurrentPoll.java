package votacao.server.poll;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import votacao.shared.ServerMessage;

/**
 * The poll this server is running and the ledger it records into, set once when the server becomes
 * the one that decides (its role {@link Role#ACTIVE}); a server that waits to take over is a
 * {@link Role#STANDBY}, and one that another server took over from is {@link Role#FENCED}: it decides
 * nothing more.
 */
@ApplicationScoped
public class CurrentPoll {

    /** What this server is to the poll. */
    public enum Role {
        /** Starting: the ledger is being read. */
        STARTING,
        /** Ready to take over: follows the ledger, decides nothing. */
        STANDBY,
        /** Takes and decides the votes. */
        ACTIVE,
        /** Another server took over: decides nothing more, and stops. */
        FENCED
    }

    private volatile Role role = Role.STARTING;
    private volatile Runnable takeOver = () -> {
    };
    private volatile String activation;
    private volatile BallotBox box;
    private volatile LedgerWriter ledger;
    private volatile Eligibility eligibility = Eligibility.open();
    private final AtomicReference<ServerMessage> finalResult = new AtomicReference<>();
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch standingBy = new CountDownLatch(1);

    /** Ready to take over: {@code takeOver} makes this server the one that decides (it calls {@link #start}). */
    public void standBy(Runnable takeOver) {
        this.takeOver = takeOver;
        role = Role.STANDBY;
        standingBy.countDown();
    }

    /**
     * Makes this server the one that decides, if it is not yet: a delivery from {@code votos} says the
     * broker chose it (the queue's single active consumer). Returns once it decides, or fails.
     */
    public void takeOver() {
        try {
            // Votes may be delivered while the ledger is still being read: they wait for the standby state.
            if (!standingBy.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the ledger was not read within 10 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the ledger was read", e);
        }
        if (role == Role.STANDBY) {
            synchronized (this) {
                if (role == Role.STANDBY) {
                    takeOver.run();
                }
            }
        }
    }

    /**
     * @param activation the fencing token this server writes with its votes
     */
    public void start(BallotBox box, LedgerWriter ledger, Eligibility eligibility, String activation) {
        this.ledger = ledger;
        this.eligibility = eligibility;
        this.activation = activation;
        this.box = box;
        role = Role.ACTIVE;
        running.countDown();
    }

    /** Another server took over: nothing more is decided or confirmed here. */
    public void fence() {
        role = Role.FENCED;
    }

    public Role role() {
        return role;
    }

    public boolean isFenced() {
        return role == Role.FENCED;
    }

    /** The fencing token of this server's votes; null before it decides. */
    String activation() {
        return activation;
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
