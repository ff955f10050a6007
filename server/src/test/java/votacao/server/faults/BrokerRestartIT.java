package votacao.server.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Connection;

import votacao.shared.ServerMessage;
import votacao.shared.testing.ServerProcess;
import votacao.shared.testing.TestBroker;
import votacao.shared.testing.VoteDriver;
import votacao.shared.testing.VoterProbe;

/** The broker restarted (stop_app/start_app) in the middle of a load: the server reconnects, nothing is lost. */
class BrokerRestartIT {

    private static final List<String> OPTIONS = List.of("A", "B", "C");

    @BeforeEach
    void emptyVoteQueue() throws Exception {
        try (Connection connection = VoterProbe.factory().newConnection()) {
            VoterProbe.purgeVotes(connection);
        }
    }

    @Test
    void aBrokerRestartMidLoadLosesNothingAndCountsNothingTwice() throws Exception {
        try (ServerProcess server = ServerProcess.start("broker-restart", Map.of("VOTACAO_DURACAO", "600s"));
                VoteDriver voters = new VoteDriver("brokerrestart", 3000, OPTIONS)) {
            assertTrue(voters.sendUnanswered());
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> voters.answered() >= 300);
            assertEquals(0, TestBroker.rabbitmqctl("stop_app"));
            Thread.sleep(5000); // down long enough for every connection to notice and start reconnecting
            assertEquals(0, TestBroker.rabbitmqctl("start_app"));
            assertEquals(0, TestBroker.rabbitmqctl("await_startup"));

            assertTrue(voters.awaitAllAnswered(Duration.ofSeconds(180)), voters.answered() + " answered");
            assertEquals(Map.of(), voters.refusals());
            Map<String, Long> expected = voters.expectedTally(OPTIONS);

            try (VoterProbe probe = new VoterProbe()) {
                ServerMessage published = probe.result(r -> r.total() == voters.voters());
                assertEquals(expected, new TreeMap<>(published.resultado()));
            }
            assertTrue(server.isAlive(), "the server rode out the restart");
            // Told in lines an operator reads, not in the stack traces of the libraries reconnecting.
            List<String> traces = server.log().lines().filter(line -> line.startsWith("\tat ")).toList();
            assertEquals(List.of(), traces.subList(0, Math.min(5, traces.size())), traces.size() + " stack trace lines");
            server.stop();
            assertEquals(expected, LedgerAudit.tally(server.ledgerStream()));
        }
    }
}
