package votacao.shared;

import java.io.IOException;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;

/**
 * A client's own queue, as every client of the protocol has one: exclusive, deleted with its
 * connection, named by the broker (the server answers only into such queues), and bound to the
 * broadcast when the client follows the results. What arrives is decoded; what is not a server
 * message is ignored, as a client ignores what it does not understand.
 */
public final class ClientQueue {

    /** Told of each server message and the correlation id it came with (null for results). */
    @FunctionalInterface
    public interface Listener {
        void received(ServerMessage message, String correlationId);
    }

    private ClientQueue() {
    }

    /**
     * Declares the queue on this channel, consumes it, and returns its name (for {@code reply_to}). A queue
     * that follows the broadcast binds to its exchange, which must exist: see {@link PollExchanges}.
     */
    public static String open(Channel channel, boolean followBroadcast, Listener listener) throws IOException {
        String queue = channel.queueDeclare("", false, true, true, null).getQueue();
        if (followBroadcast) {
            channel.queueBind(queue, Protocol.BROADCAST_EXCHANGE, "");
        }
        channel.basicConsume(queue, true, (tag, delivery) -> {
            ServerMessage message;
            try {
                message = Codec.decodeServerMessage(delivery.getBody());
            } catch (IllegalArgumentException unreadable) {
                return;
            }
            listener.received(message, delivery.getProperties().getCorrelationId());
        }, tag -> {
        });
        return queue;
    }

    /**
     * The properties of a vote: persistent JSON, with its idempotency key ({@code message_id}), the
     * {@code correlation_id} its answer will carry, and the queue the answer goes to.
     */
    public static AMQP.BasicProperties voteProperties(String messageId, String correlationId, String replyTo) {
        return voteProperties(messageId, correlationId, replyTo, null);
    }

    /** The same, carrying the voter's credential (signed mode) when there is one. */
    public static AMQP.BasicProperties voteProperties(String messageId, String correlationId, String replyTo,
            String credential) {
        return new AMQP.BasicProperties.Builder()
                .contentType(Protocol.CONTENT_TYPE)
                .contentEncoding(Protocol.CONTENT_ENCODING)
                .deliveryMode(Protocol.PERSISTENT)
                .messageId(messageId)
                .correlationId(correlationId)
                .replyTo(replyTo)
                .headers(credential == null ? null : Map.of(Credential.HEADER, credential))
                .build();
    }
}
