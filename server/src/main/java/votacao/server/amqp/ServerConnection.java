package votacao.server.amqp;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;

import votacao.shared.Failures;
import votacao.shared.Protocol;

/**
 * The server's own connection to the broker, beside the messaging channels': the ledger, its replay
 * and the answers use it. It recovers by itself and says so once when it is lost and once when it is back.
 */
@ApplicationScoped
public class ServerConnection {

    private static final Logger LOG = Logger.getLogger(ServerConnection.class);

    @Inject
    BrokerAddress broker;

    private volatile Connection connection;
    private volatile AnswerChannel answers;
    private final DirectReplyNodes replyNodes = new DirectReplyNodes();

    /** Opens the connection; called once at start-up. */
    public Connection open() throws IOException, TimeoutException {
        connection = broker.connect("votacao-server");
        watch(connection);
        answers = new AnswerChannel(connection);
        return connection;
    }

    public AnswerChannel answers() {
        return answers;
    }

    /**
     * Puts a new baton in {@code votos} (see {@link Baton}); completes once the broker has confirmed it, so
     * that the server holding the old one may let it go.
     */
    public CompletableFuture<Void> renewBaton() {
        try {
            return answers.send(Protocol.VOTES_QUEUE, Baton.PROPERTIES, new byte[0]);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Learns which direct reply-to names the answers may go to, now and after every reconnection (which may
     * land on another node of a cluster). Not part of {@link #open()}: it declares a queue, and a recount
     * declares nothing.
     */
    public void learnDirectReplyNodes() {
        replyNodes.learnFrom(connection);
        if (broker.nodes().size() > 1) {
            // A voter's direct reply-to names the node it is connected to, any node of the cluster.
            inBackground(() -> broker.nodes().forEach(this::learnDirectReplyNode));
        }
        if (connection instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable recovered) {
                    // Off the recovery thread: the sample is a few round trips on the recovered connection.
                    inBackground(() -> replyNodes.learnFrom(connection));
                }

                @Override
                public void handleRecoveryStarted(Recoverable recovering) {
                    // nothing to learn until the connection is back
                }
            });
        }
    }

    private void learnDirectReplyNode(Address node) {
        try (Connection look = broker.connectTo(node, "votacao-server-reply-to")) {
            replyNodes.learnFrom(look);
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.debugf("no direct reply-to node learnt from %s: %s", node, Failures.describe(e));
        }
    }

    private static void inBackground(Runnable task) {
        Thread thread = new Thread(task, "direct-reply-nodes");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether an answer may go to this reply_to as far as the broker's nodes go (see {@link DirectReplyNodes}). */
    public boolean admitsReplyTo(String replyTo) {
        return replyNodes.admits(replyTo);
    }

    /** Whether the connection is up now (it recovers by itself after a loss). */
    public boolean isConnected() {
        Connection current = connection;
        return current != null && current.isOpen();
    }

    public BrokerAddress address() {
        return broker;
    }

    private void watch(Connection connection) {
        connection.addShutdownListener(cause -> {
            if (!cause.isInitiatedByApplication()) {
                LOG.warnf("Lost the connection to RabbitMQ at %s (%s); reconnecting. Votes wait in the queue meanwhile.",
                        broker, Failures.describe(cause));
            }
        });
        if (connection instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable recovered) {
                    LOG.infof("Reconnected to RabbitMQ at %s", broker);
                }

                @Override
                public void handleRecoveryStarted(Recoverable recovering) {
                    // the loss was logged already
                }
            });
        }
    }

    public void close() {
        if (answers != null) {
            answers.close();
        }
        Connection current = connection;
        if (current != null && current.isOpen()) {
            try {
                current.close(2000);
            } catch (IOException e) {
                LOG.debugf("closing the server's connection: %s", e.getMessage());
            }
        }
    }
}
