package votacao.client;

import java.io.IOException;
import java.util.function.Function;
import java.util.function.Supplier;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import io.quarkus.test.junit.main.LaunchResult;
import votacao.shared.Codec;
import votacao.shared.Protocol;
import votacao.shared.ServerMessage;
import votacao.shared.Vote;
import votacao.shared.testing.VoterProbe;

/**
 * A stand-in for a vote server that behaves like the original one: it takes votes from a queue of its
 * own bound to the votes exchange and answers on the fanout, ignoring reply_to and correlation ids.
 */
final class FanoutAnsweringServer {

    private final Connection connection;

    /** @param answers what to publish on the fanout for each vote, in order (none: an empty array) */
    FanoutAnsweringServer(Connection connection, Function<Vote, ServerMessage[]> answers) throws IOException {
        this.connection = connection;
        Channel channel = connection.createChannel();
        channel.exchangeDeclare(Protocol.VOTES_EXCHANGE, BuiltinExchangeType.DIRECT, true);
        channel.exchangeDeclare(Protocol.BROADCAST_EXCHANGE, BuiltinExchangeType.FANOUT, true);
        String votes = channel.queueDeclare("", false, true, true, null).getQueue();
        channel.queueBind(votes, Protocol.VOTES_EXCHANGE, Protocol.VOTE_ROUTING_KEY);
        channel.basicConsume(votes, true, (tag, delivery) -> {
            for (ServerMessage answer : answers.apply(Codec.decode(delivery.getBody(), Vote.class))) {
                channel.basicPublish(Protocol.BROADCAST_EXCHANGE, "", new AMQP.BasicProperties(), Codec.encode(answer));
            }
        }, tag -> {
        });
    }

    /**
     * Runs the client; then empties the real server's vote queue, if a test declared it: it got a copy of
     * each vote, which must not count in a later poll.
     */
    LaunchResult run(Supplier<LaunchResult> client) throws IOException {
        try {
            return client.get();
        } finally {
            VoterProbe.purgeVotes(connection);
        }
    }
}
