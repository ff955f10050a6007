package votacao.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Connection;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import votacao.shared.ServerMessage;
import votacao.shared.testing.VoterProbe;

/**
 * Against a server that behaves like the original one (answers on the fanout, ignores reply_to and
 * correlation ids), the client still finds its answer among everyone's.
 */
@QuarkusMainTest
class FanoutOnlyServerTest {

    @Test
    void findsItsAnswerOnTheFanout(QuarkusMainLauncher launcher) throws Exception {
        try (Connection connection = VoterProbe.factory().newConnection("original-like-server")) {
            // Someone else's answer first: the client must not take it for its own.
            FanoutAnsweringServer server = new FanoutAnsweringServer(connection, vote -> new ServerMessage[] {
                ServerMessage.error("someone-else", "Você já votou."), ServerMessage.confirmation(vote.userId()) });
            LaunchResult result = server.run(() -> launcher.launch("--user-id", VoterProbe.uniqueUser("legacy"),
                    "--option", "B", "--no-follow", "--timeout", "15"));
            assertEquals(ExitCode.CONFIRMED, result.exitCode(), result.getErrorOutput());
            assertTrue(result.getOutput().contains("Voto registrado com sucesso."));
        }
    }

}
