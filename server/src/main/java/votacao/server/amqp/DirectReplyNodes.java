package votacao.server.amqp;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;

import votacao.shared.DirectReplyTo;
import votacao.shared.Protocol;

/**
 * The broker's nodes as its direct reply-to names spell them, learnt by asking the broker for such a name
 * on each connection the server opens. An answer goes to a direct reply-to name only if its node is one of
 * these: a name on any other node, however well-formed, makes the broker close the answers' connection
 * (see {@link DirectReplyTo}).
 */
public final class DirectReplyNodes {

    private static final Logger LOG = Logger.getLogger(DirectReplyNodes.class);
    private static final int SAMPLE_ATTEMPTS = 50;

    private final Set<String> nodes = ConcurrentHashMap.newKeySet();

    /**
     * Whether an answer may go to this {@code reply_to}: any name that is not a direct reply-to (the caller
     * checks those), or a direct reply-to on a known node.
     */
    public boolean admits(String replyTo) {
        if (!replyTo.startsWith(DirectReplyTo.PREFIX)) {
            return true;
        }
        return DirectReplyTo.node(replyTo).filter(nodes::contains).isPresent();
    }

    /**
     * Learns the node this connection is on: a message published with {@code reply_to} set to the direct
     * reply-to, on a channel that consumes it, reaches its queue with the name the broker wrote for it. A
     * failure is logged and leaves the known nodes as they were (such names are then answered on the fanout).
     */
    public void learnFrom(Connection connection) {
        try (Channel channel = connection.createChannel()) {
            channel.basicConsume(Protocol.DIRECT_REPLY_TO, true, (tag, delivery) -> {
            }, tag -> {
            });
            String queue = channel.queueDeclare("", false, true, true, null).getQueue();
            try {
                channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().replyTo(Protocol.DIRECT_REPLY_TO)
                        .build(), new byte[0]);
                String written = written(channel, queue);
                DirectReplyTo.node(written).ifPresentOrElse(nodes::add,
                        () -> LOG.warnf("The broker's direct reply-to name %s is not of a known form: votes that name "
                                + "one are answered on the broadcast", written));
            } finally {
                channel.queueDelete(queue);
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.warnf("Could not learn the broker's direct reply-to node (%s): votes that name one are answered on "
                    + "the broadcast until the next connection", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The reply_to of the sample, once it is in its queue (a publish and a get on one channel keep their order). */
    private static String written(Channel channel, String queue) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < SAMPLE_ATTEMPTS; attempt++) {
            GetResponse sample = channel.basicGet(queue, true);
            if (sample != null) {
                return sample.getProps().getReplyTo();
            }
            Thread.sleep(10);
        }
        throw new IOException("the sample message did not arrive");
    }
}
