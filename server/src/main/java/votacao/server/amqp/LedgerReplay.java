package votacao.server.amqp;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

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

    public LedgerReplay(Connection connection, String stream) {
        this.connection = connection;
        this.stream = stream;
    }

    /** Returns the number of entries read before the mark (the mark excluded). */
    public long readUpTo(String mark, Consumer<LedgerEntry> sink, long timeoutSeconds)
            throws IOException, InterruptedException {
        Channel channel = connection.createChannel();
        try {
            channel.basicQos(PREFETCH);
            CountDownLatch reachedMark = new CountDownLatch(1);
            AtomicLong entries = new AtomicLong();
            AtomicReference<RuntimeException> failure = new AtomicReference<>();
            String tag = channel.basicConsume(stream, false, Map.of("x-stream-offset", "first"),
                    new DefaultConsumer(channel) {
                        private long unacked;

                        @Override
                        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties props,
                                byte[] body) throws IOException {
                            if (reachedMark.getCount() == 0) {
                                return;
                            }
                            try {
                                for (LedgerEntry entry : Codec.decode(body, LedgerEntry[].class)) {
                                    if (LedgerEntry.START.equals(entry.tipo()) && mark.equals(entry.marca())) {
                                        reachedMark.countDown();
                                        return;
                                    }
                                    sink.accept(entry);
                                    entries.incrementAndGet();
                                }
                            } catch (RuntimeException e) {
                                failure.set(e);
                                reachedMark.countDown();
                                return;
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
            if (failure.get() != null) {
                throw new IOException("unreadable ledger entry in stream " + stream + ": " + failure.get().getMessage(),
                        failure.get());
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
