package votacao.server.messaging;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import votacao.server.VoteStats;
import votacao.shared.Codec;
import votacao.shared.Protocol;
import votacao.shared.ServerMessage;

/**
 * Tells a voter the outcome of a vote: to the vote's {@code reply_to} queue when it named one, with
 * its {@code correlation_id}; otherwise on the fanout, as the original server did. Also sets aside
 * the votes that cannot be read.
 *
 * <p>Direct answers go through the default exchange on the server's own connection, not through a
 * messaging channel: see {@link ConfirmedPublisher} for why.
 */
@ApplicationScoped
public class AnswerSender {

    @Inject
    FanoutSender fanout;
    @Inject
    VoteStats stats;

    private volatile ConfirmedPublisher direct;

    /** Called once at start-up, before the first vote is handled. */
    public void start(Connection connection) {
        direct = new ConfirmedPublisher(connection);
    }

    public void stop() {
        ConfirmedPublisher publisher = direct;
        if (publisher != null) {
            publisher.close();
        }
    }

    /** Completes when the broker has confirmed the answer. */
    public Uni<Void> answer(IncomingRabbitMQMetadata vote, ServerMessage answer) {
        String correlationId = vote.getCorrelationId().orElse(null);
        String replyTo = vote.getReplyTo().filter(queue -> !queue.isBlank()).orElse(null);
        if (replyTo != null && !Protocol.isClientReplyQueue(replyTo)) {
            // Not a queue only the voter can own: it could be the ledger or votos. Answer as the original did.
            stats.replyToIgnored();
            replyTo = null;
        }
        if (replyTo == null) {
            return fanout.send(answer, correlationId);
        }
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .correlationId(correlationId)
                .contentType(Protocol.CONTENT_TYPE)
                .contentEncoding(Protocol.CONTENT_ENCODING)
                .build();
        return Uni.createFrom().completionStage(publish(replyTo, properties, Codec.encode(answer)));
    }

    /** Copies an unreadable vote, properties and all, to the dead-letter queue with the reason in a header. */
    public Uni<Void> deadLetter(byte[] body, IncomingRabbitMQMetadata vote, String reason) {
        Map<String, Object> headers = new HashMap<>(vote.getHeaders());
        headers.put(Protocol.DEAD_LETTER_REASON_HEADER, reason);
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .headers(headers)
                .deliveryMode(Protocol.PERSISTENT)
                .contentType(vote.getContentType().orElse(null))
                .messageId(vote.getMessageId().orElse(null))
                .correlationId(vote.getCorrelationId().orElse(null))
                .replyTo(vote.getReplyTo().orElse(null))
                .build();
        return Uni.createFrom().completionStage(publish(Protocol.DEAD_LETTER_QUEUE, properties, body));
    }

    private CompletableFuture<Void> publish(String queue, AMQP.BasicProperties properties, byte[] body) {
        ConfirmedPublisher publisher = direct;
        if (publisher == null) {
            return CompletableFuture.failedFuture(new IOException("the server is not connected to the broker yet"));
        }
        return publisher.publish("", queue, properties, body);
    }
}
