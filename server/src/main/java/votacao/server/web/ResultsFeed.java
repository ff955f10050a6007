package votacao.server.web;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import votacao.server.CurrentPoll;
import votacao.server.decision.BallotBox;
import votacao.shared.Codec;
import votacao.shared.ServerMessage;

/**
 * The results as the browsers see them. Each result the server broadcasts is encoded once and the
 * same text is pushed to every open page, so a thousand viewers cost a thousand writes and nothing
 * more; a viewer that falls behind skips to the newest result instead of queueing old ones.
 */
@ApplicationScoped
public class ResultsFeed {

    @Inject
    CurrentPoll poll;

    private final BroadcastProcessor<String> results = BroadcastProcessor.create();

    /** Called with every {@code parcial} and {@code final} the server broadcasts, at the same pace. */
    public void publish(ServerMessage result) {
        results.onNext(new String(Codec.encode(result), StandardCharsets.UTF_8));
    }

    /** The tally now: {@code final} once the final result is out, {@code parcial} before; null before the poll starts. */
    public ServerMessage current() {
        BallotBox box = poll.box();
        if (box == null) {
            return null;
        }
        return poll.isFinalPublished() ? ServerMessage.finalResult(box.tally(), box.closesAt())
                : ServerMessage.partial(box.tally(), box.closesAt());
    }

    /** The current tally at once (a late viewer needs no wait), then every result as it is broadcast. */
    public Multi<String> stream() {
        Multi<String> now = Multi.createFrom().item(() -> {
            ServerMessage current = current();
            return current == null ? null : new String(Codec.encode(current), StandardCharsets.UTF_8);
        });
        Multi<String> next = results.onOverflow().dropPreviousItems();
        return Multi.createBy().concatenating().streams(now, next);
    }
}
