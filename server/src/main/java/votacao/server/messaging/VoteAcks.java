package votacao.server.messaging;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Message;

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
 * deliveries ({@link AckWindow}): {@link #BATCH} of them, or {@link #LINGER_MILLIS}, one in flight at a
 * time so that they reach the channel in order. A gap that lasts ({@link ChannelAcks#tick}) lets the votes
 * behind it be acknowledged one by one, as the connector would. The baton stays unacknowledged while the
 * server runs, and so holds the run back for good: once votes wait behind it, a new baton is put in the
 * queue (confirmed first) and the old one goes with the run; the queue is never without one.
 *
 * <p>Each consumer (a channel: the connector opens a new one after a reconnection) has its own
 * {@link ChannelAcker}; where the connector's client cannot be read, the votes are acknowledged one by one.
 */
@ApplicationScoped
public class VoteAcks {

    static final int BATCH = 64;
    /** Each tick of the timer wakes a thread: every 5 ms, that was 4 % of a warm server's CPU (bench/profile.sh). */
    static final long LINGER_MILLIS = 20;
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

    /** The consumer of the latest deliveries; null while the connector's client cannot be read. */
    private volatile ChannelAcker current;
    private Message<?> heldAlone; // the baton held where the client cannot be read
    private volatile boolean draining;

    /** Called first for every delivery: a new consumer (after a reconnection) has acknowledgements of its own. */
    public void received(Message<?> message) {
        String consumerTag = ConnectorChannel.consumerTag(message);
        ChannelAcker consumer = current;
        if (consumer == null || !consumer.consumerTag().equals(consumerTag)) {
            synchronized (this) {
                if (current == consumer) {
                    ClientHolder holder = ConnectorChannel.of(message);
                    current = holder == null ? null
                            : new ChannelAcker(consumerTag, holder, timer, connection::renewBaton, stats::acknowledged);
                    if (draining && current != null) {
                        current.drain();
                    }
                }
            }
        }
    }

    /** The vote is settled: acknowledged with the next run. */
    public void ack(Message<?> message) {
        ChannelAcker consumer = consumerOf(message);
        if (consumer != null) {
            consumer.ack(message);
        } else if (current == null) {
            message.ack(); // no client to acknowledge many with: one by one
            stats.acknowledged(1);
        } // else from a channel that is gone: the broker hands the vote out again
    }

    /** The vote goes back to the queue, alone; the run passes it once the broker has it back. */
    public void nack(Message<?> message, Throwable reason) {
        ChannelAcker consumer = consumerOf(message);
        if (consumer != null) {
            message.nack(reason).whenComplete((ok, failure) -> consumer.settledAlready(message));
        } else if (current == null) {
            message.nack(reason);
        } // else from a channel that is gone: back in the queue already
    }

    /** Keeps the baton unacknowledged; the one held before is let go. */
    public void hold(Message<?> baton) {
        ChannelAcker consumer = consumerOf(baton);
        Message<?> previous;
        if (consumer != null) {
            previous = consumer.hold(baton);
        } else if (current == null) {
            synchronized (this) {
                previous = heldAlone;
                heldAlone = baton;
            }
        } else {
            return; // from a channel that is gone: the broker hands it out again
        }
        if (previous != null) {
            ack(previous);
        }
    }

    /** The tracked consumer the message was delivered to; null when untracked or gone. */
    private ChannelAcker consumerOf(Message<?> message) {
        ChannelAcker consumer = current;
        return consumer != null && !consumer.gone() && consumer.consumerTag().equals(ConnectorChannel.consumerTag(message))
                ? consumer : null;
    }

    /**
     * A stopping server acknowledges what it has answered before the connector closes the channel (the
     * shutdown comes before that), so that no answered vote comes back to the next server.
     */
    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        draining = true;
        ChannelAcker consumer = current;
        if (consumer == null) {
            return;
        }
        consumer.drain();
        for (long waited = 0; waited < DRAIN_MILLIS && consumer.settling(); waited += 10) {
            Thread.sleep(10);
        }
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
