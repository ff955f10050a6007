package votacao.server.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PollHistoryTest {

    private final PollHistory history = new PollHistory();

    @Test
    void anEmptyLedgerHoldsNoPoll() {
        history.apply(LedgerEntry.start("s1"));
        assertNull(history.latest());
        assertEquals(1, history.starts());
    }

    @Test
    void rebuildsTheLatestPollCountingEachVoterOnce() {
        history.apply(LedgerEntry.opening("p1", List.of("A", "B"), "2026-01-01T10:00:00Z"));
        history.apply(LedgerEntry.vote("p1", "ana", "A", "m1", null));
        history.apply(LedgerEntry.vote("p1", "ana", "A", "m1", null));
        history.apply(LedgerEntry.vote("p1", "bia", "B", null, null));
        assertEquals("p1", history.latest().pollId());
        assertEquals(Map.of("A", 1L, "B", 1L), history.latest().tally());
        assertEquals(2, history.votes());
        assertFalse(history.finalPublished());
    }

    @Test
    void anOpeningWrittenAgainDoesNotResetThePoll() {
        LedgerEntry opening = LedgerEntry.opening("p1", List.of("A", "B"), "2026-01-01T10:00:00Z");
        history.apply(opening);
        history.apply(LedgerEntry.vote("p1", "ana", "A", null, null));
        history.apply(opening);
        assertEquals(Map.of("A", 1L, "B", 0L), history.latest().tally());
    }

    @Test
    void aNewOpeningStartsAfreshAndIgnoresVotesOfOtherPolls() {
        history.apply(LedgerEntry.opening("p1", List.of("A", "B"), "2026-01-01T10:00:00Z"));
        history.apply(LedgerEntry.vote("p1", "ana", "A", null, null));
        history.apply(LedgerEntry.closing("p1", Map.of("A", 1L, "B", 0L)));
        assertTrue(history.finalPublished());
        history.apply(LedgerEntry.opening("p2", List.of("X", "Y"), "2026-01-02T10:00:00Z"));
        history.apply(LedgerEntry.vote("p1", "bia", "A", null, null));
        history.apply(LedgerEntry.vote("p2", "ana", "Y", null, null));
        assertEquals("p2", history.latest().pollId());
        assertEquals(Map.of("X", 0L, "Y", 1L), history.latest().tally());
        assertFalse(history.finalPublished());
    }

    @Test
    void aVoteWrittenAfterTheFinalIsNotCountedOnReplay() {
        history.apply(LedgerEntry.opening("p1", List.of("A", "B"), "2026-01-01T10:00:00Z"));
        history.apply(LedgerEntry.vote("p1", "ana", "A", "m1", "2026-01-01T09:59:00Z"));
        history.apply(LedgerEntry.closing("p1", Map.of("A", 1L, "B", 0L)));
        // an append given up on at the close, written by the broker after the final went out
        history.apply(LedgerEntry.vote("p1", "bia", "B", "m2", "2026-01-01T09:59:59Z"));
        // the last entries written again after a broker restart: a copy, not a late vote
        history.apply(LedgerEntry.vote("p1", "ana", "A", "m1", "2026-01-01T09:59:00Z"));
        assertEquals(Map.of("A", 1L, "B", 0L), history.latest().tally());
        assertEquals(1, history.lateVotes());
        assertEquals(Map.of("A", 1L, "B", 0L), history.publishedFinal());
    }

    @Test
    void aVoteDecidedAfterTheClosingTimeIsRefusedOnReplayAsLive() {
        history.apply(LedgerEntry.opening("p1", List.of("A", "B"), "2026-01-01T10:00:00Z"));
        history.apply(LedgerEntry.vote("p1", "ana", "A", "m1", "2026-01-01T09:59:59.999Z"));
        history.apply(LedgerEntry.vote("p1", "bia", "B", "m2", "2026-01-01T10:00:00Z"));
        assertEquals(Map.of("A", 1L, "B", 0L), history.latest().tally());
        assertEquals(1, history.lateVotes());
    }

    @Test
    void votesOfLedgersWrittenBeforeTheirTimeWasRecordedStillCount() {
        history.apply(LedgerEntry.opening("p1", List.of("A", "B"), "2026-01-01T10:00:00Z"));
        history.apply(LedgerEntry.vote("p1", "ana", "A", "m1", null)); // no "em": as versions before it wrote
        assertEquals(Map.of("A", 1L, "B", 0L), history.latest().tally());
    }

    @Test
    void onceAServerTakesOverTheVotesAndClosingOfTheOneBeforeNoLongerCount() {
        history.apply(LedgerEntry.opening("p1", List.of("A", "B"), "2099-01-01T10:00:00Z"));
        history.apply(LedgerEntry.vote("p1", "ana", "A", "m1", null)); // an earlier version: no activation mark
        history.apply(LedgerEntry.activation("one"));
        history.apply(LedgerEntry.vote("p1", "bia", "B", "m2", null, null, "one"));
        history.apply(LedgerEntry.activation("two"));
        // "one" wrote these after "two" took over: fenced off, the redelivered votes are "two"'s to decide
        history.apply(LedgerEntry.vote("p1", "caio", "A", "m3", null, null, "one"));
        history.apply(LedgerEntry.closing("p1", Map.of("A", 2L, "B", 1L), "one"));
        history.apply(LedgerEntry.vote("p1", "caio", "B", "m4", null, null, "two"));
        assertEquals(Map.of("A", 1L, "B", 2L), history.latest().tally());
        assertEquals(2, history.fencedOff());
        assertFalse(history.finalPublished(), "the fenced-off server's final is not the poll's");
        assertEquals(2, history.activations());
        assertEquals("two", history.activation());
    }

    @Test
    void aCopyOfAnEarlierActivationDoesNotBringItsServerBack() {
        history.apply(LedgerEntry.opening("p1", List.of("A", "B"), "2099-01-01T10:00:00Z"));
        history.apply(LedgerEntry.activation("one"));
        history.apply(LedgerEntry.activation("two"));
        history.apply(LedgerEntry.activation("one")); // written again after a broker restart
        history.apply(LedgerEntry.vote("p1", "ana", "A", "m1", null, null, "two"));
        history.apply(LedgerEntry.vote("p1", "bia", "A", "m2", null, null, "one"));
        assertEquals(Map.of("A", 1L, "B", 0L), history.latest().tally());
        assertEquals("two", history.activation());
    }
}
