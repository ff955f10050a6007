package votacao.server.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The delivery tags of one consumer's channel, in the books of the server: which are settled, and up to
 * which tag one acknowledgement with {@code multiple=true} may settle them together. Pure bookkeeping, no
 * I/O; {@link ChannelAcks} holds it, {@link ChannelAcker} talks to the broker.
 *
 * <p>Such an acknowledgement settles every unsettled delivery up to its tag, so it may only name a tag
 * when every tag below it is settled in these books: acknowledged by the server (waiting here), or
 * settled at the broker already (handed back to the queue, or acknowledged alone). Tags arrive on the
 * channel as 1, 2, 3…, and the workers settle them out of order: the acknowledgement follows the
 * unbroken run of settled tags above the last one it covered.
 */
final class AckWindow {

    /** The unbroken run of settled tags above the covered ones. */
    record Run(long end, long ackTag, int toAck) {
    }

    /** Every tag up to here is settled at the broker. */
    private long covered;
    /** Settled tags above {@link #covered}: true when it waits for an acknowledgement, false when settled already. */
    private final TreeMap<Long, Boolean> settled = new TreeMap<>();
    private int waiting;

    /** A tag the server acknowledges: it waits here until the run reaches it. */
    void toAck(long tag) {
        if (tag > covered && settled.putIfAbsent(tag, Boolean.TRUE) == null) {
            waiting++;
        }
    }

    /** A tag already settled at the broker (handed back, or acknowledged alone): no acknowledgement may name it. */
    void settledAlready(long tag) {
        if (tag > covered) {
            Boolean before = settled.put(tag, Boolean.FALSE);
            if (Boolean.TRUE.equals(before)) {
                waiting--;
            }
        }
    }

    /** A waiting tag is being acknowledged alone: until that is done, no acknowledgement may pass it. */
    void reopen(long tag) {
        if (Boolean.TRUE.equals(settled.remove(tag))) {
            waiting--;
        }
    }

    /**
     * The run of settled tags right above the covered ones; its {@code ackTag} is the highest tag in it
     * that waits for an acknowledgement (0: none does), {@code toAck} how many wait in it.
     */
    Run run() {
        long end = covered;
        long ackTag = 0;
        int toAck = 0;
        for (Map.Entry<Long, Boolean> entry : settled.entrySet()) {
            if (entry.getKey() != end + 1) {
                break;
            }
            end = entry.getKey();
            if (entry.getValue()) {
                ackTag = end;
                toAck++;
            }
        }
        return new Run(end, ackTag, toAck);
    }

    /** The run is settled at the broker now (acknowledged with its {@code ackTag}, multiple). */
    void cover(Run run) {
        settled.headMap(run.end(), true).clear();
        waiting -= run.toAck();
        covered = run.end();
    }

    /** The first tag the run waits for: not settled yet. */
    long gap() {
        return run().end() + 1;
    }

    /** How many tags wait for an acknowledgement, in the run and beyond its gap. */
    int waiting() {
        return waiting;
    }

    /** The tags waiting beyond the gap, which no acknowledgement can reach until it closes. */
    List<Long> stranded() {
        long gap = gap();
        List<Long> tags = new ArrayList<>();
        settled.tailMap(gap, false).forEach((tag, toAck) -> {
            if (toAck) {
                tags.add(tag);
            }
        });
        return tags;
    }
}
