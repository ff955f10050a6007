package votacao.loadtest;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;

import votacao.shared.ClientQueue;
import votacao.shared.Codec;
import votacao.shared.Protocol;
import votacao.shared.ServerMessage;
import votacao.shared.Texts;
import votacao.shared.Vote;

/**
 * One simulated voter on its own AMQP channel: publishes its vote with a {@code message_id} (and, with
 * --broker-confirms, a publisher confirm), and is done when the server's answer reaches it (a duplicate
 * voter then votes once more, and is done when that second vote is refused).
 */
public final class VirtualVoter {

    /** How long a vote the broker refused waits before it is sent again. */
    private static final long NACK_PAUSE_MILLIS = 500;

    private final Vote vote;
    private final Channel channel;
    /** The channel votes go out on: the voter's own, or a fresh one after the broker refused a vote on it. */
    private volatile Channel publishing;
    private final Connection connection;
    private final Supplier<String> replyTo;
    private final boolean votesTwice;
    /** Whether the broker confirms each vote: else the answer alone tells that the vote arrived. */
    private final boolean brokerConfirms;
    private final RunStats stats;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile long publishedNanos;
    private volatile boolean firstAnswered;
    private volatile String pending;
    private volatile long lastSentNanos;
    /** What the broker said of this voter's latest publish. */
    private volatile BrokerReply brokerSaid = BrokerReply.NONE;
    /** The message_id whose first confirm has been counted. */
    private volatile String confirmedId;

    private enum BrokerReply {
        NONE("sent, not confirmed by the broker"), UNASKED("sent"), ACK("confirmed by the broker"),
        NACK("refused by the broker (nack)");

        final String progress;

        BrokerReply(String progress) {
            this.progress = progress;
        }
    }

    private final String credential;

    /**
     * @param credential the voter's credential for a poll in signed mode, or null
     * @param replyTo the answer queue's name as it is now (null: no answer awaited)
     */
    VirtualVoter(Vote vote, String credential, Connection connection, Channel channel, Supplier<String> replyTo,
            boolean votesTwice, boolean brokerConfirms, RunStats stats)
            throws IOException {
        this.connection = connection;
        this.vote = vote;
        this.credential = credential;
        this.channel = channel;
        this.replyTo = replyTo;
        this.votesTwice = votesTwice;
        this.brokerConfirms = brokerConfirms;
        this.stats = stats;
        this.publishing = channel;
        if (replyTo != null && brokerConfirms) {
            listenForConfirms(channel);
        }
    }

    private void listenForConfirms(Channel publisher) throws IOException {
        publisher.confirmSelect();
        publisher.addConfirmListener(new ConfirmListener() {
            @Override
            public void handleAck(long deliveryTag, boolean multiple) {
                brokerSaid = BrokerReply.ACK;
                String messageId = pending;
                if (messageId != null && !messageId.equals(confirmedId)) { // once per vote, however often it went
                    confirmedId = messageId;
                    stats.confirmedByBroker(publishedNanos, System.nanoTime());
                }
            }

            @Override
            public void handleNack(long deliveryTag, boolean multiple) {
                // Counted as not confirmed: the report shows sent > broker-confirmed.
                brokerSaid = BrokerReply.NACK;
                CompletableFuture.delayedExecutor(NACK_PAUSE_MILLIS, TimeUnit.MILLISECONDS).execute(() -> {
                    if (sendAgainOnAFreshChannel(publisher)) {
                        stats.sentAgainAfterNack.increment();
                    }
                });
            }
        });
    }

    /**
     * The broker did not take the vote: a full queue, or a quorum queue that lost its leader. After a node
     * loss a channel on a surviving node went on refusing every publish to {@code votos} for minutes (1,341
     * voters, 446,856 refusals in one run, RabbitMQ 3.10), so the vote goes again, same message_id, on a new
     * channel of the same connection; the voter's first channel stays open (with --subscribe its answer
     * queue's consumer is on it).
     */
    private synchronized boolean sendAgainOnAFreshChannel(Channel refused) {
        String messageId = pending;
        if (messageId == null || done.isDone() || publishing != refused) {
            return false;
        }
        try {
            Channel fresh = connection.createChannel();
            if (brokerConfirms) {
                listenForConfirms(fresh);
            }
            publishing = fresh;
            if (refused != channel) {
                refused.abort();
            }
            send(messageId);
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // the connection went: its recovery sends the vote again
        }
    }

    /**
     * Sends the vote again, same message_id, on a fresh channel, if it looks lost since {@code since}: with
     * --broker-confirms, the broker has neither confirmed nor refused it; without, it is unanswered although a
     * vote sent after it has been answered (the way through the broker and the server works, and this vote
     * fell out of it), or it is unanswered since {@code longSince} (the run's last votes have none after
     * them). Losing a cluster node can leave a publish to a quorum queue with neither confirm nor refusal
     * (3 of 20,000 votes when the server's node was killed mid-run, RabbitMQ 3.10), and a channel refusing
     * every publish; without confirms such votes are dropped unseen. The server answers a vote it has seen
     * as it did the first time, so a copy costs nothing but the trip.
     */
    boolean sendAgainIfLost(long since, long longSince) {
        if (pending == null || done.isDone() || brokerSaid != BrokerReply.NONE || lastSentNanos - since >= 0) {
            return false;
        }
        boolean lost = brokerConfirms || stats.answeredOneSentAfter(lastSentNanos) || lastSentNanos - longSince < 0;
        return lost && sendAgainOnAFreshChannel(publishing);
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
        pending = messageId;
        publishedNanos = System.nanoTime();
        try {
            send(messageId);
        } catch (AlreadyClosedException lost) {
            if (!(channel.getConnection() instanceof Recoverable) || lost.isInitiatedByApplication()) {
                throw lost;
            }
            // The connection is recovering: its recovery sends the pending vote again (LoadRun).
        }
        stats.sent.increment();
    }

    private void send(String messageId) throws IOException {
        lastSentNanos = System.nanoTime();
        brokerSaid = BrokerReply.NONE;
        AMQP.BasicProperties properties = ClientQueue.voteProperties(messageId, correlationId(), replyTo.get(),
                credential);
        publishing.basicPublish(Protocol.VOTES_EXCHANGE, Protocol.VOTE_ROUTING_KEY, properties, Codec.encode(vote));
    }

    /**
     * Sends the vote awaiting an answer again, with the same {@code message_id}: its connection was lost,
     * and with it maybe the vote (unconfirmed) or its answer (the answer queue). The server answers a vote
     * it has seen as it did the first time, and counts it once. Only a vote last sent before {@code nanos}
     * (the connection's recovery) is sent again. True if a vote was sent again.
     */
    boolean sendAgainIfSentBefore(long nanos) {
        String messageId = pending;
        if (messageId == null || done.isDone() || lastSentNanos - nanos >= 0) {
            return false;
        }
        try {
            send(messageId);
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // the connection went again: its next recovery sends it
        }
    }

    /** An answer for this voter arrived. */
    void answered(ServerMessage answer) {
        long now = System.nanoTime();
        stats.answerArrivedFor(lastSentNanos);
        boolean confirmed = ServerMessage.CONFIRMACAO.equals(answer.tipo());
        if (done.isDone()) {
            return; // the answer to a vote sent again whose first answer came after all
        }
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

    /** Where an unanswered voter got to: for the report of a run that left votes unanswered. */
    String progress() {
        if (pending == null) {
            return "not sent";
        }
        return (brokerConfirms ? brokerSaid : BrokerReply.UNASKED).progress;
    }

    /** Whether every answer this voter waits for has come. */
    boolean isDone() {
        return done.isDone() && !done.isCompletedExceptionally();
    }
}
