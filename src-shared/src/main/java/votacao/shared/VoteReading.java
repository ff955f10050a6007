package votacao.shared;

/**
 * What reading a vote's body gave: a {@link Valid} vote, or a {@link Malformed} one with the
 * reason, and the voter when the body named one (so that the voter can still be told).
 */
public sealed interface VoteReading {

    record Valid(Vote vote) implements VoteReading {
    }

    record Malformed(String reason, String userId) implements VoteReading {

        public boolean hasVoter() {
            return userId != null;
        }
    }
}
