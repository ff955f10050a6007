package votacao.server.web;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import votacao.server.poll.CurrentPoll;
import votacao.server.poll.ResultAnnounced;
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

    /** Every {@code parcial} and {@code final} the server broadcasts, at the same pace. */
    void onResult(@Observes ResultAnnounced announced) {
        results.onNext(text(announced.result()));
    }

    /** The tally now (see {@link CurrentPoll#result()}); null before the poll starts. */
    public ServerMessage current() {
        return poll.result();
    }

    /** The current tally at once (a late viewer needs no wait), then every result as it is broadcast. */
    public Multi<String> stream() {
        Multi<String> now = Multi.createFrom().item(() -> {
            ServerMessage current = current();
            return current == null ? null : text(current);
        });
        Multi<String> next = results.onOverflow().dropPreviousItems();
        return Multi.createBy().concatenating().streams(now, next);
    }

    private static String text(ServerMessage result) {
        return new String(Codec.encode(result), StandardCharsets.UTF_8);
    }
}
