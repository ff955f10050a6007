package votacao.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


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
 * Against a server that behaves like the original one (answers on the fanout, ignores reply_to and
 * correlation ids), the client still finds its answer among everyone's.
 */
@QuarkusMainTest
class FanoutOnlyServerTest {

    @Test
    void findsItsAnswerOnTheFanout(QuarkusMainLauncher launcher) throws Exception {
        try (Connection connection = VoterProbe.factory().newConnection("original-like-server")) {
            Channel channel = connection.createChannel();
            channel.exchangeDeclare(Protocol.VOTES_EXCHANGE, BuiltinExchangeType.DIRECT, true);
            channel.exchangeDeclare(Protocol.BROADCAST_EXCHANGE, BuiltinExchangeType.FANOUT, true);
            String votes = channel.queueDeclare("", false, true, true, null).getQueue();
            channel.queueBind(votes, Protocol.VOTES_EXCHANGE, Protocol.VOTE_ROUTING_KEY);
            channel.basicConsume(votes, true, (tag, delivery) -> {
                Vote vote = Codec.decode(delivery.getBody(), Vote.class);
                AMQP.BasicProperties plain = new AMQP.BasicProperties();
                // Someone else's answer first: the client must not take it for its own.
                channel.basicPublish(Protocol.BROADCAST_EXCHANGE, "", plain,
                        Codec.encode(ServerMessage.error("someone-else", "Você já votou.")));
                channel.basicPublish(Protocol.BROADCAST_EXCHANGE, "", plain,
                        Codec.encode(ServerMessage.confirmation(vote.userId())));
            }, tag -> {
            });

            LaunchResult result;
            try {
                result = launcher.launch("--user-id", VoterProbe.uniqueUser("legacy"), "--option", "B",
                        "--no-follow", "--timeout", "15");
            } finally {
                // The real server's queue got a copy of the vote too: it must not count in a later poll.
                VoterProbe.purgeVotes(connection);
            }
            assertEquals(ExitCode.CONFIRMED, result.exitCode(), result.getErrorOutput());
            assertTrue(result.getOutput().contains("Voto registrado com sucesso."));
        }
    }

}
