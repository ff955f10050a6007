package votacao.client;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import votacao.shared.BrokerSettings;
import votacao.shared.Codec;
import votacao.shared.Protocol;
import votacao.shared.Vote;

/**
 * The client's link to the poll: its own exclusive queue bound to the broadcast before anything is
 * voted (so no answer or result can be missed), and votes published persistently with a publisher
 * confirm and an answer address ({@code reply_to}) on that queue.
 */
public final class PollConnection implements AutoCloseable {

    private static final long CONFIRM_TIMEOUT_MS = 10_000;

    private final Connection connection;
    private final Channel channel;
    private final String queue;
    private final BlockingQueue<ServerEvent> inbox = new LinkedBlockingQueue<>();
    private volatile boolean voteUnroutable;

    private PollConnection(Connection connection) throws IOException {
        this.connection = connection;
        this.channel = connection.createChannel();
        channel.exchangeDeclare(Protocol.VOTES_EXCHANGE, BuiltinExchangeType.DIRECT, true);
        channel.exchangeDeclare(Protocol.BROADCAST_EXCHANGE, BuiltinExchangeType.FANOUT, true);
        queue = channel.queueDeclare("", false, true, true, null).getQueue();
        channel.queueBind(queue, Protocol.BROADCAST_EXCHANGE, "");
        channel.confirmSelect();
        // A vote that reaches no queue means no server has ever declared one: say so instead of waiting.
        channel.addReturnListener(returned -> voteUnroutable = true);
        channel.basicConsume(queue, true, (tag, delivery) -> {
            try {
                inbox.add(new ServerEvent(Codec.decodeServerMessage(delivery.getBody()),
                        delivery.getProperties().getCorrelationId()));
            } catch (IllegalArgumentException unreadable) {
                // Not a server message; a client ignores what it does not understand.
            }
        }, tag -> {
        });
    }

    public static PollConnection open(BrokerSettings broker) throws IOException, TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(broker.uri());
        } catch (Exception e) {
            throw new IOException("invalid broker address " + broker.describe(), e);
        }
        factory.setConnectionTimeout(5000);
        factory.setAutomaticRecoveryEnabled(false);
        return new PollConnection(factory.newConnection("votacao-client"));
    }

    /**
     * Publishes a vote (again, when retrying: same {@code messageId}) and waits for the broker to take
     * responsibility for it.
     */
    public void vote(Vote vote, String messageId, String correlationId)
            throws IOException, InterruptedException, TimeoutException {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType(Protocol.CONTENT_TYPE)
                .contentEncoding(Protocol.CONTENT_ENCODING)
                .deliveryMode(Protocol.PERSISTENT)
                .messageId(messageId)
                .correlationId(correlationId)
                .replyTo(queue)
                .build();
        channel.basicPublish(Protocol.VOTES_EXCHANGE, Protocol.VOTE_ROUTING_KEY, true, properties, Codec.encode(vote));
        channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** The next message from the server, or null when none came within the wait. */
    public ServerEvent next(long waitMillis) throws InterruptedException {
        return inbox.poll(waitMillis, TimeUnit.MILLISECONDS);
    }

    public boolean voteUnroutable() {
        return voteUnroutable;
    }

    @Override
    public void close() {
        try {
            connection.close(2000);
        } catch (IOException | RuntimeException e) {
            connection.abort();
        }
    }
}
