package votacao.server.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import votacao.shared.ServerMessage;
import votacao.shared.testing.ServerProcess;
import votacao.shared.testing.VoterProbe;

/**
 * A confirm is not a write: with the ledger stream deleted under a running poll, the broker would
 * confirm an append that no queue took. No vote may be confirmed then, the server must say it is not
 * ready and why, and the stream must not come back empty.
 */
class DeletedLedgerIT {

    @Test
    void withTheLedgerGoneNoVoteIsConfirmedAndTheServerIsNotReady() throws Exception {
        try (ServerProcess server = ServerProcess.start("deleted-ledger", Map.of("VOTACAO_DURACAO", "600s"));
                VoterProbe probe = new VoterProbe();
                Connection admin = VoterProbe.factory().newConnection("votacao-test-admin")) {
            String before = VoterProbe.uniqueUser("before");
            probe.publish(vote(before), VoterProbe.withReply(probe.queue(), "m-" + before, before));
            assertEquals(ServerMessage.CONFIRMACAO, probe.answerTo(before).tipo());
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> server.httpStatus("/q/health/ready") == 200);

            Channel channel = admin.createChannel();
            channel.queueDelete(server.ledgerStream());

            String after = VoterProbe.uniqueUser("after");
            probe.publish(vote(after), VoterProbe.withReply(probe.queue(), "m-" + after, after));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> server.httpStatus("/q/health/ready") == 503);
            assertTrue(probe.answersTo(after).isEmpty(), "a vote written nowhere was answered: " + probe.answersTo(after));
            Channel check = admin.createChannel();
            assertThrows(IOException.class, () -> check.queueDeclarePassive(server.ledgerStream()),
                    "the ledger stream was declared again under the running poll");
        }
    }

    private static byte[] vote(String user) {
        return ("{\"userId\":\"" + user + "\",\"opcao\":\"A\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
