package votacao.server.ledger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;

import votacao.shared.Codec;
import votacao.shared.Protocol;

/**
 * The durable record of the poll: a RabbitMQ stream that the server appends to. Appends are grouped
 * into batches (one stream message each) and pipelined; an append completes only when the broker
 * has confirmed its batch, so a completed append survives a crash of the server or of the broker.
 */
public final class Ledger implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Ledger.class);
    private static final int MAX_BATCH = 1000;
    /** Few batches in flight: entries that arrive meanwhile form the next, larger batch (group commit). */
    private static final int MAX_BATCHES_IN_FLIGHT = 2;
    private static final AMQP.BasicProperties PERSISTENT_JSON = new AMQP.BasicProperties.Builder()
            .contentType(Protocol.CONTENT_TYPE).deliveryMode(Protocol.PERSISTENT).build();

    private final String stream;
    private final Connection connection;
    private final BlockingQueue<Append> queue = new LinkedBlockingQueue<>();
    private final Semaphore inFlight = new Semaphore(MAX_BATCHES_IN_FLIGHT);
    private final Thread writer;
    private volatile ConfirmedChannel channel;
    private volatile boolean running = true;

    private record Append(LedgerEntry entry, CompletableFuture<Void> done) {
    }

    /**
     * A channel in confirm mode and the batches published on it, by sequence number. Sequence numbers
     * belong to one channel (they restart after a recovery), so every batch unconfirmed when the channel
     * shuts down fails there, and a later confirm can never settle a batch it was not for.
     */
    private final class ConfirmedChannel {
        private final Channel channel;
        private final NavigableMap<Long, List<Append>> unconfirmed = new TreeMap<>();

        ConfirmedChannel(Channel channel) throws IOException {
            this.channel = channel;
            channel.confirmSelect();
            channel.addConfirmListener(new ConfirmListener() {
                @Override
                public void handleAck(long seq, boolean multiple) {
                    settle(seq, multiple, null);
                }

                @Override
                public void handleNack(long seq, boolean multiple) {
                    settle(seq, multiple, new IOException("the broker refused a ledger batch"));
                }
            });
            // Confirms of a closed channel never come: fail what waits, so those votes are redelivered.
            channel.addShutdownListener(cause -> failAll(new IOException("ledger channel closed", cause)));
        }

        synchronized void publish(List<Append> batch, byte[] body) throws IOException {
            long seq = channel.getNextPublishSeqNo();
            unconfirmed.put(seq, batch);
            try {
                channel.basicPublish("", stream, PERSISTENT_JSON, body);
            } catch (IOException | RuntimeException e) {
                unconfirmed.remove(seq);
                throw e;
            }
        }

        private synchronized void settle(long seq, boolean multiple, Exception failure) {
            NavigableMap<Long, List<Append>> settled = multiple ? unconfirmed.headMap(seq, true)
                    : unconfirmed.subMap(seq, true, seq, true);
            for (List<Append> batch : settled.values()) {
                inFlight.release();
                if (failure == null) {
                    batch.forEach(append -> append.done().complete(null));
                } else {
                    fail(batch, failure);
                }
            }
            settled.clear();
        }

        synchronized void failAll(Exception cause) {
            for (List<Append> batch : unconfirmed.values()) {
                inFlight.release();
                fail(batch, cause);
            }
            unconfirmed.clear();
        }

        boolean isOpen() {
            return channel.isOpen();
        }

        void close() {
            try {
                if (channel.isOpen()) {
                    channel.close();
                }
            } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
                LOG.debugf("closing the ledger channel: %s", e.getMessage());
            }
        }
    }

    public Ledger(Connection connection, String stream) throws IOException {
        this.stream = stream;
        this.connection = connection;
        Channel first = connection.createChannel();
        declare(first, stream);
        this.channel = new ConfirmedChannel(first);
        writer = new Thread(this::writeLoop, "ledger-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Declares the ledger stream; idempotent. */
    public static void declare(Channel channel, String stream) throws IOException {
        channel.queueDeclare(stream, true, false, false, Map.of("x-queue-type", "stream"));
    }

    public String stream() {
        return stream;
    }

    /** Appends an entry; the future completes once the broker holds it durably. */
    public CompletableFuture<Void> append(LedgerEntry entry) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new IOException("ledger closed"));
            return done;
        }
        queue.add(new Append(entry, done));
        return done;
    }

    private void writeLoop() {
        List<Append> batch = new ArrayList<>();
        while (running) {
            try {
                Append first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                inFlight.acquire();
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                publish(List.copyOf(batch));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void publish(List<Append> batch) {
        List<LedgerEntry> entries = new ArrayList<>(batch.size());
        for (Append append : batch) {
            entries.add(append.entry());
        }
        try {
            usableChannel().publish(batch, Codec.encode(entries));
        } catch (IOException | RuntimeException e) {
            inFlight.release();
            fail(batch, e);
        }
    }

    /**
     * A channel error (the stream not yet back after a broker restart, say) closes the channel for good,
     * and connection recovery does not reopen it: open a new one once the connection is up.
     */
    private ConfirmedChannel usableChannel() throws IOException {
        ConfirmedChannel current = channel;
        if (current.isOpen()) {
            return current;
        }
        if (!connection.isOpen()) {
            throw new IOException("no connection to the broker");
        }
        channel = new ConfirmedChannel(connection.createChannel());
        return channel;
    }

    private static void fail(List<Append> batch, Throwable cause) {
        batch.forEach(append -> append.done().completeExceptionally(cause));
    }

    @Override
    public void close() {
        running = false;
        writer.interrupt();
        Exception closed = new IOException("ledger closed");
        Append left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(closed);
        }
        ConfirmedChannel current = channel;
        current.failAll(closed);
        current.close();
    }
}
