package votacao.server.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The books of one consumer on {@code votos} (one channel: its tags start at 1): the window of settled
 * tags, the votes waiting in it, the baton it holds and how long the run has been held back. No I/O;
 * {@link ChannelAcker} guards it and talks to the broker.
 */
final class ChannelAcks {

    /** How long votes wait behind the baton before it is renewed, unless {@link #RENEW_AFTER} of them do. */
    static final long BATON_MILLIS = 50;
    static final int RENEW_AFTER = 256;
    /** A gap this old is a delivery that will not be settled soon (never reached the server, say). */
    static final long STUCK_MILLIS = 1000;

    /** What a tick of the timer finds to do beyond acknowledging the run. */
    record Tick(boolean renewBaton, boolean stuck) {
    }

    final String consumerTag;
    private final AckWindow window = new AckWindow();
    private final TreeMap<Long, Message<?>> waiting = new TreeMap<>();
    private long baton;
    private Message<?> batonMessage;
    boolean renewing;
    private long gap = -1;
    private long gapSince;

    ChannelAcks(String consumerTag) {
        this.consumerTag = consumerTag;
    }

    void toAck(long tag, Message<?> message) {
        window.toAck(tag);
        waiting.put(tag, message);
    }

    void settledAlready(long tag) {
        window.settledAlready(tag);
    }

    boolean waits() {
        return window.waiting() > 0;
    }

    /** The run to acknowledge now, taken out of the window; null when there is none or it is too small. */
    AckWindow.Run takeRun(int atLeast) {
        AckWindow.Run run = window.run();
        if (run.toAck() == 0 || run.toAck() < atLeast) {
            return null;
        }
        window.cover(run);
        waiting.headMap(run.end(), true).clear();
        return run;
    }

    /** Holds a new baton; returns the one held before, if any, which is to be acknowledged. */
    Message<?> holdBaton(long tag, Message<?> message) {
        Message<?> previous = batonMessage;
        baton = tag;
        batonMessage = message;
        return previous;
    }

    /** Whether the run is held back by the baton. */
    private boolean heldByBaton() {
        return baton != 0 && window.gap() == baton;
    }

    long baton() {
        return baton;
    }

    /** Lets the baton go (a new one is in the queue): it is acknowledged with the run. */
    void releaseBaton() {
        toAck(baton, batonMessage);
        baton = 0;
        batonMessage = null;
    }

    /** How many votes wait beyond the gap. */
    private int stranded() {
        return window.waiting() - window.run().toAck(); // those not in the run: counted, not listed
    }

    /**
     * The votes waiting beyond the gap, taken out to be acknowledged alone: until each lands (then
     * {@link #settledAlready}), no acknowledgement with multiple may pass it.
     */
    List<Message<?>> takeStranded() {
        List<Message<?>> messages = new ArrayList<>();
        for (long tag : window.stranded()) {
            window.reopen(tag);
            messages.add(waiting.remove(tag));
        }
        return messages;
    }

    /**
     * Renew the baton when votes wait behind it (for {@link #BATON_MILLIS}, or {@link #RENEW_AFTER} of them);
     * let the votes waiting beyond a gap go alone when it is {@link #STUCK_MILLIS} old.
     */
    Tick tick(long now) {
        long heldBack = heldBackMillis(now);
        boolean renew = heldByBaton() && !renewing && (heldBack > BATON_MILLIS || stranded() >= RENEW_AFTER);
        return new Tick(renew, heldBack > STUCK_MILLIS);
    }

    /** How long the run has been held back at the same gap, in milliseconds; 0 when nothing waits. */
    private long heldBackMillis(long now) {
        if (!waits()) {
            gap = -1; // the next wait is timed afresh
            return 0;
        }
        long current = window.gap();
        if (current != gap) {
            gap = current;
            gapSince = now;
        }
        return (now - gapSince) / 1_000_000;
    }
}
