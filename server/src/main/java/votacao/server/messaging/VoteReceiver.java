package votacao.server.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Timer;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.rabbitmq.IncomingRabbitMQMetadata;
import votacao.server.CurrentPoll;
import votacao.server.VoteStats;
import votacao.server.decision.Ballot;
import votacao.server.decision.BallotBox;
import votacao.server.decision.Decision;
import votacao.server.ledger.LedgerEntry;
import votacao.server.window.ResultsBroadcaster;
import votacao.shared.Codec;
import votacao.shared.ServerMessage;
import votacao.shared.Texts;
import votacao.shared.Vote;
import votacao.shared.VoteReading;

/**
 * Takes votes off the {@code votos} queue on a pool of blocking workers. A vote is acknowledged to
 * the broker (by returning) only once its outcome is durable and its answer confirmed by the broker;
 * any failure before that throws, the vote goes back to the queue and is decided again later.
 */
@ApplicationScoped
public class VoteReceiver {

    private static final Logger LOG = Logger.getLogger(VoteReceiver.class);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RECORD_PATIENCE = Duration.ofSeconds(60);

    @Inject
    CurrentPoll poll;
    @Inject
    AnswerSender answers;
    @Inject
    ResultsBroadcaster results;
    @Inject
    VoteStats stats;

    @Incoming("votos")
    @Blocking(value = "vote-workers", ordered = false)
    public void receive(byte[] body, IncomingRabbitMQMetadata delivery) {
        Timer.Sample started = Timer.start();
        handle(body, delivery);
        started.stop(stats.processing());
    }

    private void handle(byte[] body, IncomingRabbitMQMetadata delivery) {
        // Nothing, not even an unreadable vote, is handled before the server has started its poll.
        BallotBox box = runningPoll();
        VoteReading reading = Codec.readVote(body);
        if (reading instanceof VoteReading.Malformed malformed) {
            setAside(body, delivery, malformed);
            return;
        }
        Vote vote = ((VoteReading.Valid) reading).vote();
        ServerMessage answer = decide(box, vote, delivery);
        answers.answer(delivery, answer).await().atMost(ANSWER_TIMEOUT);
    }

    private ServerMessage decide(BallotBox box, Vote vote, IncomingRabbitMQMetadata delivery) {
        String messageId = delivery.getMessageId().orElse(null);
        Decision decision = box.decide(vote, messageId, delivery.isRedeliver(), Instant.now());
        if (decision instanceof Decision.Accepted accepted) {
            record(box, accepted.ballot());
            stats.accepted();
            results.tallyChanged();
            LOG.debugf("vote of %s for %s counted", vote.userId(), vote.opcao());
            return ServerMessage.confirmation(vote.userId());
        }
        if (decision instanceof Decision.Repeated repeated) {
            awaitRecorded(repeated.ballot());
            stats.repeated();
            LOG.debugf("vote of %s for %s seen again, confirmed again", vote.userId(), vote.opcao());
            return ServerMessage.confirmation(vote.userId());
        }
        String reason = ((Decision.Refused) decision).reason();
        stats.refused(reason);
        LOG.debugf("vote of %s for %s refused: %s", vote.userId(), vote.opcao(), reason);
        return ServerMessage.error(vote.userId(), reason);
    }

    /**
     * Appends the ballot to the ledger, trying again while the broker is away (a duplicate entry is
     * harmless: the replay counts a voter once). Gives up after a while, and the vote is redelivered.
     */
    private void record(BallotBox box, Ballot ballot) {
        LedgerEntry entry = LedgerEntry.vote(box.pollId(), ballot.userId(), ballot.option(), ballot.messageId());
        long deadline = System.nanoTime() + RECORD_PATIENCE.toNanos();
        while (true) {
            try {
                Timer.Sample appending = Timer.start();
                poll.ledger().append(entry).get(RECORD_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                appending.stop(stats.ledgerAppend());
                box.counted(ballot);
                return;
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    box.withdrawn(ballot, e);
                    throw new VoteNotRecorded(ballot.userId(), e);
                }
                pause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                box.withdrawn(ballot, e);
                throw new VoteNotRecorded(ballot.userId(), e);
            }
        }
    }

    private BallotBox runningPoll() {
        try {
            return poll.awaitBox(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the poll was starting", e);
        }
    }

    private static void awaitRecorded(Ballot ballot) {
        try {
            ballot.recorded().get(RECORD_PATIENCE.toMillis() + ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new VoteNotRecorded(ballot.userId(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VoteNotRecorded(ballot.userId(), e);
        }
    }

    private void setAside(byte[] body, IncomingRabbitMQMetadata delivery, VoteReading.Malformed malformed) {
        LOG.warnf("Vote set aside in the dead-letter queue: %s (message_id %s)", malformed.reason(),
                delivery.getMessageId().orElse("none"));
        answers.deadLetter(body, delivery, malformed.reason()).await().atMost(ANSWER_TIMEOUT);
        stats.deadLettered();
        if (malformed.hasVoter()) {
            answers.answer(delivery, ServerMessage.error(malformed.userId(), Texts.MALFORMED_VOTE))
                    .await().atMost(ANSWER_TIMEOUT);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A vote that could not be made durable; the broker will deliver it again. */
    static final class VoteNotRecorded extends RuntimeException {
        VoteNotRecorded(String userId, Throwable cause) {
            super("the vote of " + userId + " could not be recorded: " + cause.getMessage(), cause, false, false);
        }
    }
}
