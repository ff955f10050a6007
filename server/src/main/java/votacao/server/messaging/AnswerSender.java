package votacao.server.messaging;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.rabbitmq.client.AMQP;

import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import votacao.server.amqp.ServerConnection;
import votacao.server.poll.VoteStats;
import votacao.shared.Codec;
import votacao.shared.Protocol;
import votacao.shared.ServerMessage;

/**
 * Tells a voter the outcome of a vote: to the vote's {@code reply_to} queue when it named one the voter
 * can own, with its {@code correlation_id}; otherwise on the fanout, as the original server did. Also
 * sets aside the votes that cannot be read.
 */
@ApplicationScoped
public class AnswerSender {

    @Inject
    ServerConnection connection;
    @Inject
    VoteStats stats;

    /**
     * Publishes the answer; completes when the broker has confirmed it (see
     * {@link votacao.server.amqp.AnswerChannel} for why the vote waits for that).
     */
    public CompletableFuture<Void> answer(IncomingRabbitMQMetadata vote, ServerMessage answer) {
        String replyTo = vote.getReplyTo().filter(queue -> !queue.isBlank()).orElse(null);
        if (replyTo != null && !(Protocol.isClientReplyQueue(replyTo) && connection.admitsReplyTo(replyTo))) {
            // Not a queue only the voter can own (it could be the ledger or votos), or a direct reply-to name
            // the broker would choke on (it would close the answers' connection): answer as the original did.
            stats.replyToIgnored();
            replyTo = null;
        }
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .correlationId(vote.getCorrelationId().orElse(null))
                .contentType(Protocol.CONTENT_TYPE)
                .contentEncoding(Protocol.CONTENT_ENCODING)
                .build();
        return connection.answers().send(replyTo, properties, Codec.encode(answer));
    }

    /**
     * Headers the broker reads as more routing keys (sender-selected distribution). Copied onto the dead
     * letter, a vote's {@code CC} would have the server's own publish put the vote into any queue it names,
     * the ledger stream included, with the server's rights.
     */
    private static final List<String> ROUTING_HEADERS = List.of("CC", "BCC");

    /**
     * Copies an unreadable vote, properties and all but its routing headers, to the dead-letter queue with
     * the reason in a header.
     */
    public CompletableFuture<Void> deadLetter(byte[] body, IncomingRabbitMQMetadata vote, String reason) {
        Map<String, Object> headers = new HashMap<>(vote.getHeaders());
        headers.keySet().removeAll(ROUTING_HEADERS);
        headers.put(Protocol.DEAD_LETTER_REASON_HEADER, reason);
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .headers(headers)
                .deliveryMode(Protocol.PERSISTENT)
                .contentType(vote.getContentType().orElse(null))
                .messageId(vote.getMessageId().orElse(null))
                .correlationId(vote.getCorrelationId().orElse(null))
                .replyTo(vote.getReplyTo().orElse(null))
                .build();
        return connection.answers().deadLetter(properties, body);
    }
}
