package votacao.server.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;

import io.quarkus.test.junit.QuarkusTest;
import votacao.shared.Protocol;
import votacao.shared.ServerMessage;
import votacao.shared.testing.VoterProbe;

/** A vote whose processing always throws is dead-lettered after the quorum queue's delivery limit. */
@QuarkusTest
class PoisonMessageTest {

    @Test
    void aPoisonMessageEndsInTheDeadLetterQueueAndVotesKeepFlowing() throws Exception {
        try (VoterProbe probe = new VoterProbe()) {
            String poisoned = VoterProbe.uniqueUser(PoisonedAnswerSender.POISON);
            String messageId = "poison-" + poisoned;
            byte[] body = ("{\"userId\":\"" + poisoned + "\",\"opcao\":\"A\"}").getBytes(StandardCharsets.UTF_8);
            probe.publish(body, new AMQP.BasicProperties.Builder().messageId(messageId).build());

            String healthy = VoterProbe.uniqueUser("healthy");
            probe.votePlain(healthy, "B");
            assertEquals(ServerMessage.CONFIRMACAO, probe.answerTo(healthy).tipo());

            AtomicReference<GetResponse> dead = new AtomicReference<>();
            Awaitility.await().atMost(VoterProbe.PATIENCE.multipliedBy(3)).until(() -> {
                GetResponse letter;
                while ((letter = probe.take(Protocol.DEAD_LETTER_QUEUE)) != null) {
                    if (messageId.equals(letter.getProps().getMessageId())) {
                        dead.set(letter);
                    }
                }
                return dead.get() != null;
            });
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> deaths = (List<Map<String, Object>>) dead.get().getProps().getHeaders().get("x-death");
            assertNotNull(deaths, "the broker says why it dead-lettered the vote");
            assertEquals("delivery_limit", String.valueOf(deaths.get(0).get("reason")));

            String after = VoterProbe.uniqueUser("after-poison");
            probe.votePlain(after, "C");
            assertEquals(ServerMessage.CONFIRMACAO, probe.answerTo(after).tipo());
        }
    }
}
