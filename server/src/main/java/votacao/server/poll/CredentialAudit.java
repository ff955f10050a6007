package votacao.server.poll;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import votacao.shared.VerifyingKey;

/**
 * Checks, from the ledger alone, that every counted vote of the latest poll came with a credential the
 * authority's public key verifies, for its voter and for the poll's name, unexpired when the vote was
 * decided. Fed each entry after {@link PollHistory#apply} with whether that entry counted a vote.
 */
public final class CredentialAudit {

    private final VerifyingKey authority;
    private String pollId;
    private String pollName;
    private Eligibility eligibility;
    private long verified;
    private final List<String> failed = new ArrayList<>();

    public CredentialAudit(VerifyingKey authority) {
        this.authority = authority;
    }

    public void check(LedgerEntry entry, boolean counted) {
        if (LedgerEntry.OPENING.equals(entry.tipo()) && !entry.enquete().equals(pollId)) {
            pollId = entry.enquete();
            pollName = entry.nome();
            eligibility = pollName == null ? null : Eligibility.signed(authority, pollName);
            verified = 0;
            failed.clear();
        } else if (LedgerEntry.VOTE.equals(entry.tipo()) && counted) {
            Instant decided = entry.em() == null ? Instant.EPOCH : Instant.parse(entry.em());
            if (eligibility != null && eligibility.admits(entry.userId(), entry.credencial(), decided)) {
                verified++;
            } else {
                failed.add(entry.userId());
            }
        }
    }

    /** Whether the latest poll ran in signed mode (its opening names the poll its credentials carry). */
    public boolean signedPoll() {
        return pollName != null;
    }

    public String pollName() {
        return pollName;
    }

    public long verified() {
        return verified;
    }

    /** The voters whose counted vote's credential does not verify. */
    public List<String> failed() {
        return List.copyOf(failed);
    }
}
