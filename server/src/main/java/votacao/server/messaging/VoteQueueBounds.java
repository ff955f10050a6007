package votacao.server.messaging;

import java.io.IOException;
import java.util.HashMap;
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
 * The length bounds of {@code votos} and {@code votos.dlq}, handed to the connector as the extra
 * arguments it declares them with ({@code queue.arguments}, {@code dead-letter-queue.arguments}).
 *
 * <p>The connector cannot declare an existing queue with arguments it does not already have, and a
 * {@code votos} declared by an earlier version has none: before the connector declares, each queue is
 * declared here with the connector's own arguments plus the bounds, and when the broker refuses that,
 * with the connector's arguments alone, and the connector is given no bounds (see QueueBounds). This
 * goes to the raw client because the connector has no way to ask what a queue was declared with.
 */
@ApplicationScoped
public class VoteQueueBounds {

    private static final Logger LOG = Logger.getLogger(VoteQueueBounds.class);
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
        int max = settings.fila().maxVotos();
        return bounded(config.getValue(CHANNEL + "queue.name", String.class), votesArguments(),
                Map.of("x-max-length", max, "x-overflow", "reject-publish"),
                "{\"max-length\":" + max + ",\"overflow\":\"reject-publish\"}");
    }

    @Produces
    @Identifier("votos-dlq-arguments")
    Map<String, Object> deadLetters() {
        int max = settings.fila().maxDescartes();
        return bounded(config.getValue(CHANNEL + "dead-letter-queue-name", String.class), Map.of(),
                Map.of("x-max-length", max, "x-overflow", "drop-head"),
                "{\"max-length\":" + max + ",\"overflow\":\"drop-head\"}");
    }

    /** What the connector declares {@code votos} with, from the same configuration it reads. */
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

    private Map<String, Object> bounded(String queue, Map<String, Object> arguments, Map<String, Object> bounds,
            String policy) {
        try (Connection connection = broker.connect("votacao-server-setup")) {
            return QueueBounds.declare(connection, queue, arguments, bounds, policy);
        } catch (QueueBounds.Mismatch e) {
            // The connector's own declaration fails the same way and the channel stays down: readiness says so.
            LOG.errorf("Cannot declare %s: %s", queue, e.getMessage());
            return bounds;
        } catch (IOException | TimeoutException e) {
            // The broker is away: the start-up reports it; the connector declares what it can once it is back.
            LOG.debugf("could not check the bounds of %s: %s", queue, e.getMessage());
            return bounds;
        }
    }
}
