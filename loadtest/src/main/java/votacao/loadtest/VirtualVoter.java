package votacao.loadtest;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;

import votacao.shared.ClientQueue;
import votacao.shared.Codec;
import votacao.shared.Protocol;
import votacao.shared.ServerMessage;
import votacao.shared.Texts;
import votacao.shared.Vote;

/**
 * One simulated voter on its own AMQP channel: publishes its vote with a publisher confirm and a
 * {@code message_id}, and is done when the server's answer reaches it (a duplicate voter then votes
 * once more, and is done when that second vote is refused).
 */
public final class VirtualVoter {

    private final Vote vote;
    private final Channel channel;
    private final String replyTo;
    private final boolean votesTwice;
    private final RunStats stats;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile long publishedNanos;
    private volatile boolean firstAnswered;

    private final String credential;

    /** @param credential the voter's credential for a poll in signed mode, or null */
    VirtualVoter(Vote vote, String credential, Channel channel, String replyTo, boolean votesTwice, RunStats stats)
            throws IOException {
        this.vote = vote;
        this.credential = credential;
        this.channel = channel;
        this.replyTo = replyTo;
        this.votesTwice = votesTwice;
        this.stats = stats;
        if (replyTo != null) {
            channel.confirmSelect();
            channel.addConfirmListener(new ConfirmListener() {
                @Override
                public void handleAck(long deliveryTag, boolean multiple) {
                    stats.confirmedByBroker(publishedNanos, System.nanoTime());
                }

                @Override
                public void handleNack(long deliveryTag, boolean multiple) {
                    // Counted as not confirmed: the report shows sent > broker-confirmed.
                }
            });
        }
    }

    public String userId() {
        return vote.userId();
    }

    /** The correlation id of this voter's answers: its user id, unique to the run. */
    public String correlationId() {
        return vote.userId();
    }

    /** Publishes the vote; the returned future completes when the voter has all its answers. */
    public CompletableFuture<Void> vote() throws IOException {
        publish(vote.userId() + "-1");
        // A copy: whoever gives up waiting on it (a timeout cancels) must not mark this voter answered.
        return done.copy();
    }

    /** A vote exactly as the original load generator sent it: no properties, no answer awaited. */
    public void voteLegacy() throws IOException {
        channel.basicPublish(Protocol.VOTES_EXCHANGE, Protocol.VOTE_ROUTING_KEY, null, Codec.encode(vote));
        stats.sent.increment();
    }

    private void publish(String messageId) throws IOException {
        AMQP.BasicProperties properties = ClientQueue.voteProperties(messageId, correlationId(), replyTo, credential);
        publishedNanos = System.nanoTime();
        channel.basicPublish(Protocol.VOTES_EXCHANGE, Protocol.VOTE_ROUTING_KEY, properties, Codec.encode(vote));
        stats.sent.increment();
    }

    /** An answer for this voter arrived. */
    void answered(ServerMessage answer) {
        long now = System.nanoTime();
        boolean confirmed = ServerMessage.CONFIRMACAO.equals(answer.tipo());
        if (!firstAnswered) {
            firstAnswered = true;
            stats.answered(vote.opcao(), confirmed, answer.mensagem(), publishedNanos, now);
            if (votesTwice && confirmed) {
                try {
                    publish(vote.userId() + "-2");
                    return;
                } catch (IOException | RuntimeException e) {
                    done.completeExceptionally(e);
                    return;
                }
            }
        } else if (Texts.ALREADY_VOTED.equals(answer.mensagem())) {
            stats.duplicatesRefused.increment();
        } else {
            stats.duplicatesAccepted.increment();
        }
        done.complete(null);
    }

    /** Whether every answer this voter waits for has come. */
    boolean isDone() {
        return done.isDone() && !done.isCompletedExceptionally();
    }
}
