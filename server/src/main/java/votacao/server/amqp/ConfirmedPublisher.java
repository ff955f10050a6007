package votacao.server.amqp;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * Publishes on one AMQP channel in confirm mode, straight from the calling thread, and tells each
 * caller when the broker has confirmed its message. Safe for many threads at once.
 *
 * <p>It exists because the messaging connector's outgoing channels publish one message at a time,
 * each through a round trip to a Vert.x worker thread: on two cores that capped the answers to the
 * voters near a thousand a second, and held every vote worker waiting in line for its turn.
 *
 * <p>A channel that shuts down fails everything still unconfirmed on it and is never used again.
 * The connection's automatic recovery would reopen it, but with a window where confirms are not yet
 * enabled again: a message published then could be dropped and still look confirmed. A new channel is
 * opened instead, once the connection is back, in confirm mode before its first publish.
 */
public final class ConfirmedPublisher implements AutoCloseable {

    /** What a new channel must pass before anything is published on it. */
    @FunctionalInterface
    public interface Readiness {
        void check(Channel fresh) throws IOException;
    }

    private final Connection connection;
    private final Readiness readiness;
    private final Consumer<ShutdownSignalException> onLoss;
    private volatile ConfirmedChannel current;
    private volatile boolean closed;

    /**
     * @param readiness checked on each new channel before its first publish
     * @param onLoss told when a channel shuts down without this publisher asking it to
     */
    public ConfirmedPublisher(Connection connection, Readiness readiness, Consumer<ShutdownSignalException> onLoss) {
        this.connection = connection;
        this.readiness = readiness;
        this.onLoss = onLoss;
    }

    /** A publisher whose channels need no check and whose losses need no action. */
    public ConfirmedPublisher(Connection connection) {
        this(connection, fresh -> {
        }, loss -> {
        });
    }

    /** Publishes; the future completes when the broker confirms the message, and fails if it refuses it. */
    public CompletableFuture<Void> publish(String exchange, String routingKey, AMQP.BasicProperties properties,
            byte[] body) {
        return publish(exchange, routingKey, false, properties, body);
    }

    /**
     * Publishes with the {@code mandatory} flag: a message that no queue took is returned by the broker
     * and its future fails, where a plain publish would be confirmed all the same. The message's
     * {@code message_id} is used to tell which one came back.
     */
    public CompletableFuture<Void> publishMandatory(String exchange, String routingKey, AMQP.BasicProperties properties,
            byte[] body) {
        return publish(exchange, routingKey, true, properties, body);
    }

    private CompletableFuture<Void> publish(String exchange, String routingKey, boolean mandatory,
            AMQP.BasicProperties properties, byte[] body) {
        try {
            return usableChannel().publish(exchange, routingKey, mandatory, properties, body);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private ConfirmedChannel usableChannel() throws IOException {
        ConfirmedChannel channel = current;
        if (channel != null && channel.isUsable()) {
            return channel;
        }
        synchronized (this) {
            channel = current;
            if (channel != null && channel.isUsable()) {
                return channel;
            }
            if (closed) {
                throw new IOException("publisher closed");
            }
            if (!connection.isOpen()) {
                throw new IOException("no connection to the broker");
            }
            if (channel != null) {
                channel.abandon();
            }
            Channel fresh = connection.createChannel();
            try {
                readiness.check(fresh);
                current = new ConfirmedChannel(fresh, onLoss);
            } catch (IOException | RuntimeException e) {
                Channels.abortQuietly(fresh);
                throw e;
            }
            return current;
        }
    }

    @Override
    public void close() {
        closed = true;
        ConfirmedChannel channel = current;
        if (channel != null) {
            channel.failAll(new IOException("publisher closed"));
            channel.close();
        }
    }
}
