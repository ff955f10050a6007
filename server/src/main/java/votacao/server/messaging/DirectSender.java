package votacao.server.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;

/** Publishes to one named queue through the default exchange (channel {@code respostas}). */
@ApplicationScoped
public class DirectSender {

    @Inject
    @Channel("respostas")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
    MutinyEmitter<byte[]> direct;

    /** Completes when the broker has confirmed the message. */
    public Uni<Void> send(byte[] body, OutgoingRabbitMQMetadata metadata) {
        return direct.sendMessage(Message.of(body, Metadata.of(metadata)));
    }
}
