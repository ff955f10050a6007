package votacao.server.amqp;

import java.util.concurrent.CompletableFuture;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;

import votacao.shared.Protocol;

/**
 * Publishes the answers to the voters, and the unreadable votes to the dead-letter queue, on the
 * server's own connection, straight from the calling thread, each with a publisher confirm.
 *
 * <p>Not through a messaging channel: the connector's outgoing channels publish one message at a time,
 * each through a round trip to a Vert.x worker thread, which capped the answers near a thousand a second
 * on two cores and held the vote workers in line behind it.
 *
 * <p>A vote is acknowledged only once its answer is confirmed. The answer and the acknowledgement travel
 * on different connections (the votes come through the connector's), which on a cluster can be on
 * different nodes: when the answer's node went down, an answer lost with it had its vote acknowledged
 * through the other node all the same, and a voter whose own connection never failed waited for it for
 * ever (164 of 20,000 in one node-loss run). Confirmed first, a lost answer fails its vote back to the
 * queue, and the vote is answered again.
 */
public final class AnswerChannel implements AutoCloseable {

    /** Answers and dead letters alike: both are confirmed before their vote is acknowledged. */
    private final ConfirmedPublisher publisher;

    public AnswerChannel(Connection connection) {
        this.publisher = new ConfirmedPublisher(connection);
    }

    /**
     * Sends an answer to a queue through the default exchange, or to every client when queue is null;
     * completes when the broker has confirmed it (a queue that no longer exists confirms it too: its voter
     * is gone, or sends the vote again from a new queue).
     */
    public CompletableFuture<Void> send(String queue, AMQP.BasicProperties properties, byte[] body) {
        return queue == null ? publisher.publish(Protocol.BROADCAST_EXCHANGE, "", properties, body)
                : publisher.publish("", queue, properties, body);
    }

    /** Copies an unreadable vote to the dead-letter queue; completes when the broker has confirmed it. */
    public CompletableFuture<Void> deadLetter(AMQP.BasicProperties properties, byte[] body) {
        return publisher.publish("", Protocol.DEAD_LETTER_QUEUE, properties, body);
    }

    @Override
    public void close() {
        publisher.close();
    }
}
