package votacao.server.poll;

import java.time.Instant;


/**
 * Rebuilds the latest poll from ledger entries read in order: each {@code abertura} starts a new
 * ballot box, each {@code voto} of that poll is restored into it. Entries written twice (an append
 * retried after a lost confirm, or written again after a broker restart) count once.
 */
public final class PollHistory {

    private BallotBox latest;
    private boolean finalPublished;
    private long votes;
    private long starts;

    public void apply(LedgerEntry entry) {
        switch (entry.tipo()) {
            case LedgerEntry.OPENING -> {
                if (!belongsToLatest(entry)) {
                    latest = new BallotBox(entry.enquete(), entry.opcoes(), Instant.parse(entry.encerraEm()));
                    finalPublished = false;
                    votes = 0;
                }
            }
            case LedgerEntry.VOTE -> {
                if (belongsToLatest(entry) && latest.restore(entry.userId(), entry.opcao(), entry.messageId())) {
                    votes++;
                }
            }
            case LedgerEntry.CLOSING -> {
                if (belongsToLatest(entry)) {
                    finalPublished = true;
                }
            }
            case LedgerEntry.START -> starts++;
            default -> {
                // an entry of a newer server: nothing this version needs from it
            }
        }
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

    /** Server starts recorded, this one excluded. */
    public long starts() {
        return starts;
    }
}
