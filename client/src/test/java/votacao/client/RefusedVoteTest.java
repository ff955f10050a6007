package votacao.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import votacao.shared.Codec;
import votacao.shared.Protocol;
import votacao.shared.ServerMessage;
import votacao.shared.Vote;
import votacao.shared.testing.VoterProbe;

/**
 * The broker refuses a vote (a nack) while a queue it routes to is full, or while a quorum queue has no
 * leader: that passes, so the client sends the vote again (same message id) until its timeout instead of
 * giving up at the first refusal.
 */
@QuarkusMainTest
class RefusedVoteTest {

    @Test
    void aVoteRefusedForAWhileIsSentAgainAndAnswered(QuarkusMainLauncher launcher) throws Exception {
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try (Connection connection = VoterProbe.factory().newConnection("refusing-broker")) {
            Channel server = connection.createChannel();
            server.exchangeDeclare(Protocol.VOTES_EXCHANGE, BuiltinExchangeType.DIRECT, true);
            server.exchangeDeclare(Protocol.BROADCAST_EXCHANGE, BuiltinExchangeType.FANOUT, true);
            // A queue that takes nothing: while it is bound, every vote published to the exchange is nacked.
            Channel admin = connection.createChannel();
            String full = admin.queueDeclare("", false, true, true,
                    Map.of("x-max-length", 0, "x-overflow", "reject-publish")).getQueue();
            admin.queueBind(full, Protocol.VOTES_EXCHANGE, Protocol.VOTE_ROUTING_KEY);
            AtomicBoolean refusing = new AtomicBoolean(true);
            // A server that answers (on the fanout, as the original does) only the votes that were not refused.
            // The refused vote reaches its queue all the same: a second after that, the full queue goes.
            String votes = server.queueDeclare("", false, true, true, null).getQueue();
            server.queueBind(votes, Protocol.VOTES_EXCHANGE, Protocol.VOTE_ROUTING_KEY);
            server.basicConsume(votes, true, (tag, delivery) -> {
                if (refusing.get()) {
                    later.schedule(() -> {
                        admin.queueDelete(full);
                        refusing.set(false);
                        return null;
                    }, 1, TimeUnit.SECONDS);
                } else {
                    Vote vote = Codec.decode(delivery.getBody(), Vote.class);
                    server.basicPublish(Protocol.BROADCAST_EXCHANGE, "", new AMQP.BasicProperties(),
                            Codec.encode(ServerMessage.confirmation(vote.userId())));
                }
            }, tag -> {
            });

            LaunchResult result;
            try {
                result = launcher.launch("--user-id", VoterProbe.uniqueUser("refused"), "--option", "A",
                        "--no-follow", "--timeout", "15");
            } finally {
                // The real server's queue, if a test declared it, got copies of the vote: they must not count later.
                VoterProbe.purgeVotes(connection);
            }
            assertEquals(ExitCode.CONFIRMED, result.exitCode(), result.getErrorOutput());
            assertTrue(result.getErrorOutput().contains("recusou o voto"), result.getErrorOutput());
            assertTrue(result.getOutput().contains("Voto registrado com sucesso."), result.getOutput());
        } finally {
            later.shutdownNow();
        }
    }
}
