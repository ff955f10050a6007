package votacao.server.ledger;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
    /**
     * How far back entries are written again after the connection to the broker is lost. A broker
     * that shuts down confirms the messages still in flight to a queue that stopped normally, whether
     * or not the queue wrote them; they are the last ones confirmed before the loss. Writing them again
     * is harmless: the replay counts a voter once.
     */
    private static final long REWRITE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int REWRITE_MAX = 100_000;
    private static final AMQP.BasicProperties PERSISTENT_JSON = new AMQP.BasicProperties.Builder()
            .contentType(Protocol.CONTENT_TYPE).deliveryMode(Protocol.PERSISTENT).build();

    private final String stream;
    private final Connection connection;
    private final BlockingQueue<Append> queue = new LinkedBlockingQueue<>();
    private final Semaphore inFlight = new Semaphore(MAX_BATCHES_IN_FLIGHT);
    private final Thread writer;
    private volatile ConfirmedChannel channel;
    private volatile boolean running = true;
    private final Deque<Confirmed> recentlyConfirmed = new ArrayDeque<>();

    private record Append(LedgerEntry entry, CompletableFuture<Void> done) {
    }

    private record Confirmed(long nanos, LedgerEntry entry) {
    }

    /**
     * A channel in confirm mode and the batches published on it, by sequence number. Sequence numbers
     * belong to one channel (they restart after a recovery), so every batch unconfirmed when the channel
     * shuts down fails there, and a later confirm can never settle a batch it was not for.
     */
    private final class ConfirmedChannel {
        private final Channel channel;
        private final NavigableMap<Long, List<Append>> unconfirmed = new TreeMap<>();
        /**
         * Set for good at the first shutdown. The connection's automatic recovery would reopen the
         * channel, but with a window where confirms are not yet enabled again and the stream may still
         * be unavailable: a message published then could be dropped and still look confirmed. A dead
         * channel is replaced by a new one instead, in confirm mode before its first publish.
         */
        private volatile boolean dead;

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
            channel.addShutdownListener(cause -> {
                dead = true;
                failAll(new IOException("ledger channel closed", cause));
                if (!cause.isInitiatedByApplication()) {
                    rewriteRecentlyConfirmed();
                }
            });
        }

        synchronized void publish(List<Append> batch, byte[] body) throws IOException {
            long seq = channel.getNextPublishSeqNo();
            if (dead || seq <= 0) {
                throw new IOException("the ledger channel is not in confirm mode");
            }
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
                    remember(batch);
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

        boolean isUsable() {
            return !dead && channel.isOpen();
        }

        /** Stops the connection's recovery from reopening it. */
        void abandon() {
            try {
                channel.abort();
            } catch (IOException | RuntimeException e) {
                LOG.debugf("abandoning a ledger channel: %s", e.getMessage());
            }
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

    private void remember(List<Append> batch) {
        long now = System.nanoTime();
        synchronized (recentlyConfirmed) {
            for (Append append : batch) {
                recentlyConfirmed.addLast(new Confirmed(now, append.entry()));
            }
            while (!recentlyConfirmed.isEmpty() && (recentlyConfirmed.size() > REWRITE_MAX
                    || now - recentlyConfirmed.peekFirst().nanos() > REWRITE_WINDOW_NANOS)) {
                recentlyConfirmed.removeFirst();
            }
        }
    }

    private void rewriteRecentlyConfirmed() {
        List<Confirmed> again;
        synchronized (recentlyConfirmed) {
            again = new ArrayList<>(recentlyConfirmed);
            recentlyConfirmed.clear();
        }
        if (!again.isEmpty() && running) {
            LOG.infof("Writing the last %d ledger entries again once the broker is back, in case it confirmed "
                    + "them without writing them", again.size());
            again.forEach(confirmed -> queue.add(new Append(confirmed.entry(), new CompletableFuture<>())));
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
     * The channel to publish on: the current one while it has never shut down, otherwise a new one,
     * once the connection is up (after a channel error, or a connection loss and its recovery).
     */
    private ConfirmedChannel usableChannel() throws IOException {
        ConfirmedChannel current = channel;
        if (current.isUsable()) {
            return current;
        }
        if (!connection.isOpen()) {
            throw new IOException("no connection to the broker");
        }
        current.abandon();
        Channel fresh = connection.createChannel();
        try {
            // Right after a broker restart the stream exists but cannot take messages yet, and a message
            // published then may be confirmed without being written: wait until it answers a declare.
            fresh.queueDeclarePassive(stream);
        } catch (IOException e) {
            throw new IOException("the ledger stream " + stream + " is not available yet", e);
        }
        channel = new ConfirmedChannel(fresh);
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
