package votacao.server.amqp;

import java.io.IOException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import votacao.shared.Protocol;

/**
 * A message in {@code votos} that is not a vote: the server the broker delivers it to (the queue's
 * single active consumer) keeps it unacknowledged for as long as it runs, and when that server goes the
 * broker delivers it to the next one. A delivery is how a standby learns that the broker chose it, and
 * without votes flowing (before the first vote, after the close) only this message is delivered. Every
 * server puts one in when it starts; the one that holds a baton acknowledges (drops) any other.
 */
public final class Baton {

    private static final Logger LOG = Logger.getLogger(Baton.class);
    private static final long RETRY_MILLIS = 1000;
    /** A baton's properties: its type, and persistent, so that it outlives a broker restart. */
    static final AMQP.BasicProperties PROPERTIES = new AMQP.BasicProperties.Builder().type(Protocol.BATON_TYPE)
            .deliveryMode(Protocol.PERSISTENT).build();

    private Baton() {
    }

    /** Whether a delivery with this AMQP {@code type} is a baton rather than a vote. */
    public static boolean is(String type) {
        return Protocol.BATON_TYPE.equals(type);
    }

    /**
     * Puts a baton in {@code queue} in the background, once the queue exists (the connector declares it after
     * the server starts): a baton published before would be dropped unrouted.
     */
    public static void put(Connection connection, String queue, AtomicBoolean stop) {
        Thread putter = new Thread(() -> {
            while (!stop.get()) {
                try {
                    if (tryPut(connection, queue)) {
                        return;
                    }
                } catch (IOException | TimeoutException | RuntimeException e) {
                    LOG.debugf("baton not put yet: %s", e.getMessage());
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "baton");
        putter.setDaemon(true);
        putter.start();
    }

    /** True once the broker holds the baton in the queue; false when the queue does not exist yet. */
    private static boolean tryPut(Connection connection, String queue)
            throws IOException, TimeoutException, InterruptedException {
        Channel channel = connection.createChannel();
        try {
            AtomicBoolean returned = new AtomicBoolean();
            channel.addReturnListener(unroutable -> returned.set(true));
            channel.confirmSelect();
            channel.basicPublish("", queue, true, PROPERTIES, new byte[0]); // mandatory: returned if there is no queue
            channel.waitForConfirmsOrDie(10_000); // the return, if any, comes before the confirm
            return !returned.get();
        } finally {
            if (channel.isOpen()) {
                channel.abort();
            }
        }
    }
}
