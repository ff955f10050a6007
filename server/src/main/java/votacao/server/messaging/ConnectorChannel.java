package votacao.server.messaging;

import java.lang.reflect.Field;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.reactive.messaging.rabbitmq.ClientHolder;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMessage;
import io.vertx.rabbitmq.impl.RabbitMQClientImpl;

/**
 * The connector's client for the channel a vote came on, to acknowledge many deliveries with one
 * {@code basic.ack} (multiple). The connector acknowledges one delivery at a time and offers nothing
 * else, and one acknowledgement per vote is about a tenth of the broker's CPU in a 20,000-vote run
 * (bench/ack-cost.sh: 1.2 s of 9–10 s) and another tenth of the server's (a task on the event loop and
 * one on a worker thread per vote). The client is a private field of the connector's message: read here,
 * once per message, and registered for reflection for the native build. Where it cannot be read (another
 * connector version), {@link #of} answers null and the votes are acknowledged one by one, as before.
 */
@RegisterForReflection(targets = IncomingRabbitMQMessage.class, fields = true, methods = false)
final class ConnectorChannel {

    private static final Logger LOG = Logger.getLogger(ConnectorChannel.class);
    private static final Field HOLDER = holderField();

    private ConnectorChannel() {
    }

    /** The client the message came through, or null. */
    static ClientHolder of(Message<?> message) {
        if (HOLDER == null || !(message instanceof IncomingRabbitMQMessage<?> incoming)) {
            return null;
        }
        try {
            return (ClientHolder) HOLDER.get(incoming);
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    /** The message's delivery tag on its channel. */
    static long deliveryTag(Message<?> message) {
        return ((IncomingRabbitMQMessage<?>) message).getRabbitMQMessage().envelope().getDeliveryTag();
    }

    /** The consumer the message was delivered to: a new one on every channel. */
    static String consumerTag(Message<?> message) {
        return message instanceof IncomingRabbitMQMessage<?> incoming ? incoming.getRabbitMQMessage().consumerTag() : "";
    }

    /**
     * Which channel of the client this is: the Vert.x client opens a new one after a reconnection (and
     * counts them), where delivery tags start again at 1. -1 when it cannot tell.
     */
    static long channelInstance(ClientHolder holder) {
        return holder.client().getDelegate() instanceof RabbitMQClientImpl client ? client.getChannelInstance() : -1;
    }

    private static Field holderField() {
        try {
            Field field = IncomingRabbitMQMessage.class.getDeclaredField("holder");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.infof("The connector's message has no client to read (%s): votes are acknowledged one by one", e);
            return null;
        }
    }
}
