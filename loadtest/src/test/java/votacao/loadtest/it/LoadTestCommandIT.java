package votacao.loadtest.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import votacao.shared.testing.ServerProcess;
import votacao.shared.testing.VoterProbe;

/** The packaged load generator (the JVM jar, or the native executable with -Dnative) runs a few hundred voters. */
@QuarkusMainIntegrationTest
class LoadTestCommandIT {

    @Test
    void aFewHundredVotersAreAnsweredAndCounted(QuarkusMainLauncher launcher) throws Exception {
        try (ServerProcess server = ServerProcess.start("loadtest-it", Map.of("VOTACAO_DURACAO", "600s"))) {
            LaunchResult result = launcher.launch("--clients", "400", "--per-connection", "200", "--duplicates", "20",
                    "--run-id", VoterProbe.uniqueUser("it"));
            assertEquals(0, result.exitCode(), result.getOutput() + result.getErrorOutput());
            assertTrue(result.getOutput().contains("PASS"), result.getOutput());
        }
    }
}
