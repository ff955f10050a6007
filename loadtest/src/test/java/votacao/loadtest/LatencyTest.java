package votacao.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyTest {

    @Test
    void percentilesOfWhatTheVotersRecorded() {
        Histogram micros = new ConcurrentHistogram(600_000_000L, 3);
        for (long v = 1; v <= 1000; v++) {
            micros.recordValue(v * 1000); // 1 ms to 1 s
        }
        LoadReport.Latency latency = LoadReport.Latency.of(micros);
        assertEquals(1000, latency.count());
        assertEquals(500, latency.p50(), 1);
        assertEquals(900, latency.p90(), 1);
        assertEquals(990, latency.p99(), 1);
        assertEquals(1000, latency.max(), 1);
        assertEquals(1, latency.distribution().get(0).millis(), 0.01);
        assertEquals(1000, micros.getTotalCount(), "the run's own histogram is left as it was");
    }

    @Test
    void noVotesNoLatency() {
        assertEquals(0, LoadReport.Latency.of(new ConcurrentHistogram(600_000_000L, 3)).count());
    }
}
