package votacao.server.messaging;

import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.rabbitmq.ClientHolder;
import votacao.server.amqp.ServerConnection;
import votacao.server.poll.VoteStats;

/**
 * Settles the deliveries from {@code votos}: acknowledges the votes many at a time (one {@code basic.ack}
 * with multiple, see {@link ConnectorChannel} for why), hands votes back one at a time, and keeps the
 * servers' baton.
 *
 * <p>An acknowledgement covers every delivery below its tag, so it waits for the unbroken run of settled
 * deliveries ({@link AckWindow}): up to {@link #BATCH} of them, or {@link #LINGER_MILLIS}. One is in flight
 * at a time, so they reach the channel in order. A delivery that holds the run back for longer than
 * {@link #STUCK_MILLIS} (one that never reached this server, say) lets those behind it be acknowledged
 * one by one, as the connector would.
 *
 * <p>The baton stays unacknowledged for as long as the server runs, and so holds the run back for good: once
 * votes wait behind it ({@link #BATON_MILLIS}, or {@link #RENEW_AFTER} of them), a new baton is put in the
 * queue (confirmed first) and the old one is let go with the run. The queue is never without one, and the new one comes back to this server behind the votes.
 */
@ApplicationScoped
public class VoteAcks {

    private static final Logger LOG = Logger.getLogger(VoteAcks.class);
    static final int BATCH = 64;
    static final long LINGER_MILLIS = 5;
    static final long STUCK_MILLIS = 1000;
    /** How long votes wait behind the baton before it is renewed, unless {@link #RENEW_AFTER} of them do. */
    static final long BATON_MILLIS = 50;
    static final int RENEW_AFTER = 256;
    /** How long a stopping server waits for its last acknowledgements to land. */
    static final long DRAIN_MILLIS = 2000;

    @Inject
    ServerConnection connection;
    @Inject
    VoteStats stats;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "vote-acks");
        thread.setDaemon(true);
        return thread;
    });

    /** The deliveries of one consumer (one channel: tags start at 1 on each). */
    private static final class Consumer {
        final String tag;
        final ClientHolder holder;
        final long channel;
        final AckWindow window = new AckWindow();
        final TreeMap<Long, Message<?>> toAck = new TreeMap<>();
        long baton;
        Message<?> batonMessage;
        boolean renewing;
        boolean acking;
        boolean gone;
        long gap = -1;
        long gapSince;

        Consumer(String tag, ClientHolder holder) {
            this.tag = tag;
            this.holder = holder;
            this.channel = ConnectorChannel.channelInstance(holder);
        }
    }

    private Consumer current;
    private Message<?> heldAlone; // the baton held where the client cannot be read
    private boolean timed;
    private boolean draining;

    /** Called first for every delivery: a new consumer (after a reconnection) starts a new window. */
    public synchronized void received(Message<?> message) {
        String consumerTag = ConnectorChannel.consumerTag(message);
        if (current == null || !current.tag.equals(consumerTag)) {
            ClientHolder holder = ConnectorChannel.of(message);
            current = holder == null ? null : new Consumer(consumerTag, holder);
        }
    }

    /** The vote is settled: acknowledged with the next run. */
    public void ack(Message<?> message) {
        synchronized (this) {
            Consumer consumer = consumerOf(message);
            if (consumer != null) {
                long tag = ConnectorChannel.deliveryTag(message);
                consumer.window.toAck(tag);
                consumer.toAck.put(tag, message);
                flush(consumer, false);
                if (draining) {
                    ackStrandedAlone(consumer);
                }
                return;
            }
            if (current != null) {
                return; // from a channel that is gone: the broker hands the vote out again
            }
        }
        message.ack(); // no client to acknowledge many with: one by one
        stats.acknowledged(1);
    }

    /** The vote goes back to the queue, alone; the run passes it once the broker has it back. */
    public void nack(Message<?> message, Throwable reason) {
        synchronized (this) {
            if (consumerOf(message) == null && current != null) {
                return; // from a channel that is gone: back in the queue already
            }
        }
        message.nack(reason).whenComplete((ok, failure) -> settledAlready(message));
    }

    /** Keeps the baton unacknowledged; the one held before is let go. */
    public void hold(Message<?> baton) {
        Message<?> previous;
        synchronized (this) {
            Consumer consumer = consumerOf(baton);
            if (consumer != null) {
                previous = consumer.batonMessage;
                consumer.baton = ConnectorChannel.deliveryTag(baton);
                consumer.batonMessage = baton;
            } else if (current == null) {
                previous = heldAlone;
                heldAlone = baton;
            } else {
                return; // from a channel that is gone: the broker hands it out again
            }
        }
        if (previous != null) {
            ack(previous);
        }
    }

    private synchronized void settledAlready(Message<?> message) {
        Consumer consumer = consumerOf(message);
        if (consumer != null) {
            consumer.window.settledAlready(ConnectorChannel.deliveryTag(message));
            flush(consumer, false);
        }
    }

    /** Sends the run's acknowledgement when it is large enough (or forced), and keeps the timer going. */
    private void flush(Consumer consumer, boolean force) {
        AckWindow.Run run = consumer.window.run();
        if (run.toAck() > 0 && (force || draining || run.toAck() >= BATCH) && !consumer.acking) {
            if (ConnectorChannel.channelInstance(consumer.holder) != consumer.channel) {
                consumer.gone = true; // its deliveries come again on the new channel
                return;
            }
            consumer.window.cover(run);
            consumer.toAck.headMap(run.end(), true).clear();
            consumer.acking = true;
            stats.acknowledged(run.toAck());
            consumer.holder.client().basicAck(run.ackTag(), true).subscribe().with(ok -> acked(consumer), failure -> {
                LOG.debugf("acknowledgement up to %d not sent: %s", run.ackTag(), failure.getMessage());
                acked(consumer);
            });
        }
        if (consumer.window.waiting() > 0 && !timed) {
            timed = true;
            timer.schedule(this::onTimer, LINGER_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void acked(Consumer consumer) {
        consumer.acking = false;
        if (consumer == current) {
            flush(consumer, false);
        }
    }

    private synchronized void onTimer() {
        timed = false;
        if (current == null || current.gone) {
            return;
        }
        Consumer consumer = current;
        flush(consumer, true);
        if (consumer.window.waiting() == 0) {
            consumer.gap = -1; // nothing waits: the next wait is timed afresh
            return;
        }
        long gap = consumer.window.gap();
        long now = System.nanoTime();
        if (gap != consumer.gap) {
            consumer.gap = gap;
            consumer.gapSince = now;
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(now - consumer.gapSince);
        if (gap == consumer.baton && !consumer.renewing
                && (waited > BATON_MILLIS || consumer.window.stranded().size() >= RENEW_AFTER)) {
            renewBaton(consumer);
        }
        if (waited > STUCK_MILLIS) {
            ackStrandedAlone(consumer); // the baton's renewal too may be stuck (the broker away)
        }
    }

    /**
     * A stopping server acknowledges what it has answered before the connector closes the channel (the
     * shutdown comes before that), so that no answered vote comes back to the next server.
     */
    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        synchronized (this) {
            draining = true;
            if (current == null || current.gone) {
                return;
            }
            flush(current, true);
            ackStrandedAlone(current);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
        while (System.nanoTime() < deadline && settling()) {
            Thread.sleep(10);
        }
    }

    private synchronized boolean settling() {
        return current != null && !current.gone && (current.acking || current.window.waiting() > 0);
    }

    private void renewBaton(Consumer consumer) {
        consumer.renewing = true;
        long old = consumer.baton;
        CompletableFuture<Void> renewed;
        try {
            renewed = connection.renewBaton();
        } catch (RuntimeException e) {
            renewed = CompletableFuture.failedFuture(e);
        }
        renewed.whenComplete((ok, failure) -> {
            synchronized (this) {
                consumer.renewing = false; // after a failure, the next tick of the timer tries again
                if (failure == null && consumer.baton == old) {
                    Message<?> released = consumer.batonMessage;
                    consumer.baton = 0;
                    consumer.batonMessage = null;
                    consumer.window.toAck(old);
                    consumer.toAck.put(old, released);
                    flush(consumer, false);
                }
            }
        });
    }

    /** Acknowledges alone the votes a missing delivery holds back; the run passes them once that is done. */
    private void ackStrandedAlone(Consumer consumer) {
        List<Long> stranded = consumer.window.stranded();
        LOG.debugf("delivery %d holds %d acknowledgements back: sent one by one", consumer.gap, stranded.size());
        for (long tag : stranded) {
            Message<?> message = consumer.toAck.remove(tag);
            consumer.window.reopen(tag); // in transit: no acknowledgement with multiple may pass it before it lands
            message.ack().whenComplete((ok, failure) -> settledAlready(message));
            stats.acknowledged(1);
        }
    }

    /** The tracked consumer the message was delivered to; null when untracked or gone. */
    private Consumer consumerOf(Message<?> message) {
        return current != null && !current.gone && current.tag.equals(ConnectorChannel.consumerTag(message)) ? current : null;
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
