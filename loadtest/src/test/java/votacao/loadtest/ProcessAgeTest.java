package votacao.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

class ProcessAgeTest {

    @Test
    void agreesWithTheJvmsOwnUptime() {
        double jvm = ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
        // The process starts a little before the JVM counts its uptime; /proc counts in 10 ms steps.
        assertEquals(jvm, ProcessAge.seconds(), 0.5);
    }
}
