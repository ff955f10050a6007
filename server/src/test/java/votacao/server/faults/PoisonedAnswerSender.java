package votacao.server.faults;

import java.util.concurrent.CompletableFuture;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import votacao.server.messaging.AnswerSender;
import votacao.shared.ServerMessage;

/**
 * Makes processing throw for voters whose id starts with {@value #POISON}: a stand-in for whatever
 * bug could make one message fail every time it is processed.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class PoisonedAnswerSender extends AnswerSender {

    static final String POISON = "veneno-";

    @Override
    public CompletableFuture<Void> answer(IncomingRabbitMQMetadata vote, ServerMessage answer) {
        if (answer.userId() != null && answer.userId().startsWith(POISON)) {
            throw new IllegalStateException("poisoned vote of " + answer.userId());
        }
        return super.answer(vote, answer);
    }
}
