package votacao.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;

/** Counters of what happened to the votes received, for the periodic summary. */
@ApplicationScoped
public class VoteStats {

    private final LongAdder accepted = new LongAdder();
    private final LongAdder repeated = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();

    public void accepted() {
        accepted.increment();
    }

    public void repeated() {
        repeated.increment();
    }

    public void refused(String reason) {
        refused.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    public void deadLettered() {
        deadLettered.increment();
    }

    public long acceptedCount() {
        return accepted.sum();
    }

    public long repeatedCount() {
        return repeated.sum();
    }

    public long refusedCount() {
        return refused.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long deadLetteredCount() {
        return deadLettered.sum();
    }
}
