package votacao.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** What a run counted and timed; updated from many threads at once. */
public final class RunStats {

    private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(10);
    /** The answers' timeline: how many arrived in each tenth of a second of the first ten minutes. */
    static final double TIMELINE_STEP_SECONDS = 0.1;
    private static final int TIMELINE_STEPS = 6000;
    private static final long STEP_NANOS = (long) (TIMELINE_STEP_SECONDS * 1e9);

    final LongAdder sent = new LongAdder();
    final LongAdder brokerConfirmed = new LongAdder();
    final LongAdder answeredConfirmed = new LongAdder();
    final LongAdder answeredRefused = new LongAdder();
    final LongAdder duplicatesRefused = new LongAdder();
    final LongAdder duplicatesAccepted = new LongAdder();
    final LongAdder broadcastsReceived = new LongAdder();
    /** Votes sent again, same message_id, after their connection was lost and recovered. */
    final LongAdder sentAgainAfterRecovery = new LongAdder();
    /** Votes sent again because the broker refused them (a nack: say, while a quorum queue elects a leader). */
    final LongAdder sentAgainAfterNack = new LongAdder();
    /** Votes sent again because they looked lost: unconfirmed in time, or unanswered (see VirtualVoter). */
    final LongAdder sentAgainLost = new LongAdder();
    /** When the latest vote that has been answered was sent (System.nanoTime()). */
    private final LongAccumulator newestAnsweredSend = new LongAccumulator(Math::max, Long.MIN_VALUE);
    final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
    final Map<String, LongAdder> confirmedByOption = new ConcurrentHashMap<>();
    final Histogram publishToConfirm = new ConcurrentHistogram(MAX_LATENCY_MICROS, 3);
    final Histogram publishToAnswer = new ConcurrentHistogram(MAX_LATENCY_MICROS, 3);
    private final AtomicLongArray answersPerStep = new AtomicLongArray(TIMELINE_STEPS);
    private final AtomicInteger lastStep = new AtomicInteger(-1);
    private volatile long startNanos = System.nanoTime();

    /** Where the timeline starts: the first connection. */
    void started(long nanos) {
        startNanos = nanos;
    }

    void confirmedByBroker(long publishedNanos, long nowNanos) {
        brokerConfirmed.increment();
        record(publishToConfirm, publishedNanos, nowNanos);
    }

    /** An answer came for a vote sent at {@code sentNanos}. */
    void answerArrivedFor(long sentNanos) {
        newestAnsweredSend.accumulate(sentNanos);
    }

    /** Whether a vote sent after {@code sentNanos} has been answered. */
    boolean answeredOneSentAfter(long sentNanos) {
        long newest = newestAnsweredSend.get();
        return newest != Long.MIN_VALUE && newest > sentNanos;
    }

    void answered(String option, boolean confirmed, String text, long publishedNanos, long nowNanos) {
        record(publishToAnswer, publishedNanos, nowNanos);
        int step = (int) Math.min(TIMELINE_STEPS - 1, Math.max(0, (nowNanos - startNanos) / STEP_NANOS));
        answersPerStep.incrementAndGet(step);
        lastStep.accumulateAndGet(step, Math::max);
        if (confirmed) {
            answeredConfirmed.increment();
            confirmedByOption.computeIfAbsent(option, o -> new LongAdder()).increment();
        } else {
            answeredRefused.increment();
            refusals.computeIfAbsent(text, t -> new LongAdder()).increment();
        }
    }

    long answered() {
        return answeredConfirmed.sum() + answeredRefused.sum();
    }

    Map<String, Long> confirmedByOption() {
        Map<String, Long> counts = new TreeMap<>();
        confirmedByOption.forEach((option, count) -> counts.put(option, count.sum()));
        return counts;
    }

    Map<String, Long> refusals() {
        Map<String, Long> counts = new TreeMap<>();
        refusals.forEach((text, count) -> counts.put(text, count.sum()));
        return counts;
    }

    /** Answers per second in each step of the timeline, up to the last answer. */
    List<Double> answerRate() {
        List<Double> rate = new ArrayList<>(lastStep.get() + 1);
        for (int step = 0; step <= lastStep.get(); step++) {
            rate.add(answersPerStep.get(step) / TIMELINE_STEP_SECONDS);
        }
        return rate;
    }

    private static void record(Histogram histogram, long fromNanos, long toNanos) {
        long micros = Math.max(0, TimeUnit.NANOSECONDS.toMicros(toNanos - fromNanos));
        histogram.recordValue(Math.min(micros, MAX_LATENCY_MICROS));
    }
}
