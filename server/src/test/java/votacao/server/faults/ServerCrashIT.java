package votacao.server.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Connection;

import votacao.shared.ServerMessage;
import votacao.shared.Texts;
import votacao.shared.testing.ServerProcess;
import votacao.shared.testing.VoteDriver;
import votacao.shared.testing.VoterProbe;

/** The server killed with SIGKILL in the middle of a load, or stopped between two votes. */
class ServerCrashIT {

    private static final List<String> OPTIONS = List.of("A", "B", "C");

    @BeforeEach
    void noStrayVotes() throws Exception {
        try (Connection connection = VoterProbe.factory().newConnection()) {
            VoterProbe.purgeVotes(connection);
        }
    }

    @Test
    void killedMidLoadItLosesNothingAndCountsNothingTwice() throws Exception {
        try (ServerProcess server = ServerProcess.start("crash", Map.of("VOTACAO_DURACAO", "600s"));
                VoteDriver voters = new VoteDriver("crash", 40_000, OPTIONS);
                VoterProbe probe = new VoterProbe()) {
            CompletableFuture<Boolean> sent = voters.sendUntilATenthAnswered(Duration.ofSeconds(60));
            server.kill();
            int answeredBeforeTheCrash = voters.answered();
            sent.join(); // cut short by the kill, maybe: the voters send again below
            server.startAgain();

            assertTrue(voters.awaitAllAnswered(Duration.ofSeconds(120)), voters.answered() + " answered");
            assertEquals(Map.of(), voters.refusals(), "no voter may be told anything but a confirmation");
            assertEquals(voters.voters(), voters.confirmed().size());
            assertTrue(answeredBeforeTheCrash < voters.voters(), "the kill came in the middle of the load");

            Map<String, Long> expected = voters.expectedTally(OPTIONS);
            ServerMessage published = probe.result(r -> ServerMessage.PARCIAL.equals(r.tipo())
                    && r.total() == voters.voters());
            assertEquals(expected, new TreeMap<>(published.resultado()));
            server.stop();
            assertEquals(expected, LedgerAudit.tally(server.ledgerStream()));
            assertEquals(voters.voters(), LedgerAudit.read(server.ledgerStream()).latest().voters());
        }
    }

    @Test
    void aSecondVoteAfterARestartIsStillRefused() throws Exception {
        try (ServerProcess server = ServerProcess.start("restart", Map.of("VOTACAO_DURACAO", "600s"));
                VoterProbe probe = new VoterProbe()) {
            String user = VoterProbe.uniqueUser("restart");
            probe.votePlain(user, "B");
            assertEquals(ServerMessage.CONFIRMACAO, probe.answerTo(user).tipo());
            int status = server.stop();
            assertTrue(status == 0 || status == 143, "SIGTERM stops the server cleanly, status " + status);
            assertTrue(server.log().contains("server stopped in"), "a graceful shutdown");

            server.startAgain();
            probe.votePlain(user, "C");
            Awaitility.await().atMost(VoterProbe.PATIENCE).until(() -> probe.answersTo(user).size() == 2);
            assertEquals(Texts.ALREADY_VOTED, probe.answersTo(user).get(1).mensagem());
            assertTrue(server.log().contains("poll"), "the restart resumed the poll");
            assertEquals(Map.of("A", 0L, "B", 1L, "C", 0L), LedgerAudit.tally(server.ledgerStream()));
            String recount = server.recount();
            assertTrue(recount.contains("Tally: {A=0, B=1, C=0} total 1"), recount);
            assertTrue(recount.contains("Voters: 1"), recount);
        }
    }
}
