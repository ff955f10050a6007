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
 * Reads the ledger stream from its first entry up to a given {@code inicio} mark, in order, handing
 * each entry to a consumer. The mark is appended just before the replay starts, so reaching it
 * means everything written before this start has been read.
 */
public final class LedgerReplay {

    private static final int PREFETCH = 10000;
    private static final int ACK_EVERY = 2000;

    private final Connection connection;
    private final String stream;

    private static LedgerEntry[] readable(byte[] body) {
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

    private static long offset(AMQP.BasicProperties props) {
        Object offset = props.getHeaders() == null ? null : props.getHeaders().get("x-stream-offset");
        return offset instanceof Number number ? number.longValue() : -1;
    }

    public LedgerReplay(Connection connection, String stream) {
        this.connection = connection;
        this.stream = stream;
    }

    /**
     * Returns the number of entries read before the mark (the mark excluded). A stream message that is
     * not a batch of ledger entries (the stream cannot be edited, so one such message would otherwise
     * stop every later start) is skipped, and its offset given to {@code unreadable}.
     */
    public long readUpTo(String mark, Consumer<LedgerEntry> sink, LongConsumer unreadable, long timeoutSeconds)
            throws IOException, InterruptedException {
        Channel channel = connection.createChannel();
        try {
            channel.basicQos(PREFETCH);
            CountDownLatch reachedMark = new CountDownLatch(1);
            AtomicLong entries = new AtomicLong();
            String tag = channel.basicConsume(stream, false, Map.of("x-stream-offset", "first"),
                    new DefaultConsumer(channel) {
                        private long unacked;

                        @Override
                        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties props,
                                byte[] body) throws IOException {
                            if (reachedMark.getCount() == 0) {
                                return;
                            }
                            LedgerEntry[] batch = readable(body);
                            if (batch == null) {
                                unreadable.accept(offset(props));
                                batch = new LedgerEntry[0];
                            }
                            for (LedgerEntry entry : batch) {
                                if (LedgerEntry.START.equals(entry.tipo()) && mark.equals(entry.marca())) {
                                    reachedMark.countDown();
                                    return;
                                }
                                sink.accept(entry);
                                entries.incrementAndGet();
                            }
                            if (++unacked >= ACK_EVERY) {
                                getChannel().basicAck(envelope.getDeliveryTag(), true);
                                unacked = 0;
                            }
                        }
                    });
            if (!reachedMark.await(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IOException("the ledger replay did not reach its start mark within " + timeoutSeconds
                        + " s (" + entries.get() + " entries read)");
            }
            channel.basicCancel(tag);
            return entries.get();
        } finally {
            try {
                channel.abort();
            } catch (IOException e) {
                // the channel only served the replay
            }
        }
    }
}
