package votacao.server.amqp;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * Declares a durable queue with its bounds (length, age), or keeps it as it is when an earlier version
 * declared it without them. RabbitMQ refuses to declare an existing queue with different arguments
 * (406 PRECONDITION_FAILED), and a queue's arguments cannot change: such a queue keeps working,
 * unbounded, and the log says how to bound it (a policy, which applies to existing queues) until it is
 * recreated.
 */
public final class QueueBounds {

    private static final Logger LOG = Logger.getLogger(QueueBounds.class);
    private static final int PRECONDITION_FAILED = 406;

    private QueueBounds() {
    }

    /**
     * Declares {@code queue} with {@code arguments} and {@code bounds}; returns the bounds when the queue
     * now has them, or an empty map when it exists without them (declared before they were set).
     *
     * @param policy the {@code rabbitmqctl set_policy} definition that bounds it the same, for the log
     */
    public static Map<String, Object> declare(Connection connection, String queue, Map<String, Object> arguments,
            Map<String, Object> bounds, String policy) throws IOException {
        Map<String, Object> bounded = new HashMap<>(arguments);
        bounded.putAll(bounds);
        try {
            declare(connection, queue, bounded);
            return bounds;
        } catch (IOException refused) {
            if (!isPreconditionFailed(refused)) {
                throw refused;
            }
            try {
                declare(connection, queue, arguments); // as an earlier version declared it
            } catch (IOException differs) {
                if (isPreconditionFailed(differs)) {
                    throw new Mismatch(queue, bounds);
                }
                throw differs;
            }
            LOG.warnf("The queue %s was declared without the bounds %s (by an earlier version) and keeps working"
                    + " without them. To bound it now: rabbitmqctl set_policy %s '^%s$' '%s' --apply-to queues;"
                    + " or delete it when it is empty and let the server declare it again.", queue, bounds,
                    queue.replace('.', '-') + "-limites", queue.replace(".", "\\."), policy);
            return Map.of();
        }
    }

    /** Declares the queue only if it does not exist: one that does is taken as it is, whatever its arguments. */
    public static void declareIfMissing(Connection connection, String queue, Map<String, Object> arguments)
            throws IOException {
        Channel channel = connection.createChannel();
        try {
            channel.queueDeclarePassive(queue);
            channel.close();
            return;
        } catch (IOException missing) {
            // a failed passive declare closes the channel: declare it on another
        } catch (TimeoutException | ShutdownSignalException ignored) {
            return;
        }
        declare(connection, queue, arguments);
    }

    private static void declare(Connection connection, String queue, Map<String, Object> arguments)
            throws IOException {
        Channel channel = connection.createChannel();
        try {
            channel.queueDeclare(queue, true, false, false, arguments);
        } finally {
            if (channel.isOpen()) {
                try {
                    channel.close();
                } catch (IOException | TimeoutException | ShutdownSignalException ignored) {
                    // the declaration's outcome is what counts
                }
            }
        }
    }

    /** The queue exists with other bounds (or other arguments) than these: it cannot be declared as configured. */
    public static final class Mismatch extends IOException {
        Mismatch(String queue, Map<String, Object> bounds) {
            super("the queue " + queue + " exists with other arguments than " + bounds + " (were its bounds changed"
                    + " after it was created?); delete it while it is empty, or configure the bounds it was created"
                    + " with");
        }
    }

    private static boolean isPreconditionFailed(IOException e) {
        return e.getCause() instanceof ShutdownSignalException signal
                && signal.getReason() instanceof com.rabbitmq.client.AMQP.Channel.Close close
                && close.getReplyCode() == PRECONDITION_FAILED;
    }
}
