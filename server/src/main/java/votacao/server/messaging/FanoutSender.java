package votacao.server.messaging;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import votacao.server.poll.ResultsOutlet;
import votacao.server.poll.VoteStats;
import votacao.shared.Codec;
import votacao.shared.Protocol;
import votacao.shared.ServerMessage;

/**
 * Publishes results to every client at once, through the {@code votacao.broadcast} fanout (channel
 * {@code broadcast}), with a publisher confirm: the broker confirms a fanout message once every bound
 * queue holds it, which is what paces the results to the audience.
 */
@ApplicationScoped
public class FanoutSender implements ResultsOutlet {

    private static final OutgoingRabbitMQMetadata JSON = OutgoingRabbitMQMetadata.builder()
            .withContentType(Protocol.CONTENT_TYPE)
            .withContentEncoding(Protocol.CONTENT_ENCODING)
            .build();

    @Inject
    @Channel("broadcast")
    MutinyEmitter<byte[]> broadcast;
    @Inject
    VoteStats stats;

    @Override
    public CompletionStage<Void> publish(ServerMessage result) {
        return broadcast.sendMessage(Message.of(Codec.encode(result), Metadata.of(JSON)))
                .invoke(() -> stats.broadcastSent(result.tipo()))
                .subscribeAsCompletionStage();
    }
}
