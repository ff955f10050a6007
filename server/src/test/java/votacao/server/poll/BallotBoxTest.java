package votacao.server.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import votacao.shared.Texts;
import votacao.shared.Vote;

class BallotBoxTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private final BallotBox box = new BallotBox("poll", List.of("A", "B", "C"), NOW.plusSeconds(60));

    @Test
    void aFirstVoteIsAcceptedAndCountsOnlyOnceRecorded() {
        Decision.Accepted accepted = accept("ana", "A", "m1");
        assertEquals(Map.of("A", 0L, "B", 0L, "C", 0L), box.tally());
        assertEquals(1, box.pending());
        box.counted(accepted.ballot());
        assertEquals(Map.of("A", 1L, "B", 0L, "C", 0L), box.tally());
        assertEquals(0, box.pending());
        assertTrue(accepted.ballot().recorded().isDone());
    }

    @Test
    void aSecondVoteOfTheSameVoterIsRefused() {
        box.counted(accept("ana", "A", "m1").ballot());
        assertEquals(new Decision.Refused(Texts.ALREADY_VOTED), box.decide(new Vote("ana", "B"), "m2", false, NOW));
        assertEquals(new Decision.Refused(Texts.ALREADY_VOTED), box.decide(new Vote("ana", "A"), null, false, NOW));
        assertEquals(1L, box.tally().get("A"));
    }

    @Test
    void closingWaitsForTheVotesAcceptedBeforeAndRefusesAnyAfter() {
        Decision.Accepted early = accept("ana", "A", "m1");
        var settled = box.close();
        assertFalse(settled.isDone(), "a vote accepted before the close is still on its way to the ledger");
        // The clock says the window is open, but the box is closed: the final result may already be out.
        assertEquals(new Decision.Refused(Texts.POLL_CLOSED), box.decide(new Vote("bia", "B"), "m2", false, NOW));
        box.counted(early.ballot());
        assertTrue(settled.isDone());
        assertEquals(Map.of("A", 1L, "B", 0L, "C", 0L), box.tally());
    }

    @Test
    void spellingsOfOneVoterAreOneVoter() {
        box.counted(accept("ana", "A", "m1").ballot());
        assertEquals(new Decision.Refused(Texts.ALREADY_VOTED), box.decide(new Vote(" ana\t", "B"), "m2", false, NOW));
        // "Ána" written with the accent composed (NFC) and as A + combining accent (NFD).
        box.counted(accept("\u00c1na", "A", "m3").ballot());
        assertEquals(new Decision.Refused(Texts.ALREADY_VOTED), box.decide(new Vote("A\u0301na", "B"), "m4", false, NOW));
        // Case is part of the id.
        assertInstanceOf(Decision.Accepted.class, box.decide(new Vote("Ana", "B"), "m5", false, NOW));
    }

    @Test
    void idsNoVoterCouldHaveAreRefused() {
        for (String id : List.of("ana\u0000", "a\nb", "\u0007", " ", "x".repeat(VoterId.MAX_BYTES + 1),
                "\u00e9".repeat(VoterId.MAX_BYTES / 2 + 1))) {
            assertEquals(new Decision.Refused(Texts.INVALID_VOTER), box.decide(new Vote(id, "A"), "m", false, NOW), id);
        }
        assertInstanceOf(Decision.Accepted.class, box.decide(new Vote("x".repeat(VoterId.MAX_BYTES), "A"), "m", false, NOW));
        assertEquals(0, box.voters() - 1);
    }

    @Test
    void optionsMatchExactly() {
        assertEquals(new Decision.Refused(Texts.INVALID_OPTION), box.decide(new Vote("ana", "a"), null, false, NOW));
        assertEquals(new Decision.Refused(Texts.INVALID_OPTION), box.decide(new Vote("ana", "D"), null, false, NOW));
        assertInstanceOf(Decision.Accepted.class, box.decide(new Vote("ana", "A"), null, false, NOW));
    }

    @Test
    void nothingIsAcceptedOnceTheWindowHasClosed() {
        Instant closing = box.closesAt();
        assertEquals(new Decision.Refused(Texts.POLL_CLOSED), box.decide(new Vote("ana", "A"), null, false, closing));
        assertTrue(box.isClosed(closing));
        assertFalse(box.isClosed(closing.minusMillis(1)));
    }

    @Test
    void theSameMessageIdIsTheSameVoteEvenAfterTheClose() {
        Ballot ballot = accept("ana", "A", "m1").ballot();
        box.counted(ballot);
        Decision again = box.decide(new Vote("ana", "A"), "m1", false, box.closesAt().plusSeconds(5));
        assertSame(ballot, assertInstanceOf(Decision.Repeated.class, again).ballot());
        assertEquals(1L, box.tally().get("A"));
    }

    @Test
    void aRedeliveryWithoutMessageIdIsTheSameVote() {
        Ballot ballot = accept("ana", "B", null).ballot();
        box.counted(ballot);
        assertInstanceOf(Decision.Repeated.class, box.decide(new Vote("ana", "B"), null, true, NOW));
        assertEquals(new Decision.Refused(Texts.ALREADY_VOTED), box.decide(new Vote("ana", "C"), null, true, NOW));
    }

    @Test
    void aWithdrawnBallotLetsTheVoteBeDecidedAgain() {
        Ballot ballot = accept("ana", "A", "m1").ballot();
        box.withdrawn(ballot, new IOException("broker away"));
        assertTrue(ballot.recorded().isCompletedExceptionally());
        assertEquals(0, box.pending());
        assertInstanceOf(Decision.Accepted.class, box.decide(new Vote("ana", "A"), "m1", true, NOW));
    }

    @Test
    void concurrentVotesOfOneVoterCountOnce() throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(20);
        try {
            List<Callable<Decision>> votes = IntStream.range(0, 200)
                    .mapToObj(i -> (Callable<Decision>) () -> box.decide(new Vote("ana", "A"), "m" + i, false, NOW))
                    .toList();
            long accepted = 0;
            for (Future<Decision> outcome : workers.invokeAll(votes)) {
                if (outcome.get() instanceof Decision.Accepted a) {
                    box.counted(a.ballot());
                    accepted++;
                }
            }
            assertEquals(1, accepted);
            assertEquals(1L, box.tally().get("A"));
        } finally {
            workers.shutdownNow();
        }
    }

    @Test
    void restoringCountsEachVoterOnceAndSkipsUnknownOptions() {
        assertTrue(box.restore("ana", "A", "m1"));
        assertFalse(box.restore("ana", "A", "m1"));
        assertFalse(box.restore("bia", "Z", null));
        assertEquals(Map.of("A", 1L, "B", 0L, "C", 0L), box.tally());
        assertInstanceOf(Decision.Repeated.class, box.decide(new Vote("ana", "A"), "m1", false, NOW));
    }

    @Test
    void theVersionMovesWithTheTally() {
        long before = box.version();
        box.counted(accept("ana", "A", null).ballot());
        assertTrue(box.version() > before);
    }

    private Decision.Accepted accept(String userId, String option, String messageId) {
        return assertInstanceOf(Decision.Accepted.class,
                box.decide(new Vote(userId, option), messageId, false, NOW));
    }
}
