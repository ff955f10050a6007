package votacao.server.amqp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * A channel in confirm mode and the messages published on it, by sequence number. Sequence numbers
 * belong to one channel, so a confirm can never settle a message it was not for.
 */
final class ConfirmedChannel {

    private static final Logger LOG = Logger.getLogger(ConfirmedChannel.class);

    private final Channel channel;
    private final NavigableMap<Long, CompletableFuture<Void>> unconfirmed = new TreeMap<>();
    /** Messages the broker returned: their confirm, which follows, is a failure. */
    private final Set<Long> returned = ConcurrentHashMap.newKeySet();
    private final Consumer<ShutdownSignalException> onLoss;
    private volatile boolean dead;

    /** @param onLoss told when the channel shuts down without this side asking it to */
    ConfirmedChannel(Channel channel, Consumer<ShutdownSignalException> onLoss) throws IOException {
        this.channel = channel;
        this.onLoss = onLoss;
        channel.confirmSelect();
        // The broker sends a message's return before its confirm, on the same channel.
        channel.addReturnListener(back -> {
            try {
                returned.add(Long.parseLong(back.getProperties().getMessageId()));
            } catch (NumberFormatException | NullPointerException notOurs) {
                LOG.debugf("a returned message without a sequence number: %s", back.getReplyText());
            }
        });
        channel.addConfirmListener(new ConfirmListener() {
            @Override
            public void handleAck(long seq, boolean multiple) {
                settle(seq, multiple, null);
            }

            @Override
            public void handleNack(long seq, boolean multiple) {
                settle(seq, multiple, new IOException("the broker refused the message"));
            }
        });
        // Confirms of a closed channel never come: fail what waits for them.
        channel.addShutdownListener(cause -> {
            dead = true;
            failAll(new IOException("channel closed", cause));
            if (!cause.isInitiatedByApplication()) {
                onLoss.accept(cause);
            }
        });
    }

    CompletableFuture<Void> publish(String exchange, String routingKey, boolean mandatory,
            AMQP.BasicProperties properties, byte[] body) throws IOException {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        synchronized (this) {
            long seq = channel.getNextPublishSeqNo();
            if (dead || seq <= 0) {
                throw new IOException("the channel is not in confirm mode");
            }
            unconfirmed.put(seq, confirmed);
            try {
                AMQP.BasicProperties sent = mandatory ? properties.builder().messageId(Long.toString(seq)).build()
                        : properties;
                channel.basicPublish(exchange, routingKey, mandatory, sent, body);
            } catch (IOException | RuntimeException e) {
                unconfirmed.remove(seq);
                throw e;
            }
        }
        return confirmed;
    }

    private void settle(long seq, boolean multiple, Exception failure) {
        if (!multiple) { // the common case: one message, no copies
            CompletableFuture<Void> message;
            synchronized (this) {
                message = unconfirmed.remove(seq);
            }
            if (message != null) {
                complete(message, seq, failure);
            }
            return;
        }
        List<Long> sequences;
        List<CompletableFuture<Void>> settled;
        synchronized (this) {
            NavigableMap<Long, CompletableFuture<Void>> range = unconfirmed.headMap(seq, true);
            sequences = new ArrayList<>(range.keySet());
            settled = new ArrayList<>(range.values());
            range.clear();
        }
        // Outside the lock: completing wakes whoever waits, and they may publish again at once.
        for (int i = 0; i < settled.size(); i++) {
            complete(settled.get(i), sequences.get(i), failure);
        }
    }

    private void complete(CompletableFuture<Void> message, long seq, Exception failure) {
        if (failure != null) {
            message.completeExceptionally(failure);
        } else if (!returned.isEmpty() && returned.remove(seq)) {
            message.completeExceptionally(new IOException("no queue took the message (does it still exist?)"));
        } else {
            message.complete(null);
        }
    }

    void failAll(Exception cause) {
        List<CompletableFuture<Void>> failed;
        synchronized (this) {
            failed = new ArrayList<>(unconfirmed.values());
            unconfirmed.clear();
        }
        failed.forEach(message -> message.completeExceptionally(cause));
    }

    boolean isUsable() {
        return !dead && channel.isOpen();
    }

    /** Stops the connection's recovery from reopening it. */
    void abandon() {
        Channels.abortQuietly(channel);
    }

    void close() {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.debugf("closing a channel: %s", e.getMessage());
        }
    }
}
