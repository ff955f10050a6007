package votacao.loadtest;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

import votacao.shared.ServerMessage;

/**
 * Whether a run passed: every vote answered, and the server's tally equal to its tally before the run
 * (the baseline) plus the votes the voters saw confirmed; if not, the first reason why, in one line.
 */
final class TallyCheck {

    private final LoadPlan plan;
    private final RunStats stats;
    private final TallyWatcher tally;
    private final ResultsEndpoint server;

    /** @param server where to ask the server's tally over HTTP; null to await its next broadcast */
    TallyCheck(LoadPlan plan, RunStats stats, TallyWatcher tally, ResultsEndpoint server) {
        this.plan = plan;
        this.stats = stats;
        this.tally = tally;
        this.server = server;
    }

    /** What the run saw: unanswered votes, the expected tally, and the server's. */
    record Verdict(long unanswered, Map<String, Long> expected, Map<String, Long> server, Boolean agrees,
            String tallyFrom, boolean baselineMissing) {
    }

    /** @param baseline the server's result before the run's votes; null if none came (the run fails) */
    Verdict verify(long unanswered, ServerMessage baseline) throws InterruptedException {
        if (plan.legacy()) {
            return new Verdict(0, null, null, null, null, false);
        }
        boolean baselineMissing = baseline == null;
        Map<String, Long> confirmed = stats.confirmedByOption();
        Map<String, Long> wanted = new LinkedHashMap<>();
        for (String option : plan.options()) {
            wanted.put(option, TallyWatcher.count(baseline, option) + confirmed.getOrDefault(option, 0L));
        }
        Predicate<ServerMessage> holdsTheRun = r -> wanted.entrySet().stream()
                .allMatch(e -> TallyWatcher.count(r, e.getKey()) == e.getValue());
        // With votes unanswered, or no tally to start from, the run has failed already: no waiting.
        boolean failedAlready = unanswered > 0 || baselineMissing;
        // The server counts a vote before it answers it: its tally now, when it can be asked, holds every
        // vote answered, without waiting for the next broadcast (paced at a second or more).
        ServerMessage asked = failedAlready ? null : askServer();
        boolean overHttp = asked != null && holdsTheRun.test(asked);
        // Under a heavy broadcast (--subscribe) the next result can lag the answers by many seconds: wait
        // for it as long as for an answer.
        ServerMessage result = overHttp ? asked
                : tally.await(holdsTheRun, failedAlready ? Duration.ZERO : plan.timeout());
        boolean agrees = result != null && holdsTheRun.test(result);
        return new Verdict(unanswered, wanted, result == null ? Map.of() : result.resultado(), agrees,
                overHttp ? LoadReport.TALLY_OVER_HTTP : LoadReport.TALLY_BROADCAST, baselineMissing);
    }

    /** The server's tally now over HTTP, or null when its address is unknown or it cannot be asked. */
    private ServerMessage askServer() {
        if (server == null) {
            return null;
        }
        try {
            return server.current();
        } catch (IOException e) {
            return null;
        }
    }

    /** Null when the run passed; otherwise the first reason it did not, in one line. */
    String failure(Verdict seen) {
        if (plan.legacy()) {
            return stats.sent.sum() == plan.clients() ? null : "only " + stats.sent.sum() + " votes were published";
        }
        if (seen.unanswered() > 0) {
            return seen.unanswered() + " of " + plan.clients() + " votes got no answer within "
                    + plan.timeout().toSeconds() + " s (is the server running?)";
        }
        if (stats.answeredRefused.sum() > 0) {
            return stats.answeredRefused.sum() + " votes were refused: " + stats.refusals();
        }
        if (stats.duplicatesRefused.sum() != plan.duplicates()) {
            return "only " + stats.duplicatesRefused.sum() + " of " + plan.duplicates() + " duplicate votes were refused";
        }
        if (!Boolean.TRUE.equals(seen.agrees())) {
            return seen.baselineMissing() ? "no result came from the server within " + plan.timeout().toSeconds()
                    + " s of the start, so its tally before the run is unknown (give --server-url)"
                    : "the server's tally does not match the confirmed votes";
        }
        return null;
    }
}
