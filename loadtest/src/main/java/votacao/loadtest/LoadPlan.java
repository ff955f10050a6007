package votacao.loadtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one run does: how many virtual voters, how they are spread over connections, and how they
 * vote. Checked once, before anything connects.
 *
 * @param brokerConfirms whether each voter also asks the broker to confirm its vote (publisher confirms): a
 *     round trip more per voter and an acknowledgement per vote, which the server's answer makes redundant
 */
public record LoadPlan(int clients, int perConnection, int rate, Duration rampUp, boolean subscribe,
        List<String> options, List<Integer> weights, int duplicates, boolean legacy, boolean brokerConfirms,
        Duration timeout, String runId) {

    public LoadPlan {
        if (clients < 1) {
            throw new IllegalArgumentException("--clients must be at least 1");
        }
        if (perConnection < 1 || perConnection > 2047) {
            throw new IllegalArgumentException("--per-connection must be between 1 and 2047 (AMQP's channel limit)");
        }
        if (rate < 0) {
            throw new IllegalArgumentException("--rate must be 0 (no limit) or more");
        }
        if (options.isEmpty()) {
            throw new IllegalArgumentException("--options needs at least one option");
        }
        if (!weights.isEmpty() && weights.size() != options.size()) {
            throw new IllegalArgumentException("--weights needs one weight per option (" + options.size() + ")");
        }
        if (weights.stream().anyMatch(w -> w < 0) || (!weights.isEmpty() && weights.stream().mapToInt(w -> w).sum() == 0)) {
            throw new IllegalArgumentException("--weights must be non-negative and not all zero");
        }
        if (duplicates < 0 || duplicates > clients) {
            throw new IllegalArgumentException("--duplicates must be between 0 and --clients");
        }
        if (legacy && (duplicates > 0 || subscribe)) {
            throw new IllegalArgumentException("--legacy awaits no answers: it cannot check --duplicates or --subscribe");
        }
        if (legacy && brokerConfirms) {
            throw new IllegalArgumentException("--legacy sends bare votes: it cannot ask for --broker-confirms");
        }
        options = List.copyOf(options);
        weights = List.copyOf(weights);
    }

    public int connections() {
        return (clients + perConnection - 1) / perConnection;
    }

    /** The user id of virtual voter {@code index}: unique to this run, so runs never collide. */
    public String userId(int index) {
        return runId + "-" + index;
    }

    /** The option voter {@code index} picks: the weights, dealt out in a fixed order (no randomness). */
    public String optionOf(int index) {
        if (weights.isEmpty()) {
            return options.get(index % options.size());
        }
        int total = weights.stream().mapToInt(Integer::intValue).sum();
        int slot = index % total;
        for (int i = 0; i < options.size(); i++) {
            slot -= weights.get(i);
            if (slot < 0) {
                return options.get(i);
            }
        }
        return options.get(options.size() - 1);
    }

    /** How long after the start voter {@code index} begins, to spread the start over --ramp-up. */
    public Duration startDelay(int index) {
        if (rampUp.isZero() || clients == 1) {
            return Duration.ZERO;
        }
        return rampUp.multipliedBy(index).dividedBy(clients);
    }

    public static List<Integer> parseWeights(String text) {
        List<Integer> weights = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return weights;
        }
        for (String part : text.split(",")) {
            try {
                weights.add(Integer.parseInt(part.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--weights takes whole numbers, e.g. 50,30,20 (got '" + part + "')");
            }
        }
        return weights;
    }
}
