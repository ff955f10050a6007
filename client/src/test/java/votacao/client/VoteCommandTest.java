package votacao.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import votacao.shared.Protocol;
import votacao.shared.Texts;
import votacao.shared.testing.ServerProcess;
import votacao.shared.testing.VoterProbe;
import votacao.shared.testing.VotersUser;

/** The client against the packaged server and the real broker. */
@QuarkusMainTest
public class VoteCommandTest {

    private static ServerProcess server;

    @BeforeAll
    static void startServer() throws Exception {
        server = ServerProcess.start("client-test", Map.of("VOTACAO_DURACAO", "600s"));
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void aConfirmedVoteExitsZeroAndASecondOneTwo(QuarkusMainLauncher launcher) {
        String user = VoterProbe.uniqueUser("cli");
        LaunchResult first = launcher.launch("--user-id", user, "--option", "A", "--no-follow");
        assertEquals(ExitCode.CONFIRMED, first.exitCode(), first.getErrorOutput());
        assertTrue(first.getOutput().contains(Texts.VOTE_RECORDED), first.getOutput());

        LaunchResult second = launcher.launch("--user-id", user, "--option", "B", "--no-follow");
        assertEquals(ExitCode.REFUSED, second.exitCode());
        assertTrue(second.getErrorOutput().contains(Texts.ALREADY_VOTED), second.getErrorOutput());
    }

    @Test
    void aVotersUserThatMayNotDeclareTheExchangesVotesButWritesNothingElse(QuarkusMainLauncher launcher)
            throws Exception {
        try (VotersUser voters = VotersUser.create()) {
            LaunchResult result = launcher.launch(voters.arguments("--user-id", VoterProbe.uniqueUser("least"),
                    "--option", "A", "--no-follow"));
            assertEquals(ExitCode.CONFIRMED, result.exitCode(), result.getErrorOutput());
            assertTrue(result.getOutput().contains(Texts.VOTE_RECORDED), result.getOutput());

            // What such a user is for: it cannot announce results or write into the ledger itself.
            try (Connection connection = voters.factory().newConnection("least-privilege-voter")) {
                assertEquals(AMQP.ACCESS_REFUSED, VotersUser.publishRefusal(connection, Protocol.BROADCAST_EXCHANGE, ""));
                assertEquals(AMQP.ACCESS_REFUSED, VotersUser.publishRefusal(connection, "", "votacao.ledger"));
            }
        }
    }

    @Test
    void anInvalidOptionExitsTwo(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("--user-id", VoterProbe.uniqueUser("cli"), "--option", "Z", "--no-follow");
        assertEquals(ExitCode.REFUSED, result.exitCode());
        assertTrue(result.getErrorOutput().contains(Texts.INVALID_OPTION), result.getErrorOutput());
    }

    @Test
    void anUnreachableBrokerExitsOneWithOneLine(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("--user-id", "x", "--option", "A", "--host", "localhost", "--port", "1");
        assertEquals(ExitCode.UNREACHABLE, result.exitCode());
        assertEquals(1, result.getErrorOutput().strip().lines().count(), result.getErrorOutput());
        assertTrue(result.getErrorOutput().contains("localhost:1"), result.getErrorOutput());
        assertFalse(result.getErrorOutput().contains("Exception"), result.getErrorOutput());
    }

    @Test
    void helpListsTheExitCodes(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("--help");
        assertEquals(0, result.exitCode());
        assertTrue(result.getOutput().contains("--user-id"));
        assertTrue(result.getOutput().contains("Códigos de saída"));
    }
}
