package votacao.server.messaging;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import votacao.shared.Codec;
import votacao.shared.Protocol;
import votacao.shared.ServerMessage;

/**
 * Tells a voter the outcome of a vote: to the vote's {@code reply_to} queue when it named one, with
 * its {@code correlation_id}; otherwise on the fanout, as the original server did. Also sets aside
 * the votes that cannot be read.
 */
@ApplicationScoped
public class AnswerSender {

    @Inject
    DirectSender direct;
    @Inject
    FanoutSender fanout;

    public Uni<Void> answer(IncomingRabbitMQMetadata vote, ServerMessage answer) {
        String correlationId = vote.getCorrelationId().orElse(null);
        String replyTo = vote.getReplyTo().filter(queue -> !queue.isBlank()).orElse(null);
        if (replyTo == null) {
            return fanout.send(answer, correlationId);
        }
        OutgoingRabbitMQMetadata metadata = OutgoingRabbitMQMetadata.builder()
                .withRoutingKey(replyTo)
                .withCorrelationId(correlationId)
                .withContentType(Protocol.CONTENT_TYPE)
                .withContentEncoding(Protocol.CONTENT_ENCODING)
                .build();
        return direct.send(Codec.encode(answer), metadata);
    }

    /** Copies an unreadable vote, properties and all, to the dead-letter queue with the reason in a header. */
    public Uni<Void> deadLetter(byte[] body, IncomingRabbitMQMetadata vote, String reason) {
        Map<String, Object> headers = new HashMap<>(vote.getHeaders());
        headers.put(Protocol.DEAD_LETTER_REASON_HEADER, reason);
        OutgoingRabbitMQMetadata.Builder metadata = OutgoingRabbitMQMetadata.builder()
                .withRoutingKey(Protocol.DEAD_LETTER_QUEUE)
                .withHeaders(headers)
                .withDeliveryMode(Protocol.PERSISTENT);
        vote.getContentType().ifPresent(metadata::withContentType);
        vote.getMessageId().ifPresent(metadata::withMessageId);
        vote.getCorrelationId().ifPresent(metadata::withCorrelationId);
        vote.getReplyTo().ifPresent(metadata::withReplyTo);
        return direct.send(body, metadata.build());
    }
}
