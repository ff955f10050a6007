package votacao.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import votacao.shared.testing.ServerProcess;
import votacao.shared.testing.VoterProbe;

/** Following a short poll: the client shows the tally and exits 0 on the final result. */
@QuarkusMainTest
class FollowToFinalTest {

    @Test
    void followsTheTallyUntilTheFinalResult(QuarkusMainLauncher launcher) throws Exception {
        // Long enough for the client to start and vote on a busy machine (6 s was not, once: the vote came
        // after the close), short enough to follow to the final.
        try (ServerProcess server = ServerProcess.start("client-follow", Map.of("VOTACAO_DURACAO", "15s"))) {
            LaunchResult result = launcher.launch("--user-id", VoterProbe.uniqueUser("follower"), "--option", "C");
            assertEquals(ExitCode.CONFIRMED, result.exitCode(), result.getErrorOutput());
            assertTrue(result.getOutput().contains("final: A=0 (0,0%) B=0 (0,0%) C=1 (100,0%) total=1"),
                    result.getOutput());
        }
    }
}
