package votacao.server.amqp;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import com.rabbitmq.client.Connection;

import votacao.server.poll.LedgerEntry;
import votacao.server.poll.LedgerWriter;
import votacao.shared.Codec;

/**
 * The durable record of the poll: a RabbitMQ stream that the server appends to. Appends are grouped
 * into batches (one stream message each) and pipelined; an append completes only when the broker
 * has confirmed its batch, so a completed append survives a crash of the server or of the broker.
 *
 * <p>A batch that fails (the broker went away, the stream is not ready) is tried again with a growing
 * pause, as long as the ledger is open: an append is never given up on while the server runs, so a
 * vote can never be decided a second time while its first record may still land.
 */
public final class Ledger implements LedgerWriter, AutoCloseable {

    /** Told of every confirmed batch: its size and how long the broker took. */
    @FunctionalInterface
    public interface BatchListener {
        void confirmed(int entries, long nanos);
    }

    private static final Logger LOG = Logger.getLogger(Ledger.class);
    private static final int MAX_BATCH = 1000;
    /**
     * One batch in flight: entries that arrive meanwhile form the next, larger batch (group commit). With
     * two, batches were half as large (14 entries on average at 20,000 voters) and the warm runs slower
     * (bench/compare.sh, three rounds, 2026-12-04: 1.15 against 1.03 of the yardstick's time).
     */
    private static final int MAX_BATCHES_IN_FLIGHT = 1;
    /** The pause before a failed batch is tried again. */
    private static final BackOff RETRY = new BackOff(100, 5_000);

    private final String stream;
    private final ConfirmedPublisher publisher;
    private final BlockingQueue<Append> queue = new LinkedBlockingQueue<>();
    private final Semaphore inFlight = new Semaphore(MAX_BATCHES_IN_FLIGHT);
    private final Thread writer;
    private volatile boolean running = true;
    private volatile String problem;
    private final RewriteWindow recentlyConfirmed = new RewriteWindow();

    private record Append(LedgerEntry entry, CompletableFuture<Void> done, int attempt) {
        Append retried() {
            return new Append(entry, done, attempt + 1);
        }
    }

    private final BatchListener listener;
    /**
     * Confirms arrive on the connection's reading thread; what waits for them (answers, acknowledgements)
     * runs here instead, so that a publish that blocks can never stop the confirms from being read.
     */
    private final ScheduledExecutorService completions = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "ledger-confirms");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * A ledger whose batches nobody measures, on a stream taken as it is if it exists (the tests); one
     * that does not is created without a retention limit.
     */
    public Ledger(Connection connection, String stream) throws IOException {
        this(connection, stream, null, null, (entries, nanos) -> {
        });
    }

    /**
     * @param retention how long the stream keeps messages (its {@code x-max-age}); zero: for ever; null: the
     *        stream is taken as it is if it exists
     * @param replicas on how many cluster nodes a new stream starts; null: the broker's default
     */
    public Ledger(Connection connection, String stream, Duration retention, Integer replicas, BatchListener listener)
            throws IOException {
        this.stream = stream;
        this.listener = listener;
        LedgerStream.declare(connection, stream, retention, replicas);
        // Right after a broker restart the stream exists but cannot take messages yet, and a message
        // published then may be confirmed without being written: a channel is used once it answers a declare.
        this.publisher = new ConfirmedPublisher(connection, fresh -> {
            try {
                fresh.queueDeclarePassive(stream);
            } catch (IOException e) {
                throw new IOException("the ledger stream " + stream + " is not available yet", e);
            }
        }, lost -> rewriteRecentlyConfirmed());
        writer = new Thread(this::writeLoop, "ledger-writer");
        writer.setDaemon(true);
        writer.start();
    }

    public String stream() {
        return stream;
    }

    @Override
    public String problem() {
        return problem;
    }

    /** Appends an entry; the future completes once the broker holds it durably. */
    public CompletableFuture<Void> append(LedgerEntry entry) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new IOException("ledger closed"));
            return done;
        }
        queue.add(new Append(entry, done, 0));
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
        long started = System.nanoTime();
        // Mandatory: with the stream gone, the broker would confirm the append all the same, written nowhere.
        publisher.publishMandatory("", stream, BatchType.of(entries), Codec.encode(entries)).whenComplete((ok, failure) -> {
            inFlight.release();
            problem = failure == null ? null : failure.getMessage();
            if (failure == null) {
                listener.confirmed(batch.size(), System.nanoTime() - started);
                recentlyConfirmed.remember(entries);
                completions.execute(() -> batch.forEach(append -> append.done().complete(null)));
            } else {
                retryLater(batch, failure);
            }
        });
    }

    private void retryLater(List<Append> batch, Throwable failure) {
        if (!running) {
            fail(batch, failure);
            return;
        }
        int attempt = batch.get(0).attempt();
        long pause = RETRY.pauseMillis(attempt);
        if (attempt == 0) {
            LOG.debugf("ledger append of %d entries failed (%s); trying again", batch.size(), failure.getMessage());
        }
        completions.schedule(() -> batch.forEach(append -> queue.add(append.retried())), pause, TimeUnit.MILLISECONDS);
    }

    /**
     * The last entries confirmed before the connection was lost are written again once it is back: a
     * broker that shuts down may have confirmed them without writing them (see RewriteWindow).
     */
    private void rewriteRecentlyConfirmed() {
        List<LedgerEntry> again = recentlyConfirmed.takeAll();
        if (!again.isEmpty() && running) {
            LOG.infof("Writing the last %d ledger entries again once the broker is back, in case it confirmed "
                    + "them without writing them", again.size());
            again.forEach(entry -> queue.add(new Append(entry, new CompletableFuture<>(), 0)));
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
        publisher.close();
        completions.shutdown();
    }
}
