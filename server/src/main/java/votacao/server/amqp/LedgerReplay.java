package votacao.server.amqp;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import votacao.server.poll.LedgerEntry;
import votacao.shared.Codec;

/**
 * Reads the ledger stream from its first entry, in order, handing each entry to a consumer: at a
 * server's start up to the {@code inicio} mark it appended just before (so everything written before
 * this start is read), and for the audit up to the stream's last message as it stands, without
 * writing anything. A stream message that is not a batch of ledger entries (the stream cannot be
 * edited, so one such message would otherwise stop every later start) is skipped, and its offset
 * reported.
 */
public final class LedgerReplay {

    /** How many stream messages a reader takes ahead, and how often it grants more (a stream consumer's credit). */
    static final int PREFETCH = 10000;
    static final int ACK_EVERY = 2000;
    /** How long the audit waits for the stream's last messages before it takes the stream for empty. */
    private static final long TAIL_PATIENCE_MILLIS = 2000;
    /** Once the last chunk's first message is in, how long its other messages get to arrive. */
    private static final long TAIL_SETTLE_MILLIS = 300;

    private final Connection connection;
    private final String stream;

    public LedgerReplay(Connection connection, String stream) {
        this.connection = connection;
        this.stream = stream;
    }

    /** Reads up to the start mark (excluded); returns the number of entries read. */
    public long readUpTo(String mark, Consumer<LedgerEntry> sink, LongConsumer unreadable, long timeoutSeconds)
            throws IOException, InterruptedException {
        return read((offset, entry) -> LedgerEntry.START.equals(entry.tipo()) && mark.equals(entry.marca()),
                Long.MAX_VALUE, sink, unreadable, timeoutSeconds, "its start mark");
    }

    /**
     * Reads the stream as it stands now, to its last message, writing and declaring nothing; fails when
     * the stream does not exist. Returns the number of entries read.
     */
    public long readAll(Consumer<LedgerEntry> sink, LongConsumer unreadable, long timeoutSeconds)
            throws IOException, InterruptedException {
        Channel check = connection.createChannel();
        try {
            check.queueDeclarePassive(stream);
        } catch (IOException missing) {
            throw new IOException("the ledger stream " + stream + " does not exist", missing);
        } finally {
            Channels.abortQuietly(check);
        }
        long last = lastOffset();
        if (last < 0) {
            return 0;
        }
        return read((offset, entry) -> false, last, sink, unreadable, timeoutSeconds, "the end of the stream");
    }

    /** The offset of the stream's last message now, or -1 when it holds none. */
    private long lastOffset() throws IOException, InterruptedException {
        Channel channel = connection.createChannel();
        try {
            channel.basicQos(PREFETCH);
            AtomicLong last = new AtomicLong(-1);
            CountDownLatch first = new CountDownLatch(1);
            channel.basicConsume(stream, false, Map.of("x-stream-offset", "last"), new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                    last.accumulateAndGet(offset(props), Math::max);
                    first.countDown();
                }
            });
            if (first.await(TAIL_PATIENCE_MILLIS, TimeUnit.MILLISECONDS)) {
                Thread.sleep(TAIL_SETTLE_MILLIS);
            }
            return last.get();
        } finally {
            Channels.abortQuietly(channel);
        }
    }

    @FunctionalInterface
    private interface Stop {
        boolean at(long offset, LedgerEntry entry);
    }

    private long read(Stop stop, long lastOffset, Consumer<LedgerEntry> sink, LongConsumer unreadable,
            long timeoutSeconds, String goal) throws IOException, InterruptedException {
        Channel channel = connection.createChannel();
        try {
            channel.basicQos(PREFETCH);
            CountDownLatch done = new CountDownLatch(1);
            AtomicLong entries = new AtomicLong();
            String tag = channel.basicConsume(stream, false, Map.of("x-stream-offset", "first"),
                    new DefaultConsumer(channel) {
                        private long unacked;

                        @Override
                        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties props,
                                byte[] body) throws IOException {
                            long offset = offset(props);
                            if (done.getCount() == 0 || offset > lastOffset) {
                                done.countDown();
                                return;
                            }
                            LedgerEntry[] batch = readable(body);
                            if (batch == null) {
                                unreadable.accept(offset);
                                batch = new LedgerEntry[0];
                            }
                            for (LedgerEntry entry : batch) {
                                if (stop.at(offset, entry)) {
                                    done.countDown();
                                    return;
                                }
                                sink.accept(entry);
                                entries.incrementAndGet();
                            }
                            if (offset == lastOffset) {
                                done.countDown();
                                return;
                            }
                            if (++unacked >= ACK_EVERY) {
                                getChannel().basicAck(envelope.getDeliveryTag(), true);
                                unacked = 0;
                            }
                        }
                    });
            if (!done.await(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IOException("the ledger replay did not reach " + goal + " within " + timeoutSeconds + " s ("
                        + entries.get() + " entries read)");
            }
            channel.basicCancel(tag);
            return entries.get();
        } finally {
            Channels.abortQuietly(channel);
        }
    }

    /** The ledger entries of a stream message, or null when it is not a batch of them. */
    static LedgerEntry[] readable(byte[] body) {
        try {
            LedgerEntry[] batch = Codec.decode(body, LedgerEntry[].class);
            for (LedgerEntry entry : batch) {
                if (entry == null || entry.tipo() == null) {
                    return null;
                }
            }
            return batch;
        } catch (RuntimeException notLedger) {
            return null;
        }
    }

    static long offset(AMQP.BasicProperties props) {
        Object offset = props.getHeaders() == null ? null : props.getHeaders().get("x-stream-offset");
        return offset instanceof Number number ? number.longValue() : -1;
    }
}
