package votacao.server.amqp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;

import votacao.shared.Failures;

/**
 * Declares a durable queue with the optional features this version gives it (bounds, single active
 * consumer, quorum type…), or with as many of them as it can when an earlier version declared it
 * without them. RabbitMQ refuses to declare an existing queue with different arguments
 * (406 PRECONDITION_FAILED), and a queue's arguments cannot change: such a queue keeps working without
 * the missing features, and the log says how to get them (a policy where one applies to existing
 * queues, else recreating the queue when it is empty).
 */
public final class QueueBounds {

    private static final Logger LOG = Logger.getLogger(QueueBounds.class);

    private QueueBounds() {
    }

    /**
     * An optional part of a queue's declaration: its arguments, and what to do when an existing queue
     * lacks it.
     */
    public record Feature(String name, Map<String, Object> arguments, String remedy) {
    }

    /**
     * Declares {@code queue} with {@code arguments} and {@code bounds}; returns the bounds when the queue
     * now has them, or an empty map when it exists without them (declared before they were set).
     *
     * @param policy the {@code rabbitmqctl set_policy} definition that bounds it the same, for the log
     */
    public static Map<String, Object> declare(Connection connection, String queue, Map<String, Object> arguments,
            Map<String, Object> bounds, String policy) throws IOException {
        return declare(connection, queue, arguments, List.of(bounds(queue, bounds, policy)));
    }

    /** The feature of a queue's length or age bounds, which a policy can give an existing queue. */
    public static Feature bounds(String queue, Map<String, Object> bounds, String policy) {
        return new Feature("the bounds " + bounds, bounds, "to bound it now: rabbitmqctl set_policy "
                + queue.replace('.', '-') + "-limites '^" + queue.replace(".", "\\.") + "$' '" + policy
                + "' --apply-to queues; or delete it when it is empty and let the server declare it again");
    }

    /** The feature of the number of cluster nodes a new queue starts on ({@code argument} names it for its type). */
    public static Feature replicas(String queue, String argument, int replicas) {
        return new Feature(replicas + " replicas", Map.of(argument, replicas), "It keeps the replicas it was"
                + " created with; rabbitmq-queues add_member " + queue + " NODE adds one");
    }

    /**
     * Declares {@code queue} with {@code arguments} and as many of {@code features} as the broker takes
     * (all of them for a new queue; earlier features are preferred); returns the extra arguments it was
     * declared with.
     *
     * @throws Mismatch when the queue takes none of the combinations: it was declared otherwise
     */
    public static Map<String, Object> declare(Connection connection, String queue, Map<String, Object> arguments,
            List<Feature> features) throws IOException {
        for (List<Feature> chosen : combinations(features)) {
            Map<String, Object> extra = new HashMap<>();
            chosen.forEach(feature -> extra.putAll(feature.arguments()));
            Map<String, Object> all = new HashMap<>(arguments);
            all.putAll(extra);
            try {
                declare(connection, queue, all);
            } catch (IOException refused) {
                if (isPreconditionFailed(refused)) {
                    continue;
                }
                throw refused;
            }
            for (Feature feature : features) {
                if (!chosen.contains(feature)) {
                    LOG.warnf("The queue %s was declared without %s (by an earlier version) and keeps working without"
                            + " it. %s.", queue, feature.name(), feature.remedy());
                }
            }
            return extra;
        }
        Map<String, Object> wanted = new HashMap<>();
        features.forEach(feature -> wanted.putAll(feature.arguments()));
        throw new Mismatch(queue, wanted);
    }

    /** Every subset of the features, the largest first, and among equals those with the earlier features first. */
    static List<List<Feature>> combinations(List<Feature> features) {
        int count = features.size();
        List<List<Feature>> subsets = new ArrayList<>();
        for (int size = count; size >= 0; size--) {
            for (int mask = (1 << count) - 1; mask >= 0; mask--) {
                if (Integer.bitCount(mask) != size) {
                    continue;
                }
                List<Feature> subset = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    if ((mask & (1 << (count - 1 - i))) != 0) {
                        subset.add(features.get(i));
                    }
                }
                subsets.add(subset);
            }
        }
        return subsets;
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

    /** The queue exists with other arguments than these: it cannot be declared as configured. */
    public static final class Mismatch extends IOException {
        Mismatch(String queue, Map<String, Object> wanted) {
            super("the queue " + queue + " exists with other arguments than " + wanted + " (were its bounds changed"
                    + " after it was created?); delete it while it is empty, or configure the bounds it was created"
                    + " with");
        }
    }

    private static boolean isPreconditionFailed(IOException e) {
        return Failures.channelErrorCode(e) == AMQP.PRECONDITION_FAILED;
    }
}
