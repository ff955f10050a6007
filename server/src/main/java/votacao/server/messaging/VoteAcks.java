package votacao.server.messaging;

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
 * queue (confirmed first) and the old one is let go with the run. The queue is never without one, and the
 * new one comes back to this server behind the votes.
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

    private ChannelAcks current;
    private Message<?> heldAlone; // the baton held where the client cannot be read
    private boolean timed;
    private boolean draining;

    /** Called first for every delivery: a new consumer (after a reconnection) starts a new window. */
    public synchronized void received(Message<?> message) {
        String consumerTag = ConnectorChannel.consumerTag(message);
        if (current == null || !current.consumerTag.equals(consumerTag)) {
            ClientHolder holder = ConnectorChannel.of(message);
            current = holder == null ? null : new ChannelAcks(consumerTag, holder);
        }
    }

    /** The vote is settled: acknowledged with the next run. */
    public void ack(Message<?> message) {
        synchronized (this) {
            ChannelAcks consumer = consumerOf(message);
            if (consumer != null) {
                consumer.toAck(ConnectorChannel.deliveryTag(message), message);
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
            ChannelAcks consumer = consumerOf(baton);
            if (consumer != null) {
                previous = consumer.holdBaton(ConnectorChannel.deliveryTag(baton), baton);
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
        ChannelAcks consumer = consumerOf(message);
        if (consumer != null) {
            consumer.settledAlready(ConnectorChannel.deliveryTag(message));
            flush(consumer, false);
        }
    }

    /** Sends the run's acknowledgement when it is large enough (or forced), and keeps the timer going. */
    private void flush(ChannelAcks consumer, boolean force) {
        if (!consumer.acking) {
            if (!consumer.onItsChannel()) {
                consumer.gone = true; // its deliveries come again on the new channel
                return;
            }
            AckWindow.Run run = consumer.takeRun(force || draining ? 1 : BATCH);
            if (run != null) {
                consumer.acking = true;
                stats.acknowledged(run.toAck());
                consumer.holder.client().basicAck(run.ackTag(), true).subscribe().with(ok -> acked(consumer), failure -> {
                    LOG.debugf("acknowledgement up to %d not sent: %s", run.ackTag(), failure.getMessage());
                    acked(consumer);
                });
            }
        }
        if (consumer.waits() && !timed) {
            timed = true;
            timer.schedule(this::onTimer, LINGER_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void acked(ChannelAcks consumer) {
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
        ChannelAcks consumer = current;
        flush(consumer, true);
        long heldBack = consumer.heldBackMillis(System.nanoTime());
        if (consumer.heldByBaton() && !consumer.renewing
                && (heldBack > BATON_MILLIS || consumer.stranded() >= RENEW_AFTER)) {
            renewBaton(consumer);
        }
        if (heldBack > STUCK_MILLIS) {
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
        for (long waited = 0; waited < DRAIN_MILLIS && settling(); waited += 10) {
            Thread.sleep(10);
        }
    }

    private synchronized boolean settling() {
        return current != null && !current.gone && (current.acking || current.waits());
    }

    private void renewBaton(ChannelAcks consumer) {
        consumer.renewing = true;
        long old = consumer.baton();
        connection.renewBaton().whenComplete((ok, failure) -> {
            synchronized (this) {
                consumer.renewing = false; // after a failure, the next tick of the timer tries again
                if (failure == null && consumer.baton() == old) {
                    consumer.releaseBaton();
                    flush(consumer, false);
                }
            }
        });
    }

    /** Acknowledges alone the votes that something holds back; the run passes them once each has landed. */
    private void ackStrandedAlone(ChannelAcks consumer) {
        for (Message<?> message : consumer.takeStranded()) {
            message.ack().whenComplete((ok, failure) -> settledAlready(message));
            stats.acknowledged(1);
        }
    }

    /** The tracked consumer the message was delivered to; null when untracked or gone. */
    private ChannelAcks consumerOf(Message<?> message) {
        return current != null && !current.gone && current.consumerTag.equals(ConnectorChannel.consumerTag(message))
                ? current : null;
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
