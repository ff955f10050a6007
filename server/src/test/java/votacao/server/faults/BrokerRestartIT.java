package votacao.server.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Connection;

import votacao.shared.ServerMessage;
import votacao.shared.testing.ServerProcess;
import votacao.shared.testing.VoteDriver;
import votacao.shared.testing.VoterProbe;

/**
 * The broker restarted (stop_app/start_app) in the middle of a load: the server reports itself not
 * ready while the broker is away, reconnects, and loses nothing.
 */
class BrokerRestartIT {

    private static final List<String> OPTIONS = List.of("A", "B", "C");
    private static final String READY = "/q/health/ready";
    private static final String LIVE = "/q/health/live";

    @BeforeEach
    void needsControlOfTheBroker() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/rabbitmqctl")) || rabbitmqctl("status") == 0,
                "rabbitmqctl is needed to restart the broker");
        try (Connection connection = VoterProbe.factory().newConnection()) {
            VoterProbe.purgeVotes(connection);
        }
    }

    @Test
    void aBrokerRestartMidLoadLosesNothingCountsNothingTwiceAndShowsInReadiness() throws Exception {
        try (ServerProcess server = ServerProcess.start("broker-restart", Map.of("VOTACAO_DURACAO", "600s"));
                VoteDriver voters = new VoteDriver("brokerrestart", 3000, OPTIONS)) {
            assertTrue(voters.sendUnanswered());
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> voters.answered() >= 300);
            assertEquals(200, server.httpStatus(READY), "ready before the restart");
            assertEquals(0, rabbitmqctl("stop_app"));
            Awaitility.await("not ready while the broker is down").atMost(Duration.ofSeconds(30))
                    .until(() -> server.httpStatus(READY) == 503);
            assertEquals(200, server.httpStatus(LIVE), "alive all the same: a restart would not help");
            assertEquals(0, rabbitmqctl("start_app"));
            assertEquals(0, rabbitmqctl("await_startup"));
            Awaitility.await("ready again once the broker is back").atMost(Duration.ofSeconds(60))
                    .until(() -> server.httpStatus(READY) == 200);

            assertTrue(voters.awaitAllAnswered(Duration.ofSeconds(180)), voters.answered() + " answered");
            assertEquals(Map.of(), voters.refusals());
            Map<String, Long> expected = voters.expectedTally(OPTIONS);

            try (VoterProbe probe = new VoterProbe()) {
                ServerMessage published = probe.result(r -> r.total() == voters.voters());
                assertEquals(expected, new TreeMap<>(published.resultado()));
            }
            assertTrue(server.isAlive(), "the server rode out the restart");
            server.stop();
            assertEquals(expected, LedgerAudit.tally(server.ledgerStream()));
        }
    }

    private static int rabbitmqctl(String command) throws Exception {
        Process process = new ProcessBuilder("rabbitmqctl", command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
