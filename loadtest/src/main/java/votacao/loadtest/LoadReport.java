package votacao.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every figure of a run, for the table printed at the end and for {@code --report FILE.json}.
 * {@code brokerConfirmed} and {@code publishToConfirm} are null when the voters did not ask the broker to
 * confirm their votes (no --broker-confirms); {@code memory} is null where the operating system does not tell
 * (Linux does).
 */
@RegisterForReflection
public record LoadReport(String runId, String mode, int clients, int connections, int channels, long sent,
        Long brokerConfirmed, long answeredConfirmed, long answeredRefused, long unanswered, int duplicates,
        long duplicatesRefused, long broadcastsReceived, double wallSeconds, double votesPerSecond, Phases phases,
        Latency publishToConfirm, Latency publishToAnswer, Map<String, Long> refusals, Map<String, Long> expectedTally,
        Map<String, Long> serverTally, Boolean tallyAgrees, String tallyFrom, boolean passed, String verdict,
        double timelineStepSeconds, List<Double> answersPerSecond, Memory memory) {

    /** Where the server's tally after the run came from ({@code tallyFrom}): asked over HTTP at once (--server-url). */
    public static final String TALLY_OVER_HTTP = "asked over HTTP";
    /** ... or the server's next broadcast, awaited. */
    public static final String TALLY_BROADCAST = "from its broadcast";

    /**
     * When each phase ended, in seconds from the first connection: every channel open, the server's
     * current tally known (the votes wait for it), the last answer (the headline), the tally verified,
     * the connections closed. Opening channels and voting overlap. Before them, {@code started}: how long
     * the program took from its process's start to the first connection (the JVM and the framework).
     */
    @RegisterForReflection
    public record Phases(double started, double channelsOpen, double baselineKnown, double lastAnswer, double verified,
            double closed) {

        String row() {
            return String.format(Locale.ROOT, "  %-22s started -%.2f · channels open %.2f · tally known %.2f"
                    + " · last answer %.2f · verified %.2f · closed %.2f", "phases (s)", started, channelsOpen,
                    baselineKnown, lastAnswer, verified, closed);
        }
    }

    /**
     * The load generator's resident memory in MiB: before its first connection, at its highest, and what
     * it grew by per 10,000 voters (the voters' channels, their state and the answers in flight).
     */
    @RegisterForReflection
    public record Memory(double startMiB, double peakMiB, double perTenThousandVotersMiB) {

        private static final double MIB = 1024 * 1024;

        /** From resident bytes before the first connection and at the end of a run of {@code voters}. */
        static Memory of(long startBytes, long peakBytes, int voters) {
            double grown = Math.max(0, peakBytes - startBytes) / MIB;
            return new Memory(startBytes / MIB, peakBytes / MIB, voters == 0 ? 0 : grown * 10_000 / voters);
        }

        String row() {
            return String.format(Locale.ROOT, "  %-22s at start %.0f · peak %.0f · %.1f per 10,000 voters above the start",
                    "resident memory (MiB)", startMiB, peakMiB, perTenThousandVotersMiB);
        }
    }

    /** Latency percentiles in milliseconds, and the whole distribution as points of a percentile plot. */
    @RegisterForReflection
    public record Latency(long count, double p50, double p90, double p99, double max, List<Point> distribution) {

        /** The percentiles of the plot: denser towards the tail, where the interesting part is. */
        private static final double[] PLOTTED = {0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 96, 97, 98,
            99, 99.5, 99.75, 99.9, 99.95, 99.99, 99.995, 99.999, 100};

        static Latency of(Histogram micros) {
            if (micros.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0, List.of());
            }
            List<Point> distribution = new ArrayList<>(PLOTTED.length);
            for (double percentile : PLOTTED) {
                distribution.add(new Point(percentile, micros.getValueAtPercentile(percentile) / 1000.0));
            }
            return new Latency(micros.getTotalCount(), micros.getValueAtPercentile(50) / 1000.0,
                    micros.getValueAtPercentile(90) / 1000.0, micros.getValueAtPercentile(99) / 1000.0,
                    micros.getMaxValue() / 1000.0, distribution);
        }

        String row(String name) {
            return String.format(Locale.ROOT, "  %-22s %9.2f %9.2f %9.2f %9.2f", name, p50, p90, p99, max);
        }
    }

    /** A point of a percentile plot: this share of the votes (in %) took at most this many milliseconds. */
    @RegisterForReflection
    public record Point(double percentile, double millis) {
    }

    /** The summary table, a line per figure. */
    public List<String> table() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "votacao load test %s (%s)", runId, mode));
        lines.add(row("clients", clients));
        lines.add(row("connections", connections));
        lines.add(row("channels", channels));
        lines.add(row("votes sent", sent));
        if (brokerConfirmed != null) {
            lines.add(row("broker-confirmed", brokerConfirmed));
        }
        if (!"legacy".equals(mode)) {
            lines.add(row("answered: confirmed", answeredConfirmed));
            lines.add(row("answered: refused", answeredRefused));
            lines.add(row("unanswered", unanswered));
        }
        if (duplicates > 0) {
            lines.add(row("duplicates refused", duplicatesRefused) + " of " + duplicates);
        }
        if (broadcastsReceived > 0) {
            lines.add(row("broadcasts received", broadcastsReceived));
        }
        lines.add(String.format(Locale.ROOT, "  %-22s %12.3f s   (first connection → last %s)", "wall time", wallSeconds,
                "legacy".equals(mode) ? "publish" : "answer"));
        lines.add(phases.row());
        lines.add(String.format(Locale.ROOT, "  %-22s %12.0f", "votes/s", votesPerSecond));
        if (memory != null) {
            lines.add(memory.row());
        }
        if (!"legacy".equals(mode)) {
            lines.add(String.format(Locale.ROOT, "  %-22s %9s %9s %9s %9s", "latency (ms)", "p50", "p90", "p99", "max"));
            if (publishToConfirm != null) {
                lines.add(publishToConfirm.row("publish → confirm"));
            }
            lines.add(publishToAnswer.row("publish → answer"));
        }
        if (tallyAgrees != null) {
            lines.add("  tally: server " + serverTally + " (" + tallyFrom + "), expected " + expectedTally
                    + (tallyAgrees ? " (agrees)" : " (DISAGREES)"));
        }
        lines.add((passed ? "PASS: " : "FAIL: ") + verdict);
        return lines;
    }

    private static String row(String name, long value) {
        return String.format(Locale.ROOT, "  %-22s %12d", name, value);
    }
}
