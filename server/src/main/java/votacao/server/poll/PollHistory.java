package votacao.server.poll;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;


/**
 * Rebuilds the latest poll from ledger entries read in order: each {@code abertura} starts a new
 * ballot box, each {@code voto} of that poll is restored into it unless it came too late (see
 * {@link #isLate}). Entries written twice (an append retried after a lost confirm, or written again
 * after a broker restart) count once. Once a server's {@code ativacao} is read, only the votes and
 * closings that server writes count: those of a server it took over from, written after it, are
 * fenced off (that server could not know of the newer one; the votes it wrote are delivered again to
 * the newer one, which decides them itself).
 */
public final class PollHistory {

    private BallotBox latest;
    private boolean finalPublished;
    private long votes;
    private long lateVotes;
    private long starts;
    private String activation;
    private final Set<String> activationsSeen = new HashSet<>();
    private long activations;
    private long fencedOff;
    private Map<String, Long> publishedFinal;

    /** Takes the next entry; true when it counted a vote. */
    public boolean apply(LedgerEntry entry) {
        long before = votes;
        switch (entry.tipo()) {
            case LedgerEntry.OPENING -> {
                if (!belongsToLatest(entry)) {
                    latest = new BallotBox(entry.enquete(), entry.opcoes(), Instant.parse(entry.encerraEm()));
                    finalPublished = false;
                    publishedFinal = null;
                    votes = 0;
                    lateVotes = 0;
                }
            }
            case LedgerEntry.VOTE -> {
                if (!belongsToLatest(entry)) {
                    break;
                }
                if (isFencedOff(entry)) {
                    fencedOff++;
                    break;
                }
                if (isLate(entry)) {
                    // The ledger writes its last entries again after a broker restart: those of voters
                    // counted already are copies, not late votes.
                    if (!latest.hasVoted(entry.userId())) {
                        lateVotes++;
                    }
                } else if (latest.restore(entry.userId(), entry.opcao(), entry.messageId())) {
                    votes++;
                }
            }
            case LedgerEntry.CLOSING -> {
                if (belongsToLatest(entry) && isFencedOff(entry)) {
                    fencedOff++;
                } else if (belongsToLatest(entry) && !finalPublished) {
                    finalPublished = true;
                    publishedFinal = entry.resultado();
                }
            }
            case LedgerEntry.START -> starts++;
            case LedgerEntry.ACTIVATION -> {
                // A copy of an earlier activation (the ledger writes its last entries again after a broker
                // restart) is not a new one.
                if (activationsSeen.add(entry.marca())) {
                    activation = entry.marca();
                    activations++;
                }
            }
            default -> {
                // an entry of a newer server: nothing this version needs from it
            }
        }
        return votes > before;
    }

    /**
     * A vote the live poll did not count: written after the poll's final result (the close waits for
     * every vote it accepted, so such an entry is an append that was given up on and still reached the
     * broker), or decided at or after the closing time (refused live by the same rule, BallotBox.isClosed).
     * Votes recorded before entries carried their time ({@code em} absent) are judged by position only.
     */
    private boolean isLate(LedgerEntry entry) {
        return finalPublished || entry.em() != null && latest.isClosed(Instant.parse(entry.em()));
    }

    /** Written by a server other than the latest activated one (entries of earlier versions carry no mark). */
    private boolean isFencedOff(LedgerEntry entry) {
        return activation != null && !activation.equals(entry.marca());
    }

    private boolean belongsToLatest(LedgerEntry entry) {
        return latest != null && latest.pollId().equals(entry.enquete());
    }

    /** The latest poll, or null when the ledger holds none. */
    public BallotBox latest() {
        return latest;
    }

    /** Whether the latest poll ran to its end and its final result went out. */
    public boolean finalPublished() {
        return finalPublished;
    }

    /** Votes restored into the latest poll. */
    public long votes() {
        return votes;
    }

    /** Votes of the latest poll left out as the live poll left them out: decided or written after its close. */
    public long lateVotes() {
        return lateVotes;
    }

    /** The final result the ledger says went out for the latest poll; null if none did (or not recorded). */
    public Map<String, Long> publishedFinal() {
        return publishedFinal;
    }

    /** The fencing token of the server that decides now, or null before any activation. */
    public String activation() {
        return activation;
    }

    /** Server activations read: takeovers, and the first server's start. */
    public long activations() {
        return activations;
    }

    /** Entries left out because a newer server had taken over when they were written. */
    public long fencedOff() {
        return fencedOff;
    }

    /** Server starts recorded, this one excluded. */
    public long starts() {
        return starts;
    }
}
