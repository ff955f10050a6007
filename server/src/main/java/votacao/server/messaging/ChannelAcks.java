package votacao.server.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.reactive.messaging.rabbitmq.ClientHolder;

/**
 * What {@link VoteAcks} knows of one consumer on {@code votos} (one channel: its tags start at 1): the
 * window of settled tags, the votes waiting in it, the baton it holds and how long the run has been held
 * back. No I/O; VoteAcks guards it and talks to the broker.
 */
final class ChannelAcks {

    final String consumerTag;
    final ClientHolder holder;
    /** The Vert.x client's channel count when this consumer began: another one means a new channel. */
    private final long channel;
    private final AckWindow window = new AckWindow();
    private final TreeMap<Long, Message<?>> waiting = new TreeMap<>();
    private long baton;
    private Message<?> batonMessage;
    boolean renewing;
    boolean acking;
    boolean gone;
    private long gap = -1;
    private long gapSince;

    ChannelAcks(String consumerTag, ClientHolder holder) {
        this.consumerTag = consumerTag;
        this.holder = holder;
        this.channel = ConnectorChannel.channelInstance(holder);
    }

    /** Whether the client still uses the channel this consumer's deliveries came on. */
    boolean onItsChannel() {
        return ConnectorChannel.channelInstance(holder) == channel;
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
    boolean heldByBaton() {
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
    int stranded() {
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

    /** How long the run has been held back at the same gap, in milliseconds; 0 when nothing waits. */
    long heldBackMillis(long now) {
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
