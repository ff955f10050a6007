package votacao.server.amqp;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;

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
 *
 * <p>While the server's connection is away, an answer waits for it (tried again with a growing pause, for
 * up to {@link #PATIENCE_MILLIS}) instead of failing at once: its vote, handed back to the queue, would
 * come straight back through the connector's connection, which may well be up, fail again, and after
 * twenty rounds in a few milliseconds end in the dead-letter queue unanswered (10 of 300 votes when a
 * forged reply_to made the broker close this connection, 2026-12-04).
 */
public final class AnswerChannel implements AutoCloseable {

    private static final BackOff RETRY = new BackOff(100, 2000);
    /** How long an answer waits for the connection; then its vote goes back to the queue. */
    static final long PATIENCE_MILLIS = 30_000;

    private final Connection connection;
    /** Answers and dead letters alike: both are confirmed before their vote is acknowledged. */
    private final ConfirmedPublisher publisher;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "answer-retries");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;

    public AnswerChannel(Connection connection) {
        this.connection = connection;
        this.publisher = new ConfirmedPublisher(connection);
    }

    /**
     * Sends an answer to a queue through the default exchange, or to every client when queue is null;
     * completes when the broker has confirmed it (a queue that no longer exists confirms it too: its voter
     * is gone, or sends the vote again from a new queue).
     */
    public CompletableFuture<Void> send(String queue, AMQP.BasicProperties properties, byte[] body) {
        return queue == null ? publish(Protocol.BROADCAST_EXCHANGE, "", properties, body, System.nanoTime(), 0)
                : publish("", queue, properties, body, System.nanoTime(), 0);
    }

    /** Copies an unreadable vote to the dead-letter queue; completes when the broker has confirmed it. */
    public CompletableFuture<Void> deadLetter(AMQP.BasicProperties properties, byte[] body) {
        return publish("", Protocol.DEAD_LETTER_QUEUE, properties, body, System.nanoTime(), 0);
    }

    private CompletableFuture<Void> publish(String exchange, String routingKey, AMQP.BasicProperties properties,
            byte[] body, long since, int attempt) {
        return publisher.publish(exchange, routingKey, properties, body).exceptionallyCompose(failure -> {
            if (closed || !connectionAway(failure)
                    || TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since) > PATIENCE_MILLIS) {
                return CompletableFuture.failedFuture(failure);
            }
            CompletableFuture<Void> again = new CompletableFuture<>();
            long pause = RETRY.pauseMillis(attempt);
            retries.schedule(() -> publish(exchange, routingKey, properties, body, since, attempt + 1)
                    .whenComplete((ok, failed) -> {
                        if (failed == null) {
                            again.complete(null);
                        } else {
                            again.completeExceptionally(failed);
                        }
                    }), pause, TimeUnit.MILLISECONDS);
            return again;
        });
    }

    /**
     * Whether a publish failed because the connection is away (it recovers by itself), not because of the
     * message: a broker's refusal or a channel error fails at once, so that a vote whose answer cannot go
     * out still reaches its delivery limit.
     */
    private boolean connectionAway(Throwable failure) {
        if (!connection.isOpen()) {
            return true;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ShutdownSignalException shutdown) {
                return shutdown.isHardError() && !shutdown.isInitiatedByApplication();
            }
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        retries.shutdown(); // what waits still runs, and fails: the publisher is closed
        publisher.close();
    }
}
