package votacao.loadtest;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import votacao.shared.BrokerSettings;
import votacao.shared.Failures;
import votacao.shared.PollExchanges;
import votacao.shared.ServerMessage;

/**
 * One load test, timed as the user waits for it: from the first connection to the last answer. Each
 * connection opens its voters' channels one after another, all connections at once, and each voter
 * votes as soon as its channel is open (once the server's current tally is known, to check against at
 * the end). Then the server's published tally is compared with the confirmations the voters got, and
 * the connections are closed. Each phase's end is reported, so nothing hides outside the headline.
 */
public final class LoadRun {

    /**
     * Voters whose channels one thread opens, one after another (each open is a round trip to the broker).
     * Slices of every connection open at once: the client opens channels of one connection concurrently.
     */
    private static final int SLICE = 100;
    private static final int OPENERS = 64;

    private final LoadPlan plan;
    private final BrokerSettings broker;
    private final PrintStream out;
    private final boolean terminal;
    private final RunStats stats = new RunStats();
    private final TallyWatcher tally = new TallyWatcher();
    private final AtomicLong lastAnswerNanos = new AtomicLong();
    /** Each connection's voters that await answers, sent again after a loss; set once the connections are open. */
    private VoterRecovery recovery;
    private volatile long votingFromNanos;
    private ExecutorService voting;
    private final ScheduledExecutorService watch =
            Executors.newSingleThreadScheduledExecutor(ConnectionPool.daemon("loadtest-watch"));

    private final ResultsEndpoint server;
    private final TallyCheck check;
    private final VoterCredentials credentials;

    /**
     * @param server the server's HTTP address, to ask for its tally before the votes; null to wait for a broadcast
     * @param credentials signs each voter's credential (a poll in signed mode); null for none
     */
    public LoadRun(LoadPlan plan, BrokerSettings broker, URI server, VoterCredentials credentials, PrintStream out,
            boolean terminal) {
        this.plan = plan;
        this.credentials = credentials;
        this.server = server == null ? null : new ResultsEndpoint(server);
        this.check = new TallyCheck(plan, stats, tally, this.server);
        this.broker = broker;
        this.out = out;
        this.terminal = terminal;
    }

    public LoadReport execute() throws IOException, TimeoutException, InterruptedException {
        long start = System.nanoTime();
        double startedSeconds = ProcessAge.seconds();
        OptionalLong residentAtStart = ResidentMemory.bytes(ResidentMemory.NOW);
        stats.started(start);
        ConnectionPool pool = ConnectionPool.open(broker, plan.connections(), plan.perConnection());
        ExecutorService setup = Executors.newFixedThreadPool(OPENERS, ConnectionPool.daemon("loadtest-setup"));
        // Voters whose channel opened before the baseline arrived start from here, not from the setup threads.
        voting = Executors.newFixedThreadPool(2, ConnectionPool.daemon("loadtest-vote"));
        List<CompletableFuture<Void>> journeys = new ArrayList<>(plan.clients());
        long channelsOpen;
        long lastAnswer;
        long verified;
        TallyCheck.Verdict verdict;
        try {
            PollExchanges.declareOrCheck(pool.get(0));
            CompletableFuture<ServerMessage> baseline = baseline(pool);
            out.printf("Voting (run %s): %d voters on %d connections, each as soon as its channel is open…%n",
                    plan.runId(), plan.clients(), pool.size());
            try (Progress progress = new Progress(out, terminal, stats, plan.clients(), plan.legacy())) {
                VoterFactory voters = new VoterFactory(plan, pool, credentials, stats, tally::accept);
                recovery = new VoterRecovery(pool, stats, plan.brokerConfirms());
                if (!plan.legacy()) {
                    watch.scheduleWithFixedDelay(recovery::sendAgainTheLost, 1, 1, TimeUnit.SECONDS);
                }
                int slices = (plan.clients() + SLICE - 1) / SLICE;
                List<List<CompletableFuture<Void>>> perSlice = Multi.createFrom().range(0, slices)
                        .onItem().transformToUni(slice -> Uni.createFrom()
                                .item(() -> openAndVote(voters, slice, baseline)).runSubscriptionOn(setup))
                        .merge(OPENERS)
                        .collect().asList()
                        .await().indefinitely();
                channelsOpen = System.nanoTime();
                perSlice.forEach(journeys::addAll);
                Uni.join().all(journeys.stream().map(j -> Uni.createFrom().completionStage(j)).toList())
                        .andCollectFailures().onFailure().recoverWithNull().await().indefinitely();
                boolean allAnswered = journeys.stream().noneMatch(CompletableFuture::isCompletedExceptionally);
                lastAnswer = allAnswered && lastAnswerNanos.get() > 0 ? lastAnswerNanos.get() : System.nanoTime();
            }
            recovery.printResends(out);
            long unanswered = plan.legacy() ? 0
                    : journeys.stream().filter(CompletableFuture::isCompletedExceptionally).count();
            verdict = check.verify(unanswered, baseline.getNow(null));
            if (verdict.unanswered() > 0) {
                recovery.printUnanswered(out);
            }
            verified = System.nanoTime();
        } finally {
            setup.shutdownNow();
            voting.shutdownNow();
            watch.shutdownNow();
            pool.close();
        }
        long closed = System.nanoTime();
        LoadReport.Phases phases = new LoadReport.Phases(startedSeconds, seconds(start, channelsOpen),
                seconds(start, votingFromNanos), seconds(start, lastAnswer), seconds(start, verified),
                seconds(start, closed));
        return report(pool.size(), phases, verdict, ResidentMemory.since(residentAtStart, plan.clients()));
    }

    private static double seconds(long from, long to) {
        return Math.max(0, to - from) / 1e9;
    }

    /**
     * The tally before this run's votes: asked of the server over HTTP when its address is known, else
     * the first result it broadcasts once the run listens (it re-sends its latest every few seconds).
     * The channels open meanwhile; the votes wait for it.
     */
    private CompletableFuture<ServerMessage> baseline(ConnectionPool pool) throws IOException {
        if (plan.legacy()) {
            votingFromNanos = System.nanoTime();
            return CompletableFuture.completedFuture(null);
        }
        // Follows the broadcast before any voter's queue (--subscribe) binds to it.
        new AnswerRouter(pool.get(0), true, tally::accept);
        if (server != null) {
            try {
                ServerMessage now = server.current();
                votingFromNanos = System.nanoTime();
                return CompletableFuture.completedFuture(now);
            } catch (IOException e) {
                out.printf("Cannot ask %s for the tally (%s); waiting for the next broadcast instead%n", server,
                        Failures.rootCause(e));
            }
        }
        // As long as a voter waits for its answer: under a large audience (--subscribe) the server paces its
        // broadcasts, and the first one may take tens of seconds; the votes wait for it either way.
        return tally.next(result -> true)
                .completeOnTimeout(null, plan.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((result, failure) -> votingFromNanos = System.nanoTime());
    }

    /** Opens the channels of one slice of voters; each voter starts its journey as soon as its channel is open. */
    private List<CompletableFuture<Void>> openAndVote(VoterFactory voters, int slice,
            CompletableFuture<ServerMessage> baseline) {
        try {
            int first = slice * SLICE;
            int last = Math.min(plan.clients(), first + SLICE);
            List<CompletableFuture<Void>> journeys = new ArrayList<>(last - first);
            for (int i = first; i < last; i++) {
                int number = i;
                VirtualVoter voter = voters.open(i);
                if (!plan.legacy()) {
                    recovery.track(voters.connectionOf(i), voter);
                }
                journeys.add(baseline.isDone() ? journey(voter, number)
                        : baseline.thenComposeAsync(ignored -> journey(voter, number), voting));
            }
            return journeys;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One voter: waits for its turn (--rate, --ramp-up), votes, and completes with its last answer. */
    private CompletableFuture<Void> journey(VirtualVoter voter, int index) {
        long wait = votingFromNanos + delay(index).toNanos() - System.nanoTime();
        if (wait > 0) {
            return CompletableFuture.runAsync(() -> {
            }, CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS)).thenCompose(ready -> cast(voter));
        }
        return cast(voter);
    }

    private CompletableFuture<Void> cast(VirtualVoter voter) {
        try {
            if (plan.legacy()) {
                voter.voteLegacy();
                lastAnswerNanos.accumulateAndGet(System.nanoTime(), Math::max);
                return CompletableFuture.completedFuture(null);
            }
            return voter.vote().orTimeout(plan.timeout().toMillis(), TimeUnit.MILLISECONDS)
                    .thenRun(() -> lastAnswerNanos.accumulateAndGet(System.nanoTime(), Math::max));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** When voter {@code i} may start, counted from the start of the voting: spread over --ramp-up, no faster than --rate. */
    private Duration delay(int i) {
        Duration delay = plan.startDelay(i);
        if (plan.rate() > 0) {
            Duration byRate = Duration.ofNanos(i * 1_000_000_000L / plan.rate());
            delay = byRate.compareTo(delay) > 0 ? byRate : delay;
        }
        return delay;
    }

    private LoadReport report(int connections, LoadReport.Phases phases, TallyCheck.Verdict seen,
            LoadReport.Memory memory) {
        long counted = plan.legacy() ? stats.sent.sum() : stats.answered();
        String verdict = check.failure(seen);
        double headline = Math.max(1e-9, phases.lastAnswer());
        return new LoadReport(plan.runId(), plan.legacy() ? "legacy" : plan.subscribe() ? "subscribe" : "answers",
                plan.clients(), connections, plan.clients(), stats.sent.sum(),
                plan.brokerConfirms() ? stats.brokerConfirmed.sum() : null,
                stats.answeredConfirmed.sum(), stats.answeredRefused.sum(), seen.unanswered(), plan.duplicates(),
                stats.duplicatesRefused.sum(), stats.broadcastsReceived.sum(), headline, counted / headline, phases,
                plan.brokerConfirms() ? LoadReport.Latency.of(stats.publishToConfirm) : null,
                LoadReport.Latency.of(stats.publishToAnswer),
                stats.refusals(), seen.expected(), seen.server(), seen.agrees(), seen.tallyFrom(), verdict == null,
                verdict != null ? verdict
                        : plan.legacy() ? "every vote published" : "every vote answered and the tally agrees",
                RunStats.TIMELINE_STEP_SECONDS, stats.answerRate(), memory);
    }
}
