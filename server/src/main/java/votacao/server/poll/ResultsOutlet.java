package votacao.server.poll;

import java.util.concurrent.CompletionStage;

import votacao.shared.ServerMessage;

/** Where results go to every client at once (the broadcast fanout, in {@code messaging/}). */
public interface ResultsOutlet {

    /** Completes when the broker holds the result in every subscriber's queue. */
    CompletionStage<Void> publish(ServerMessage result);
}
