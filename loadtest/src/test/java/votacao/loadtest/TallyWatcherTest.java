package votacao.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import votacao.shared.ServerMessage;

class TallyWatcherTest {

    private static final Instant CLOSES = Instant.parse("2026-01-01T10:00:00Z");
    private final TallyWatcher watcher = new TallyWatcher();

    @Test
    void aWaiterIsCompletedByTheFirstMatchingResultAndNotBefore() {
        CompletableFuture<ServerMessage> fifty = watcher.next(result -> result.total() >= 50);
        watcher.accept(partial(10));
        assertFalse(fifty.isDone());
        ServerMessage enough = partial(50);
        watcher.accept(enough);
        assertSame(enough, fifty.getNow(null));
    }

    @Test
    void aResultAlreadyThereSatisfiesAWaiterAtOnce() throws Exception {
        ServerMessage latest = partial(7);
        watcher.accept(latest);
        assertTrue(watcher.next(result -> true).isDone());
        assertSame(latest, watcher.await(result -> result.total() == 7, Duration.ZERO));
    }

    @Test
    void awaitGivesTheLatestResultWhenNoneMatchesInTime() throws Exception {
        watcher.accept(partial(3));
        assertEquals(3, watcher.await(result -> result.total() == 99, Duration.ofMillis(50)).total());
    }

    private static ServerMessage partial(long votesForA) {
        return ServerMessage.partial(Map.of("A", votesForA), CLOSES);
    }
}
