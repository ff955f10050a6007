package votacao.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

class ResidentMemoryTest {

    private static final String STATUS = """
            Name:\tjava
            VmPeak:\t 4567890 kB
            VmHWM:\t  569344 kB
            VmRSS:\t  102400 kB
            Threads:\t42
            """;

    @Test
    void readsAFieldOfProcStatusInBytes() {
        assertEquals(OptionalLong.of(569344L * 1024), ResidentMemory.parse(STATUS, ResidentMemory.PEAK));
        assertEquals(OptionalLong.of(102400L * 1024), ResidentMemory.parse(STATUS, ResidentMemory.NOW));
        assertEquals(OptionalLong.empty(), ResidentMemory.parse(STATUS, "VmSwap"));
    }

    @Test
    void thisProcessHoldsSomeMemoryAndItsPeakIsAtLeastWhatItHoldsNow() {
        assumeTrue(Files.exists(Path.of("/proc/self/status")), "Linux only");
        long now = ResidentMemory.bytes(ResidentMemory.NOW).orElseThrow();
        long peak = ResidentMemory.bytes(ResidentMemory.PEAK).orElseThrow();
        assertTrue(now > 1 << 20, "resident " + now);
        assertTrue(peak >= now, peak + " < " + now);
    }

    @Test
    void perTenThousandVotersIsTheGrowthAboveTheStart() {
        LoadReport.Memory memory = LoadReport.Memory.of(100L << 20, 600L << 20, 100_000);
        assertEquals(100, memory.startMiB(), 1e-9);
        assertEquals(600, memory.peakMiB(), 1e-9);
        assertEquals(50, memory.perTenThousandVotersMiB(), 1e-9);
        assertTrue(memory.row().contains("at start 100 · peak 600 · 50.0 per 10,000 voters"), memory.row());
    }
}
