package votacao.server.ledger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
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
    private static final int MAX_BATCHES_IN_FLIGHT = 2;
    private static final AMQP.BasicProperties PERSISTENT_JSON = new AMQP.BasicProperties.Builder()
            .contentType(Protocol.CONTENT_TYPE).deliveryMode(Protocol.PERSISTENT).build();

    private final String stream;
    private final Connection connection;
    private volatile Channel channel;
    private final BlockingQueue<Append> queue = new LinkedBlockingQueue<>();
    private final ConcurrentNavigableMap<Long, List<Append>> unconfirmed = new ConcurrentSkipListMap<>();
    private final Semaphore inFlight = new Semaphore(MAX_BATCHES_IN_FLIGHT);
    private final Thread writer;
    private volatile boolean running = true;

    private record Append(LedgerEntry entry, CompletableFuture<Void> done) {
    }

    public Ledger(Connection connection, String stream) throws IOException {
        this.stream = stream;
        this.connection = connection;
        this.channel = openChannel();
        declare(channel, stream);
        writer = new Thread(this::writeLoop, "ledger-writer");
        writer.setDaemon(true);
        writer.start();
    }

    private Channel openChannel() throws IOException {
        Channel opened = connection.createChannel();
        opened.confirmSelect();
        opened.addConfirmListener(new ConfirmListener() {
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
        opened.addShutdownListener(cause -> failUnconfirmed(new IOException("ledger channel closed", cause)));
        return opened;
    }

    /**
     * A channel error (the stream not yet back after a broker restart, say) closes the channel for good,
     * and connection recovery does not reopen it: open a new one once the connection is up.
     */
    private Channel usableChannel() throws IOException {
        Channel current = channel;
        if (current.isOpen()) {
            return current;
        }
        if (!connection.isOpen()) {
            throw new IOException("no connection to the broker");
        }
        channel = openChannel();
        return channel;
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
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                inFlight.acquire();
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
        byte[] body = Codec.encode(entries);
        long seq = -1;
        try {
            Channel current = usableChannel();
            synchronized (current) {
                seq = current.getNextPublishSeqNo();
                unconfirmed.put(seq, batch);
                current.basicPublish("", stream, PERSISTENT_JSON, body);
            }
        } catch (IOException | RuntimeException e) {
            List<Append> failed = seq < 0 ? batch : unconfirmed.remove(seq);
            if (failed != null) {
                inFlight.release();
                fail(failed, e);
            }
        }
    }

    private void settle(long seq, boolean multiple, Exception failure) {
        if (multiple) {
            ConcurrentNavigableMap<Long, List<Append>> settled = unconfirmed.headMap(seq, true);
            for (Long key : settled.keySet()) {
                settleOne(unconfirmed.remove(key), failure);
            }
        } else {
            settleOne(unconfirmed.remove(seq), failure);
        }
    }

    private void settleOne(List<Append> batch, Exception failure) {
        if (batch == null) {
            return;
        }
        inFlight.release();
        if (failure == null) {
            batch.forEach(append -> append.done().complete(null));
        } else {
            fail(batch, failure);
        }
    }

    private void failUnconfirmed(Exception cause) {
        for (Long key : unconfirmed.keySet()) {
            List<Append> batch = unconfirmed.remove(key);
            if (batch != null) {
                inFlight.release();
                fail(batch, cause);
            }
        }
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
        failUnconfirmed(closed);
        try {
            Channel current = channel;
            if (current.isOpen()) {
                current.close();
            }
        } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
            LOG.debugf("closing the ledger channel: %s", e.getMessage());
        }
    }
}
