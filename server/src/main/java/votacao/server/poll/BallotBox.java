package votacao.server.poll;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import votacao.shared.Texts;
import votacao.shared.Vote;

/**
 * The rules of one poll and its state: one counted vote per voter, only the configured options,
 * nothing after the window closes. Pure Java, safe for concurrent workers, no I/O.
 *
 * <p>A vote is {@linkplain #decide decided} first and {@linkplain #counted counted} once it is durable,
 * so the tally never shows a vote that a crash could lose.
 */
public final class BallotBox {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final String pollId;
    private final List<String> options;
    private final Instant closesAt;
    private final ConcurrentHashMap<String, Ballot> ballots = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> counts;
    private final AtomicLong changes = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private final CompletableFuture<Void> settled = new CompletableFuture<>();
    private volatile boolean closed;

    public BallotBox(String pollId, List<String> options, Instant closesAt) {
        if (options.isEmpty()) {
            throw new IllegalArgumentException("a poll needs at least one option");
        }
        this.pollId = Objects.requireNonNull(pollId);
        this.options = List.copyOf(options);
        this.closesAt = Objects.requireNonNull(closesAt);
        Map<String, LongAdder> byOption = new LinkedHashMap<>();
        for (String option : this.options) {
            byOption.put(option, new LongAdder());
        }
        this.counts = Collections.unmodifiableMap(byOption);
    }

    public Decision decide(Vote vote, String messageId, boolean redelivered, Instant now) {
        String voter = VoterId.canonical(vote.userId());
        if (voter == null) {
            return new Decision.Refused(Texts.INVALID_VOTER);
        }
        Ballot earlier = ballots.get(voter);
        if (earlier != null && earlier.isSameVoteAs(vote.opcao(), messageId, redelivered)) {
            return new Decision.Repeated(earlier);
        }
        // Counted as pending before the close is checked: close() then either sees this vote pending
        // and waits for it, or this vote sees the box closed. No vote slips in after the final result.
        pending.incrementAndGet();
        if (closed || isClosed(now)) {
            release();
            return new Decision.Refused(Texts.POLL_CLOSED);
        }
        if (!counts.containsKey(vote.opcao())) {
            release();
            return new Decision.Refused(Texts.INVALID_OPTION);
        }
        Ballot mine = new Ballot(voter, vote.opcao(), messageId, new CompletableFuture<>());
        earlier = ballots.putIfAbsent(voter, mine);
        if (earlier == null) {
            return new Decision.Accepted(mine);
        }
        release();
        if (earlier.isSameVoteAs(vote.opcao(), messageId, redelivered)) {
            return new Decision.Repeated(earlier);
        }
        return new Decision.Refused(Texts.ALREADY_VOTED);
    }

    /** The ballot is durable: it counts from now on. */
    public void counted(Ballot ballot) {
        counts.get(ballot.option()).increment();
        changes.incrementAndGet();
        release();
        ballot.recorded().complete(null);
    }

    /** The ballot could not be recorded: forget it, so that the vote, redelivered, is decided anew. */
    public void withdrawn(Ballot ballot, Throwable cause) {
        ballots.remove(ballot.userId(), ballot);
        release();
        ballot.recorded().completeExceptionally(cause);
    }

    /**
     * Takes no more votes from now on, whatever the clock says. The future completes once every vote
     * accepted before is counted or withdrawn: then the tally is final.
     */
    public CompletableFuture<Void> close() {
        closed = true;
        if (pending.get() == 0) {
            settled.complete(null);
        }
        return settled;
    }

    private void release() {
        if (pending.decrementAndGet() == 0 && closed) {
            settled.complete(null);
        }
    }

    /** Puts back a vote read from the ledger at start-up. Returns false for a voter already counted. */
    public boolean restore(String recordedId, String option, String messageId) {
        // Ledgers written before voter ids were made canonical may hold the same voter in two spellings.
        String userId = VoterId.canonical(recordedId);
        if (userId == null || !counts.containsKey(option)) {
            return false;
        }
        if (ballots.putIfAbsent(userId, new Ballot(userId, option, messageId, DONE)) != null) {
            return false;
        }
        counts.get(option).increment();
        changes.incrementAndGet();
        return true;
    }

    /** The count per option, in the configured order, zeros included. */
    /** Whether this voter (any spelling of the id) has a vote here, counted or on its way. */
    public boolean hasVoted(String userId) {
        String canonical = VoterId.canonical(userId);
        return canonical != null && ballots.containsKey(canonical);
    }

    public Map<String, Long> tally() {
        Map<String, Long> snapshot = new LinkedHashMap<>();
        counts.forEach((option, count) -> snapshot.put(option, count.sum()));
        return snapshot;
    }

    /** The votes counted for one option (0 for an option the poll does not have). */
    public long count(String option) {
        LongAdder count = counts.get(option);
        return count == null ? 0 : count.sum();
    }

    /** Grows each time the tally changes: cheap change detection for the broadcasts. */
    public long version() {
        return changes.get();
    }

    /** Accepted votes not yet durable. */
    public long pending() {
        return pending.get();
    }

    public boolean isClosed(Instant now) {
        return !now.isBefore(closesAt);
    }

    public String pollId() {
        return pollId;
    }

    public List<String> options() {
        return options;
    }

    public Instant closesAt() {
        return closesAt;
    }

    public int voters() {
        return ballots.size();
    }
}
