package votacao.server.messaging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import votacao.server.amqp.Baton;
import votacao.server.poll.CurrentPoll;
import votacao.server.poll.PollService;
import votacao.server.poll.VoteStats;
import votacao.shared.Codec;
import votacao.shared.Credential;
import votacao.shared.ServerMessage;
import votacao.shared.Texts;
import votacao.shared.Vote;
import votacao.shared.VoteReading;

/**
 * Takes votes off the {@code votos} queue on the pool of vote workers. A worker only reads and decides
 * a vote and hands it on: it never waits for the broker. The vote is answered when its outcome is durable
 * (its ledger batch confirmed) and acknowledged when the broker has its answer; if either fails it is
 * handed back to the queue.
 *
 * <p>The method takes the {@link Message} and settles it itself, through {@link VoteAcks}: returning the
 * pending outcome instead would make the connector hold a worker's slot until it completes, and at most as
 * many votes as workers would be in flight, too few to batch the ledger appends.
 */
@ApplicationScoped
public class VoteReceiver {

    private static final Logger LOG = Logger.getLogger(VoteReceiver.class);
    private static final CompletableFuture<Void> HANDED_ON = CompletableFuture.completedFuture(null);
    private static final IllegalStateException FENCED = new IllegalStateException("another server took over the poll");

    @Inject
    CurrentPoll poll;
    @Inject
    PollService service;
    @Inject
    AnswerSender answers;
    @Inject
    VoteStats stats;
    @Inject
    VoteAcks acks;

    @Incoming("votos")
    @Blocking(value = "vote-workers", ordered = false)
    public CompletionStage<Void> receive(Message<byte[]> message) {
        long started = System.nanoTime();
        IncomingRabbitMQMetadata delivery = message.getMetadata(IncomingRabbitMQMetadata.class).orElseThrow();
        acks.received(message);
        try {
            handle(message, delivery, started);
        } catch (RuntimeException e) {
            acks.nack(message, e); // back to the queue (a take-over that failed is tried again with it)
        }
        return HANDED_ON;
    }

    private void handle(Message<byte[]> message, IncomingRabbitMQMetadata delivery, long started) {
        poll.takeOver(); // a delivery says the broker chose this server: it decides from now on
        if (Baton.is(delivery.getType().orElse(null))) {
            acks.hold(message); // until the server stops: see Baton
            return;
        }
        awaitPoll();
        if (poll.isFenced()) {
            acks.nack(message, FENCED);
            return;
        }
        VoteReading reading = Codec.readVote(message.getPayload());
        if (reading instanceof VoteReading.Malformed malformed) {
            setAside(message, delivery, malformed);
            return;
        }
        Vote vote = ((VoteReading.Valid) reading).vote();
        service.cast(vote, delivery.getMessageId().orElse(null), delivery.isRedeliver(), credential(delivery))
                .whenComplete((answer, failure) -> {
                    if (failure == null) {
                        settle(message, delivery, answer, started);
                    } else {
                        acks.nack(message, failure);
                    }
                });
    }

    private void settle(Message<byte[]> message, IncomingRabbitMQMetadata delivery, ServerMessage answer, long started) {
        if (poll.isFenced()) {
            // Another server decides now and may decide this vote otherwise: no answer from here.
            acks.nack(message, FENCED);
            return;
        }
        CompletableFuture<Void> sent;
        try {
            sent = answers.answer(delivery, answer);
        } catch (RuntimeException e) {
            acks.nack(message, e);
            return;
        }
        sent.whenComplete((confirmed, failure) -> {
            if (failure != null) {
                acks.nack(message, failure); // the answer may be lost: the vote comes back and is answered again
                return;
            }
            acks.ack(message);
            stats.processing().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        });
    }

    /** The vote's credential header as text (the AMQP client gives a LongString), or null. */
    private static String credential(IncomingRabbitMQMetadata delivery) {
        Object header = delivery.getHeaders().get(Credential.HEADER);
        return header == null ? null : header.toString();
    }

    /** Nothing, not even an unreadable vote, is handled before the server has started its poll. */
    private void awaitPoll() {
        try {
            poll.awaitBox(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the poll was starting", e);
        }
    }

    private void setAside(Message<byte[]> message, IncomingRabbitMQMetadata delivery, VoteReading.Malformed malformed) {
        LOG.warnf("Vote set aside in the dead-letter queue: %s (message_id %s)", malformed.reason(),
                delivery.getMessageId().orElse("none"));
        answers.deadLetter(message.getPayload(), delivery, malformed.reason()).whenComplete((ok, failure) -> {
            if (failure != null) {
                acks.nack(message, failure);
                return;
            }
            stats.deadLettered();
            if (malformed.hasVoter()) {
                settle(message, delivery, ServerMessage.error(malformed.userId(), Texts.MALFORMED_VOTE), System.nanoTime());
            } else {
                acks.ack(message);
            }
        });
    }
}
