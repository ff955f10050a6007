package votacao.server.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import votacao.server.VoteStats;
import votacao.shared.Codec;
import votacao.shared.Protocol;
import votacao.shared.ServerMessage;

/** Publishes to every client at once, through the {@code votacao.broadcast} fanout (channel {@code broadcast}). */
@ApplicationScoped
public class FanoutSender {

    @Inject
    @Channel("broadcast")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
    MutinyEmitter<byte[]> broadcast;
    @Inject
    VoteStats stats;

    /** Completes when the broker has confirmed the message. */
    public Uni<Void> send(ServerMessage message, String correlationId) {
        OutgoingRabbitMQMetadata metadata = OutgoingRabbitMQMetadata.builder()
                .withContentType(Protocol.CONTENT_TYPE)
                .withContentEncoding(Protocol.CONTENT_ENCODING)
                .withCorrelationId(correlationId)
                .build();
        return broadcast.sendMessage(Message.of(Codec.encode(message), Metadata.of(metadata)))
                .invoke(() -> stats.broadcastSent(message.tipo()));
    }
}
