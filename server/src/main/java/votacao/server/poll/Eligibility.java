package votacao.server.poll;

import java.time.Instant;
import java.util.Objects;

import votacao.shared.Credential;
import votacao.shared.VerifyingKey;

/**
 * Who may vote. Open (the original protocol, the default): anyone may vote as anyone. Signed: a vote
 * must carry a credential from the poll's authority for its voter and this poll, not expired
 * ({@link Credential}). Pure: the key is read by whoever builds it.
 */
public final class Eligibility {

    private static final Eligibility OPEN = new Eligibility(null, null);

    private final VerifyingKey authority;
    private final String poll;

    private Eligibility(VerifyingKey authority, String poll) {
        this.authority = authority;
        this.poll = poll;
    }

    public static Eligibility open() {
        return OPEN;
    }

    /** Votes need credentials signed by {@code authority} for the poll named {@code poll}. */
    public static Eligibility signed(VerifyingKey authority, String poll) {
        return new Eligibility(Objects.requireNonNull(authority), Objects.requireNonNull(poll));
    }

    public boolean isSigned() {
        return authority != null;
    }

    /** The poll's name the credentials must carry; null when open. */
    public String poll() {
        return poll;
    }

    /** Whether {@code voter} (canonical id) may vote at {@code now} with this credential (its text; may be null). */
    public boolean admits(String voter, String credential, Instant now) {
        if (authority == null) {
            return true;
        }
        Credential read = Credential.parse(credential);
        return read != null && read.admits(authority, voter, poll, now);
    }
}
