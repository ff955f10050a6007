package votacao.loadtest;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.IntFunction;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import votacao.shared.BrokerSettings;
import votacao.shared.ServerMessage;
import votacao.shared.Vote;

/**
 * One load test: sets up the voters (not timed), lets them vote (timed from the first vote to the
 * last answer), then checks the server's published tally against the confirmations the voters got.
 */
public final class LoadRun {

    /** The server re-sends its latest result every few seconds; this waits for one before the run. */
    private static final Duration BASELINE_PATIENCE = Duration.ofSeconds(7);

    private final LoadPlan plan;
    private final BrokerSettings broker;
    private final PrintStream out;
    private final boolean terminal;
    private final RunStats stats = new RunStats();
    private final TallyWatcher tally = new TallyWatcher();
    private final AtomicLong lastAnswerNanos = new AtomicLong();

    public LoadRun(LoadPlan plan, BrokerSettings broker, PrintStream out, boolean terminal) {
        this.plan = plan;
        this.broker = broker;
        this.out = out;
        this.terminal = terminal;
    }

    public LoadReport execute() throws IOException, TimeoutException, InterruptedException {
        try (ConnectionPool pool = ConnectionPool.open(broker, plan.connections(), plan.perConnection())) {
            new AnswerRouter(pool.get(0), true, tally::accept);
            out.printf("Preparing %d virtual voters on %d connections…%n", plan.clients(), pool.size());
            List<VirtualVoter> voters = prepare(pool);
            ServerMessage baseline = plan.legacy() ? null : tally.await(result -> true, BASELINE_PATIENCE);
            out.printf("Voting (run %s)…%n", plan.runId());
            long start = System.nanoTime();
            long end;
            try (Progress progress = new Progress(out, terminal, stats, plan.clients(), plan.legacy())) {
                end = plan.legacy() ? voteLegacy(voters) : vote(voters);
            }
            double wall = Math.max(1e-9, (end - start) / 1e9);
            return report(voters, pool.size(), wall, baseline);
        }
    }

    /** Opens every voter's channel, connections in parallel. */
    private List<VirtualVoter> prepare(ConnectionPool pool) {
        ExecutorService setup = Executors.newFixedThreadPool(Math.min(pool.size(), 8));
        try {
            List<List<VirtualVoter>> perConnection = Multi.createFrom().range(0, pool.size())
                    .onItem().transformToUni(c -> Uni.createFrom().item(() -> prepareConnection(pool.get(c), c))
                            .runSubscriptionOn(setup))
                    .merge(pool.size())
                    .collect().asList()
                    .await().indefinitely();
            List<VirtualVoter> voters = new ArrayList<>(plan.clients());
            perConnection.forEach(voters::addAll);
            return voters;
        } finally {
            setup.shutdownNow();
        }
    }

    private List<VirtualVoter> prepareConnection(Connection connection, int index) {
        try {
            AnswerRouter shared = plan.subscribe() || plan.legacy() ? null
                    : new AnswerRouter(connection, false, tally::accept);
            int first = index * plan.perConnection();
            int last = Math.min(plan.clients(), first + plan.perConnection());
            List<VirtualVoter> voters = new ArrayList<>(last - first);
            for (int i = first; i < last; i++) {
                Channel channel = connection.createChannel();
                AnswerRouter router = plan.subscribe()
                        ? new AnswerRouter(channel, true, result -> stats.broadcastsReceived.increment())
                        : shared;
                Vote vote = new Vote(plan.userId(i), plan.optionOf(i));
                VirtualVoter voter = new VirtualVoter(vote, channel, router == null ? null : router.queue(),
                        i < plan.duplicates(), stats);
                if (router != null) {
                    router.register(voter);
                }
                voters.add(voter);
            }
            return voters;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All voters vote; returns when the last answer came, or when the last voter gave up waiting. */
    private long vote(List<VirtualVoter> voters) {
        awaitAll(voters.size(), i -> paced(i).onItem().transformToUni(ignored -> Uni.createFrom()
                .completionStage(() -> {
                    try {
                        return voters.get(i).vote();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .onItem().invoke(() -> lastAnswerNanos.accumulateAndGet(System.nanoTime(), Math::max))
                .ifNoItem().after(plan.timeout()).recoverWithItem((Void) null)
                .onFailure().recoverWithNull()));
        boolean allAnswered = voters.stream().allMatch(VirtualVoter::isDone);
        return allAnswered ? lastAnswerNanos.get() : System.nanoTime();
    }

    /** As the original load generator: publish and forget; timed to the last publish. */
    private long voteLegacy(List<VirtualVoter> voters) {
        awaitAll(voters.size(), i -> paced(i).invoke(() -> {
            try {
                voters.get(i).voteLegacy();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).replaceWithVoid());
        return System.nanoTime();
    }

    /**
     * Runs every voter's journey at once and waits for all of them. A join, not a merge: a merge of
     * tens of thousands of inner streams rescans them all at each completion, which cost the load
     * generator most of its CPU, taken from the broker it measures.
     */
    private static void awaitAll(int count, IntFunction<Uni<Void>> journey) {
        List<Uni<Void>> journeys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            journeys.add(journey.apply(i));
        }
        if (!journeys.isEmpty()) {
            Uni.join().all(journeys).andFailFast().await().indefinitely();
        }
    }

    /** When voter {@code i} may start: spread over --ramp-up, and no faster than --rate. */
    private Uni<Integer> paced(int i) {
        Duration delay = plan.startDelay(i);
        if (plan.rate() > 0) {
            Duration byRate = Duration.ofNanos(i * 1_000_000_000L / plan.rate());
            delay = byRate.compareTo(delay) > 0 ? byRate : delay;
        }
        Uni<Integer> start = Uni.createFrom().item(i);
        return delay.isZero() ? start : start.onItem().delayIt().by(delay);
    }

    private LoadReport report(List<VirtualVoter> voters, int connections, double wall, ServerMessage baseline)
            throws InterruptedException {
        long unanswered = plan.legacy() ? 0 : voters.stream().filter(v -> !v.isDone()).count();
        long counted = plan.legacy() ? stats.sent.sum() : stats.answered();
        Map<String, Long> expected = null;
        Map<String, Long> server = null;
        Boolean agrees = null;
        if (!plan.legacy()) {
            Map<String, Long> confirmed = stats.confirmedByOption();
            Map<String, Long> wanted = new LinkedHashMap<>();
            for (String option : plan.options()) {
                wanted.put(option, TallyWatcher.count(baseline, option) + confirmed.getOrDefault(option, 0L));
            }
            // Under a heavy broadcast (--subscribe) the next result can lag the answers by many seconds: wait
            // for it as long as for an answer. With votes unanswered the run has failed already.
            ServerMessage result = tally.await(r -> wanted.entrySet().stream()
                    .allMatch(e -> TallyWatcher.count(r, e.getKey()) == e.getValue()),
                    unanswered > 0 ? Duration.ZERO : plan.timeout());
            expected = wanted;
            server = result == null ? Map.of() : result.resultado();
            agrees = result != null && wanted.entrySet().stream()
                    .allMatch(e -> TallyWatcher.count(result, e.getKey()) == e.getValue());
        }
        String verdict = verdict(unanswered, agrees);
        return new LoadReport(plan.runId(), plan.legacy() ? "legacy" : plan.subscribe() ? "subscribe" : "answers",
                plan.clients(), connections, voters.size(), stats.sent.sum(), stats.brokerConfirmed.sum(),
                stats.answeredConfirmed.sum(), stats.answeredRefused.sum(), unanswered, plan.duplicates(),
                stats.duplicatesRefused.sum(), stats.broadcastsReceived.sum(), wall, counted / wall,
                LoadReport.Latency.of(stats.publishToConfirm), LoadReport.Latency.of(stats.publishToAnswer),
                stats.refusals(), expected, server, agrees, verdict == null,
                verdict != null ? verdict
                        : plan.legacy() ? "every vote published" : "every vote answered and the tally agrees");
    }

    /** Null when the run passed; otherwise the first reason it did not, in one line. */
    private String verdict(long unanswered, Boolean agrees) {
        if (plan.legacy()) {
            return stats.sent.sum() == plan.clients() ? null : "only " + stats.sent.sum() + " votes were published";
        }
        if (unanswered > 0) {
            return unanswered + " of " + plan.clients() + " votes got no answer within " + plan.timeout().toSeconds()
                    + " s (is the server running?)";
        }
        if (stats.answeredRefused.sum() > 0) {
            return stats.answeredRefused.sum() + " votes were refused: " + stats.refusals();
        }
        if (stats.duplicatesRefused.sum() != plan.duplicates()) {
            return "only " + stats.duplicatesRefused.sum() + " of " + plan.duplicates() + " duplicate votes were refused";
        }
        if (!Boolean.TRUE.equals(agrees)) {
            return "the server's tally does not match the confirmed votes";
        }
        return null;
    }
}
