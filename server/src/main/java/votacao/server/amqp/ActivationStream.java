package votacao.server.amqp;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import org.jboss.logging.Logger;

import com.rabbitmq.client.Connection;

import votacao.server.poll.LedgerEntry;
import votacao.shared.Codec;

/**
 * A small stream beside the ledger, {@code <ledger>.ativacoes}, that holds nothing but the servers'
 * activations: a server that takes over announces its activation here once the ledger holds it, before it
 * decides a vote. The deciding server follows this stream, not the ledger, to learn that another one took
 * over: following the ledger meant having every batch it wrote delivered back to it, a tenth of a warm
 * server's CPU under load (bench/compare.sh, six rounds: 3.19 s of CPU per 20,000 votes against 3.60 s).
 *
 * <p>An announcement is written as a ledger batch of one activation, so {@link LedgerFollower} reads it.
 * Its confirm can be lost with a broker that shuts down (see RewriteWindow): after a lost channel the
 * latest announcement is made again.
 */
public final class ActivationStream implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ActivationStream.class);
    private static final String SUFFIX = ".ativacoes";
    private static final BackOff RETRY = new BackOff(100, 5_000);

    private final Connection connection;
    private final String stream;
    private final ConfirmedPublisher publisher;
    private volatile String latest;
    private volatile boolean closed;

    /** The activations stream of a ledger. */
    public static String of(String ledgerStream) {
        return ledgerStream + SUFFIX;
    }

    /**
     * Declares the stream as the ledger's is declared (see LedgerStream): with the ledger's retention and
     * replicas, or, with a null retention, taken as it is if it exists.
     */
    public ActivationStream(Connection connection, String ledgerStream, Duration retention, Integer replicas)
            throws IOException {
        this.connection = connection;
        this.stream = of(ledgerStream);
        LedgerStream.declare(connection, stream, retention, replicas);
        this.publisher = new ConfirmedPublisher(connection, fresh -> fresh.queueDeclarePassive(stream),
                lost -> announceAgain(0));
    }

    public String stream() {
        return stream;
    }

    /** Announces an activation; the future completes once the broker holds it durably. */
    public CompletableFuture<Void> announce(String mark) {
        latest = mark;
        List<LedgerEntry> entries = List.of(LedgerEntry.activation(mark));
        return publisher.publishMandatory("", stream, BatchType.of(entries), Codec.encode(entries));
    }

    /** Makes the latest announcement again, and goes on trying until the broker has it. */
    private void announceAgain(int attempt) {
        String mark = latest;
        if (mark == null || closed) {
            return;
        }
        CompletableFuture.delayedExecutor(RETRY.pauseMillis(attempt), TimeUnit.MILLISECONDS)
                .execute(() -> announce(mark).whenComplete((ok, failure) -> {
                    if (failure != null) {
                        if (attempt == 0) {
                            LOG.debugf("Cannot announce activation %s again yet (%s)", mark, failure.getMessage());
                        }
                        announceAgain(attempt + 1);
                    }
                }));
    }

    /** A follower of this stream from its first announcement; started by the caller. */
    public LedgerFollower follower(Consumer<LedgerEntry> sink, LongConsumer unreadable) {
        return new LedgerFollower(connection, stream, sink, unreadable);
    }

    @Override
    public void close() {
        closed = true;
        publisher.close();
    }
}
