package votacao.server.amqp;

import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;

import votacao.server.poll.LedgerEntry;

/**
 * Reads the ledger stream from its first entry and then follows it as it grows, for as long as the
 * server runs: a standby keeps its poll current this way (taking over costs no replay), and the active
 * server learns from it that another one took over. After the connection recovers it goes on from the
 * entry after the last one it read (the connection does not restore consumers: see BrokerAddress).
 */
public final class LedgerFollower implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LedgerFollower.class);
    private static final long RETRY_MILLIS = 1000;

    private final Connection connection;
    private final String stream;
    private final Consumer<LedgerEntry> sink;
    private final LongConsumer unreadable;
    /** After a takeover only a newer activation matters: the follower then decodes only what may hold one. */
    private volatile boolean activationsOnly;
    private volatile long next;
    private volatile Channel channel;
    private volatile boolean closed;
    private volatile int failures;

    /**
     * @param sink takes every entry in order, on one thread
     * @param unreadable takes the offset of a message that is not a batch of ledger entries (skipped)
     */
    public LedgerFollower(Connection connection, String stream, Consumer<LedgerEntry> sink, LongConsumer unreadable) {
        this.connection = connection;
        this.stream = stream;
        this.sink = sink;
        this.unreadable = unreadable;
    }

    public void start() throws IOException {
        if (connection instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable recovered) {
                    resume();
                }

                @Override
                public void handleRecoveryStarted(Recoverable recovering) {
                    // resumed once the connection is back
                }
            });
        }
        subscribe();
    }

    /** From now on decodes only the batches that may hold an activation (see BatchType); the others are skipped. */
    public void readOnlyActivations() {
        activationsOnly = true;
    }

    private void resume() {
        if (closed) {
            return;
        }
        try {
            subscribe();
            LOG.infof("Following the ledger %s again from offset %d", stream, next);
            failures = 0;
        } catch (IOException | RuntimeException e) {
            // A node of a cluster that has just come back may not hold its replica of the stream yet.
            if (failures++ == 0) {
                LOG.warnf("Cannot follow the ledger %s again yet (%s); trying every second", stream, e.getMessage());
            }
            Thread retry = new Thread(() -> {
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
                resume();
            }, "ledger-follower-retry");
            retry.setDaemon(true);
            retry.start();
        }
    }

    private synchronized void subscribe() throws IOException {
        Channel previous = channel;
        if (previous != null) {
            Channels.abortQuietly(previous);
        }
        Channel fresh = connection.createChannel();
        fresh.basicQos(LedgerReplay.PREFETCH);
        Object from = next == 0 ? "first" : (Object) next;
        fresh.basicConsume(stream, false, Map.of("x-stream-offset", from), new DefaultConsumer(fresh) {
            private long unacked;

            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                    throws IOException {
                long offset = LedgerReplay.offset(props);
                if (offset >= next) { // a stream delivers from the start of a chunk: what was read is skipped
                    next = offset + 1;
                    read(offset, props, body);
                }
                if (++unacked >= LedgerReplay.ACK_EVERY) { // a stream consumer's credit
                    getChannel().basicAck(envelope.getDeliveryTag(), true);
                    unacked = 0;
                }
            }
        });
        channel = fresh;
    }

    private void read(long offset, AMQP.BasicProperties properties, byte[] body) {
        if (activationsOnly && !BatchType.mayHoldActivation(properties, body)) {
            return;
        }
        LedgerEntry[] batch = LedgerReplay.readable(body);
        if (batch == null) {
            unreadable.accept(offset);
            return;
        }
        for (LedgerEntry entry : batch) {
            sink.accept(entry);
        }
    }

    @Override
    public void close() {
        closed = true;
        Channel current = channel;
        if (current != null) {
            Channels.abortQuietly(current);
        }
    }
}
