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
        history.apply(LedgerEntry.vote("p1", "ana", "A", "m1"));
        history.apply(LedgerEntry.vote("p1", "ana", "A", "m1"));
        history.apply(LedgerEntry.vote("p1", "bia", "B", null));
        assertEquals("p1", history.latest().pollId());
        assertEquals(Map.of("A", 1L, "B", 1L), history.latest().tally());
        assertEquals(2, history.votes());
        assertFalse(history.finalPublished());
    }

    @Test
    void anOpeningWrittenAgainDoesNotResetThePoll() {
        LedgerEntry opening = LedgerEntry.opening("p1", List.of("A", "B"), "2026-01-01T10:00:00Z");
        history.apply(opening);
        history.apply(LedgerEntry.vote("p1", "ana", "A", null));
        history.apply(opening);
        assertEquals(Map.of("A", 1L, "B", 0L), history.latest().tally());
    }

    @Test
    void aNewOpeningStartsAfreshAndIgnoresVotesOfOtherPolls() {
        history.apply(LedgerEntry.opening("p1", List.of("A", "B"), "2026-01-01T10:00:00Z"));
        history.apply(LedgerEntry.vote("p1", "ana", "A", null));
        history.apply(LedgerEntry.closing("p1"));
        assertTrue(history.finalPublished());
        history.apply(LedgerEntry.opening("p2", List.of("X", "Y"), "2026-01-02T10:00:00Z"));
        history.apply(LedgerEntry.vote("p1", "bia", "A", null));
        history.apply(LedgerEntry.vote("p2", "ana", "Y", null));
        assertEquals("p2", history.latest().pollId());
        assertEquals(Map.of("X", 0L, "Y", 1L), history.latest().tally());
        assertFalse(history.finalPublished());
    }
}
