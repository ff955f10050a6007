package votacao.server.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** Stops and starts the local broker with rabbitmqctl, for the tests that take it away. */
final class BrokerControl {

    private BrokerControl() {
    }

    static void assumeAvailable() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/rabbitmqctl")) || rabbitmqctl("status") == 0,
                "rabbitmqctl is needed to restart the broker");
    }

    /** Runs {@code rabbitmqctl command}; its exit status, or -1 if it hung. */
    static int rabbitmqctl(String command) throws Exception {
        Process process = new ProcessBuilder("rabbitmqctl", command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
