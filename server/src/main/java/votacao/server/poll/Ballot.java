package votacao.server.poll;

import java.util.concurrent.CompletableFuture;

/**
 * One voter's accepted vote. It counts in the tally only once {@link #recorded()} completes, that is
 * once the ledger holds it; until then other votes of the same voter wait on it.
 */
public final class Ballot {

    private final String userId;
    private final String option;
    private final String messageId;
    private final CompletableFuture<Void> recorded;

    Ballot(String userId, String option, String messageId, CompletableFuture<Void> recorded) {
        this.userId = userId;
        this.option = option;
        this.messageId = messageId;
        this.recorded = recorded;
    }

    public String userId() {
        return userId;
    }

    public String option() {
        return option;
    }

    /** The vote's AMQP {@code message_id}, or null when the voter set none. */
    public String messageId() {
        return messageId;
    }

    /** Completes when the ballot is durable and counted; fails when it could not be recorded. */
    public CompletableFuture<Void> recorded() {
        return recorded;
    }

    /** Whether a vote with these properties is this same vote sent again, not a second vote. */
    boolean isSameVoteAs(String otherOption, String otherMessageId, boolean redelivered) {
        if (messageId != null && otherMessageId != null) {
            return messageId.equals(otherMessageId);
        }
        // Without message ids, only the broker's redelivery flag tells a retry from a second vote.
        return redelivered && option.equals(otherOption);
    }
}
