package votacao.server.poll;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import votacao.shared.ServerMessage;
import votacao.shared.Texts;
import votacao.shared.Vote;

/**
 * The use case: cast a vote, close the poll. A vote is decided at once by the rules of the
 * {@link BallotBox}; its answer completes only when its outcome is durable in the ledger. Nothing
 * here waits: the caller gets a future and is free to take the next vote.
 */
@ApplicationScoped
public class PollService {

    private static final Logger LOG = Logger.getLogger(PollService.class);

    @Inject
    CurrentPoll poll;
    @Inject
    VoteStats stats;
    @Inject
    PollSettings settings;
    @Inject
    Event<TallyChanged> tallyChanged;

    /**
     * The answer to a vote, completed once what it says is durable; failed if the vote must be tried again.
     *
     * @param credential the vote's credential (signed mode), or null
     */
    public CompletionStage<ServerMessage> cast(Vote vote, String messageId, boolean redelivered, String credential) {
        BallotBox box = poll.box();
        Instant now = Instant.now();
        Eligibility eligibility = poll.eligibility();
        String voter = VoterId.canonical(vote.userId());
        if (voter != null && !eligibility.admits(voter, credential, now)) {
            return refuse(vote, Texts.INVALID_CREDENTIAL);
        }
        Decision decision = box.decide(vote, messageId, redelivered, now);
        if (decision instanceof Decision.Accepted accepted) {
            return record(box, accepted.ballot(), vote.userId(), now, eligibility.isSigned() ? credential : null);
        }
        if (decision instanceof Decision.Repeated repeated) {
            // The same vote again: the same answer, once the first one is durable.
            return repeated.ballot().recorded().thenApply(ok -> {
                stats.repeated();
                return ServerMessage.confirmation(vote.userId());
            });
        }
        return refuse(vote, ((Decision.Refused) decision).reason());
    }

    private CompletionStage<ServerMessage> refuse(Vote vote, String reason) {
        stats.refused(reason);
        LOG.debugf("vote of %s for %s refused: %s", vote.userId(), vote.opcao(), reason);
        return CompletableFuture.completedFuture(ServerMessage.error(vote.userId(), reason));
    }

    /**
     * Records the ballot (under the voter's canonical id) with the instant it was decided at, so that a
     * replay judges it against the closing time as this server did; the answer names the voter as the
     * vote did.
     */
    private CompletionStage<ServerMessage> record(BallotBox box, Ballot ballot, String sentAs, Instant decidedAt,
            String credential) {
        LedgerEntry entry = LedgerEntry.vote(box.pollId(), ballot.userId(), ballot.option(), ballot.messageId(),
                decidedAt.toString(), credential, poll.activation());
        return poll.ledger().append(entry).handle((ok, failure) -> {
            if (failure != null) {
                // Only a closing ledger fails an append (it retries while the broker is away): the vote goes
                // back to the queue unacknowledged and the next start decides it against the replayed ledger.
                box.withdrawn(ballot, failure);
                throw new VoteNotRecorded(ballot.userId(), failure);
            }
            box.counted(ballot);
            stats.accepted();
            if (settings.parcial().intervalo().isZero()) {
                tallyChanged.fire(new TallyChanged(box.version()));
            }
            return ServerMessage.confirmation(sentAs);
        });
    }

    /**
     * Closes the poll: no vote is accepted from now on, the votes accepted before are awaited, and the
     * final result is fixed and recorded. Completes with the final result, the same on every call.
     */
    public CompletionStage<ServerMessage> close() {
        BallotBox box = poll.box();
        return box.close().thenApply(settled -> {
            ServerMessage result = ServerMessage.finalResult(box.tally(), box.closesAt());
            if (poll.fixFinal(result)) {
                LOG.infof("Poll %s closed. Final result: %s (%d votes)", box.pollId(), result.resultado(),
                        result.total());
                poll.ledger().append(LedgerEntry.closing(box.pollId(), result.resultado(), poll.activation())).whenComplete((ok, failure) -> {
                    if (failure != null) {
                        LOG.warnf("The closing of poll %s was not recorded in the ledger: %s", box.pollId(),
                                failure.getMessage());
                    }
                });
            }
            return poll.result();
        });
    }

    /** A vote that could not be made durable; the broker will deliver it again. */
    public static final class VoteNotRecorded extends RuntimeException {
        VoteNotRecorded(String userId, Throwable cause) {
            super("the vote of " + userId + " could not be recorded: " + cause.getMessage(), cause, false, false);
        }
    }
}
