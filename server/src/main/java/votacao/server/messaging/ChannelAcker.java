package votacao.server.messaging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.rabbitmq.ClientHolder;

/**
 * Acknowledges the votes of one consumer on {@code votos} (one channel): one {@code basic.ack} with
 * multiple for the run of settled deliveries ({@link ChannelAcks} keeps the books), stranded votes alone,
 * and a new baton when the one held back holds the run. Its own lock guards the books; {@link VoteAcks}
 * routes each delivery here.
 */
final class ChannelAcker {

    private static final Logger LOG = Logger.getLogger(ChannelAcker.class);

    private final ChannelAcks books;
    private final ClientHolder holder;
    /** The Vert.x client's channel count when this consumer began: another one means a new channel. */
    private final long channel;
    private final ScheduledExecutorService timer;
    private final Supplier<CompletableFuture<Void>> newBaton;
    private final IntConsumer acknowledged;
    private volatile boolean gone;
    private boolean acking;
    private boolean timed;
    private boolean draining;

    /**
     * @param newBaton puts a new baton in the queue; completes once the broker has it
     * @param acknowledged told how many votes each acknowledgement settles
     */
    ChannelAcker(String consumerTag, ClientHolder holder, ScheduledExecutorService timer,
            Supplier<CompletableFuture<Void>> newBaton, IntConsumer acknowledged) {
        this.books = new ChannelAcks(consumerTag);
        this.holder = holder;
        this.channel = ConnectorChannel.channelInstance(holder);
        this.timer = timer;
        this.newBaton = newBaton;
        this.acknowledged = acknowledged;
    }

    String consumerTag() {
        return books.consumerTag;
    }

    /** Whether the channel is gone: the broker hands its unacknowledged deliveries out again. */
    boolean gone() {
        return gone;
    }

    /** The vote is settled: acknowledged with the run. */
    synchronized void ack(Message<?> message) {
        books.toAck(ConnectorChannel.deliveryTag(message), message);
        flush(false);
        if (draining) {
            ackStrandedAlone();
        }
    }

    /** The delivery is settled at the broker already (handed back, or acknowledged alone). */
    synchronized void settledAlready(Message<?> message) {
        books.settledAlready(ConnectorChannel.deliveryTag(message));
        flush(false);
    }

    /** Holds a new baton; returns the one held before, if any, which is to be acknowledged. */
    synchronized Message<?> hold(Message<?> baton) {
        return books.holdBaton(ConnectorChannel.deliveryTag(baton), baton);
    }

    /** The server stops: everything settled is acknowledged now, without waiting for a run. */
    synchronized void drain() {
        draining = true;
        if (!gone) {
            flush(true);
            ackStrandedAlone();
        }
    }

    /** Whether acknowledgements are still on their way or waiting. */
    synchronized boolean settling() {
        return !gone && (acking || books.waits());
    }

    /** Sends the run's acknowledgement when it is large enough (or forced), and keeps the timer going. */
    private void flush(boolean force) {
        if (!acking) {
            if (ConnectorChannel.channelInstance(holder) != channel) {
                gone = true; // its deliveries come again on the new channel
                return;
            }
            AckWindow.Run run = books.takeRun(force || draining ? 1 : VoteAcks.BATCH);
            if (run != null) {
                acking = true;
                acknowledged.accept(run.toAck());
                holder.client().basicAck(run.ackTag(), true).subscribe().with(ok -> acked(), failure -> {
                    LOG.debugf("acknowledgement up to %d not sent: %s", run.ackTag(), failure.getMessage());
                    acked();
                });
            }
        }
        if (books.waits() && !timed && !gone) {
            timed = true;
            timer.schedule(this::onTimer, VoteAcks.LINGER_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void acked() {
        acking = false;
        if (!gone) {
            flush(false);
        }
    }

    private synchronized void onTimer() {
        timed = false;
        if (gone) {
            return;
        }
        flush(true);
        ChannelAcks.Tick tick = books.tick(System.nanoTime());
        if (tick.renewBaton()) {
            renewBaton();
        }
        if (tick.stuck()) {
            ackStrandedAlone(); // the baton's renewal too may be stuck (the broker away)
        }
    }

    private void renewBaton() {
        books.renewing = true;
        long old = books.baton();
        newBaton.get().whenComplete((ok, failure) -> {
            synchronized (this) {
                books.renewing = false; // after a failure, the next tick of the timer tries again
                if (failure == null && books.baton() == old) {
                    books.releaseBaton();
                    flush(false);
                }
            }
        });
    }

    /** Acknowledges alone the votes that something holds back; the run passes them once each has landed. */
    private void ackStrandedAlone() {
        for (Message<?> message : books.takeStranded()) {
            message.ack().whenComplete((ok, failure) -> settledAlready(message));
            acknowledged.accept(1);
        }
    }
}
