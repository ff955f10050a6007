package votacao.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

class ProcessAgeTest {

    @Test
    void procAgreesWithTheJvmsOwnUptime() throws IOException {
        double jvm = ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
        // The process starts a little before the JVM counts its uptime; /proc counts in 10 ms steps.
        assertEquals(jvm, ProcessAge.fromProc(), 0.5);
    }

    @Test
    void theAgeItReportsIsWithinASecondOrSo() {
        double jvm = ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
        assertEquals(jvm, ProcessAge.seconds(), 1.5);
    }
}
