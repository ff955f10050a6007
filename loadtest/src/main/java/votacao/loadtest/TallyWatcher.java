package votacao.loadtest;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import votacao.shared.ServerMessage;

/** Keeps the latest result the server broadcast, to compare the server's tally with what a run saw. */
public final class TallyWatcher {

    private final AtomicReference<ServerMessage> latest = new AtomicReference<>();

    public void accept(ServerMessage result) {
        latest.set(result);
    }

    public ServerMessage latest() {
        return latest.get();
    }

    /** Waits up to {@code patience} for a result that matches; returns the latest one either way (or null). */
    public ServerMessage await(Predicate<ServerMessage> matches, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            ServerMessage current = latest.get();
            if (current != null && matches.test(current)) {
                return current;
            }
            Thread.sleep(50);
        }
        return latest.get();
    }

    /** The count of an option in a result, 0 when absent. */
    public static long count(ServerMessage result, String option) {
        Map<String, Long> counts = result == null ? Map.of() : result.resultado();
        return counts.getOrDefault(option, 0L);
    }
}
