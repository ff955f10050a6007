package votacao.loadtest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import votacao.shared.ServerMessage;

/**
 * Keeps the latest result the server broadcast, and completes the futures of whoever waits for a
 * result of some kind (the first one, the one that holds the run's votes) as soon as it arrives.
 */
public final class TallyWatcher {

    private record Waiter(Predicate<ServerMessage> matches, CompletableFuture<ServerMessage> result) {
    }

    private final AtomicReference<ServerMessage> latest = new AtomicReference<>();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

    public void accept(ServerMessage result) {
        latest.set(result);
        for (Waiter waiter : waiters) {
            if (waiter.matches().test(result) && waiter.result().complete(result)) {
                waiters.remove(waiter);
            }
        }
    }

    public ServerMessage latest() {
        return latest.get();
    }

    /** Completes with the first result from now on that matches (or the latest, if it matches already). */
    public CompletableFuture<ServerMessage> next(Predicate<ServerMessage> matches) {
        Waiter waiter = new Waiter(matches, new CompletableFuture<>());
        waiters.add(waiter);
        ServerMessage current = latest.get();
        if (current != null && matches.test(current) && waiter.result().complete(current)) {
            waiters.remove(waiter);
        }
        return waiter.result();
    }

    /** Waits up to {@code patience} for a result that matches; returns the latest one either way (or null). */
    public ServerMessage await(Predicate<ServerMessage> matches, Duration patience) throws InterruptedException {
        CompletableFuture<ServerMessage> found = next(matches);
        try {
            return found.get(patience.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return latest.get();
        } finally {
            waiters.removeIf(waiter -> waiter.result() == found);
        }
    }

    /** The count of an option in a result, 0 when absent. */
    public static long count(ServerMessage result, String option) {
        Map<String, Long> counts = result == null ? Map.of() : result.resultado();
        return counts.getOrDefault(option, 0L);
    }
}
