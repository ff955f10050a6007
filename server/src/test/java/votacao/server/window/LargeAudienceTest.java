package votacao.server.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import io.quarkus.test.junit.QuarkusTest;
import votacao.shared.Protocol;
import votacao.shared.ServerMessage;
import votacao.shared.testing.VoteDriver;
import votacao.shared.testing.VoterProbe;

/**
 * Thousands of clients watch the broadcast, as the original clients do (a queue each, bound to the
 * fanout), and none of them reads: every result is copied into every queue. Votes must still be
 * answered, and once they stop a subscriber must get the exact latest tally within a few seconds.
 */
@QuarkusTest
class LargeAudienceTest {

    private static final int AUDIENCE = 3000;
    private static final int VOTERS = 3000;
    private static final List<String> OPTIONS = List.of("A", "B", "C");

    @Test
    void votesAreAnsweredWhileTheBroadcastIsSaturatedAndTheLatestTallyArrivesOnceTheyStop() throws Exception {
        try (Connection audience = VoterProbe.factory().newConnection("votacao-test-audience");
                VoterProbe probe = new VoterProbe();
                VoteDriver voters = new VoteDriver("audience", VOTERS, OPTIONS)) {
            Channel channel = audience.createChannel();
            for (int i = 0; i < AUDIENCE; i++) {
                String queue = channel.queueDeclare("", false, true, true, null).getQueue();
                channel.queueBind(queue, Protocol.BROADCAST_EXCHANGE, "");
            }
            long before = probe.result(m -> ServerMessage.PARCIAL.equals(m.tipo())).total();

            assertTrue(voters.sendUnanswered(), "the broker took the votes");
            assertTrue(voters.awaitAllAnswered(Duration.ofSeconds(90)),
                    "answered " + voters.answered() + " of " + voters.voters() + " while the broadcast was saturated");
            assertEquals(VOTERS, voters.confirmed().size(), "refused: " + voters.refusals());

            ServerMessage latest = probe.result(m -> m.total() >= before + VOTERS);
            assertEquals(before + VOTERS, latest.total());
        }
    }
}
