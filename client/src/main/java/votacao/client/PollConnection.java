package votacao.client;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import votacao.shared.BrokerSettings;
import votacao.shared.ClientQueue;
import votacao.shared.Codec;
import votacao.shared.PollExchanges;
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
        PollExchanges.declareOrCheck(connection);
        this.channel = connection.createChannel();
        channel.confirmSelect();
        // A vote that reaches no queue means no server has ever declared one: say so instead of waiting.
        channel.addReturnListener(returned -> voteUnroutable = true);
        queue = ClientQueue.open(channel, true, (message, correlationId) -> inbox.add(new ServerEvent(message, correlationId)));
    }

    /** @param slow told when the broker leaves the handshake unanswered and the client goes on trying */
    public static PollConnection open(BrokerSettings broker, BrokerSettings.SlowBroker slow)
            throws IOException, TimeoutException {
        return new PollConnection(broker.connect(broker.connectionFactory(), "votacao-client", slow));
    }

    /**
     * Publishes a vote (again, when retrying: same {@code messageId}) and waits for the broker to take
     * responsibility for it; false when the broker refused it (a nack: a full queue, or one without a leader). The
     * credential (signed mode) travels in its header; null for none.
     */
    public boolean vote(Vote vote, String messageId, String correlationId, String credential)
            throws IOException, InterruptedException, TimeoutException {
        AMQP.BasicProperties properties = ClientQueue.voteProperties(messageId, correlationId, queue, credential);
        channel.basicPublish(Protocol.VOTES_EXCHANGE, Protocol.VOTE_ROUTING_KEY, true, properties, Codec.encode(vote));
        return channel.waitForConfirms(CONFIRM_TIMEOUT_MS);
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
