package votacao.server.amqp;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import votacao.shared.Protocol;

/**
 * Publishes the answers to the voters, and the unreadable votes to the dead-letter queue, on the
 * server's own connection, straight from the calling thread.
 *
 * <p>Not through a messaging channel: the connector's outgoing channels publish one message at a time,
 * each through a round trip to a Vert.x worker thread, which capped the answers near a thousand a second
 * on two cores and held the vote workers in line behind it.
 *
 * <p>Answers go without publisher confirms. An answer is sent only once the vote's outcome is durable,
 * and the vote is acknowledged right after; if the broker loses the answer anyway, the voter sends the
 * vote again with the same {@code message_id} and gets the same answer (it counts once). A dead letter
 * is the only copy of an unreadable vote, so it waits for its confirm before the vote is acknowledged.
 */
public final class AnswerChannel implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AnswerChannel.class);

    private final Connection connection;
    private final ConfirmedPublisher deadLetters;
    private Channel channel;

    public AnswerChannel(Connection connection) {
        this.connection = connection;
        this.deadLetters = new ConfirmedPublisher(connection);
    }

    /** Sends an answer to a queue through the default exchange, or to every client when queue is null. */
    public synchronized void send(String queue, AMQP.BasicProperties properties, byte[] body) throws IOException {
        Channel open = channel;
        if (open == null || !open.isOpen()) {
            open = connection.createChannel();
            channel = open;
        }
        if (queue == null) {
            open.basicPublish(Protocol.BROADCAST_EXCHANGE, "", properties, body);
        } else {
            open.basicPublish("", queue, properties, body);
        }
    }

    /** Copies an unreadable vote to the dead-letter queue; completes when the broker has confirmed it. */
    public CompletableFuture<Void> deadLetter(AMQP.BasicProperties properties, byte[] body) {
        return deadLetters.publish("", Protocol.DEAD_LETTER_QUEUE, properties, body);
    }

    @Override
    public synchronized void close() {
        deadLetters.close();
        if (channel != null && channel.isOpen()) {
            try {
                channel.close();
            } catch (IOException | TimeoutException | RuntimeException e) {
                LOG.debugf("closing the answers' channel: %s", e.getMessage());
            }
        }
    }
}
