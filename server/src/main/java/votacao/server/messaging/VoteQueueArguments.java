package votacao.server.messaging;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import com.rabbitmq.client.Connection;

import io.smallrye.common.annotation.Identifier;
import votacao.server.amqp.BrokerAddress;
import votacao.server.amqp.QueueBounds;
import votacao.server.poll.PollSettings;

/**
 * What {@code votos} and {@code votos.dlq} are declared with beyond the connector's own arguments,
 * handed to the connector as {@code queue.arguments} and {@code dead-letter-queue.arguments}: their
 * length bounds; for {@code votos}, a single active consumer (any number of servers may consume, the
 * broker delivers to one, the next when it goes); for {@code votos.dlq}, the quorum type (replicated,
 * so that the connector can declare it again while a cluster node is down).
 *
 * <p>The connector cannot declare an existing queue with arguments it does not already have, and an
 * earlier version declared these queues without some of them: before the connector declares, each
 * queue is declared here with the connector's own arguments plus as many of these as the broker takes,
 * and the connector is given those (see QueueBounds). This goes to the raw client because the connector
 * has no way to ask what a queue was declared with.
 */
@ApplicationScoped
public class VoteQueueArguments {

    private static final Logger LOG = Logger.getLogger(VoteQueueArguments.class);
    private static final String CHANNEL = "mp.messaging.incoming.votos.";

    @Inject
    PollSettings settings;
    @Inject
    BrokerAddress broker;
    @Inject
    Config config;

    @Produces
    @Identifier("votos-arguments")
    Map<String, Object> votes() {
        String queue = config.getValue(CHANNEL + "queue.name", String.class);
        int max = settings.fila().maxVotos();
        return declared(queue, votesArguments(), withReplicas(queue, List.of(
                new QueueBounds.Feature("a single active consumer", Map.of("x-single-active-consumer", true),
                        "Two servers would both take votes (the ledger's fencing stops the older one). To get it:"
                                + " stop the servers, delete the queue when it is empty (rabbitmqctl delete_queue "
                                + queue + " --if-empty) and start them again"),
                QueueBounds.bounds(queue, Map.of("x-max-length", max, "x-overflow", "reject-publish"),
                        "{\"max-length\":" + max + ",\"overflow\":\"reject-publish\"}"))));
    }

    @Produces
    @Identifier("votos-dlq-arguments")
    Map<String, Object> deadLetters() {
        String queue = config.getValue(CHANNEL + "dead-letter-queue-name", String.class);
        int max = settings.fila().maxDescartes();
        return declared(queue, Map.of(), withReplicas(queue, List.of(
                new QueueBounds.Feature("the quorum type", Map.of("x-queue-type", "quorum"),
                        "It lives on one node of a cluster, and while that node is down the server takes no votes."
                                + " To replicate it: move its messages if you need them, delete it (rabbitmqctl"
                                + " delete_queue " + queue + ") and restart the server"),
                QueueBounds.bounds(queue, Map.of("x-max-length", max, "x-overflow", "drop-head"),
                        "{\"max-length\":" + max + ",\"overflow\":\"drop-head\"}"))));
    }

    /** The features, and the configured replicas (votacao.replicas) after them: the least wanted. */
    private List<QueueBounds.Feature> withReplicas(String queue, List<QueueBounds.Feature> features) {
        return settings.replicas().map(replicas -> {
            List<QueueBounds.Feature> all = new ArrayList<>(features);
            all.add(QueueBounds.replicas(queue, "x-quorum-initial-group-size", replicas));
            return all;
        }).orElse(features);
    }

    /**
     * What the connector declares {@code votos} with, from the same configuration it reads. Should the
     * connector add an argument, the two declarations differ and the connector's fails on a new broker
     * (PRECONDITION_FAILED): every test that starts the server on its fresh private broker shows it.
     */
    private Map<String, Object> votesArguments() {
        String queue = config.getValue(CHANNEL + "queue.name", String.class);
        Map<String, Object> arguments = new HashMap<>();
        config.getOptionalValue(CHANNEL + "queue.x-queue-type", String.class)
                .ifPresent(type -> arguments.put("x-queue-type", type));
        config.getOptionalValue(CHANNEL + "queue.x-delivery-limit", Long.class)
                .ifPresent(limit -> arguments.put("x-delivery-limit", limit));
        if (config.getOptionalValue(CHANNEL + "auto-bind-dlq", Boolean.class).orElse(false)) {
            arguments.put("x-dead-letter-exchange", config.getValue(CHANNEL + "dead-letter-exchange", String.class));
            arguments.put("x-dead-letter-routing-key",
                    config.getOptionalValue(CHANNEL + "dead-letter-routing-key", String.class).orElse(queue));
        }
        return arguments;
    }

    private Map<String, Object> declared(String queue, Map<String, Object> arguments,
            List<QueueBounds.Feature> features) {
        try (Connection connection = broker.connect("votacao-server-setup")) {
            return QueueBounds.declare(connection, queue, arguments, features);
        } catch (IOException | TimeoutException e) {
            if (e instanceof QueueBounds.Mismatch) {
                // The connector's own declaration fails the same way and the channel stays down: readiness says so.
                LOG.errorf("Cannot declare %s: %s", queue, e.getMessage());
            } else {
                // The broker is away: the start-up reports it; the connector declares what it can once it is back.
                LOG.debugf("could not check the arguments of %s: %s", queue, e.getMessage());
            }
            Map<String, Object> all = new HashMap<>();
            features.forEach(feature -> all.putAll(feature.arguments()));
            return all;
        }
    }
}
