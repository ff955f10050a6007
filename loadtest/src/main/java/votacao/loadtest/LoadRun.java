package votacao.loadtest;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import votacao.shared.BrokerSettings;
import votacao.shared.Failures;
import votacao.shared.ServerMessage;
import votacao.shared.Vote;

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
    /** How long a vote may go without the broker's confirm (or refusal) before it is sent again. */
    private static final Duration CONFIRM_PATIENCE = Duration.ofSeconds(10);

    private final LoadPlan plan;
    private final BrokerSettings broker;
    private final PrintStream out;
    private final boolean terminal;
    private final RunStats stats = new RunStats();
    private final TallyWatcher tally = new TallyWatcher();
    private final AtomicLong lastAnswerNanos = new AtomicLong();
    /** Each connection's voters that await answers: sent again when their connection recovers. */
    private final List<Queue<VirtualVoter>> votersOn = new ArrayList<>();
    /** How many times each connection came back from a loss. */
    private final List<LongAdder> recoveries = new ArrayList<>();
    private volatile long votingFromNanos;
    private boolean baselineMissing;
    private ExecutorService voting;
    private final ScheduledExecutorService watch =
            Executors.newSingleThreadScheduledExecutor(ConnectionPool.daemon("loadtest-watch"));

    private final ResultsEndpoint server;
    private final VoterCredentials credentials;

    /** @param server the server's HTTP address, to ask for its tally before the votes; null to wait for a broadcast */
    /** @param credentials signs each voter's credential (a poll in signed mode); null for none */
    public LoadRun(LoadPlan plan, BrokerSettings broker, URI server, VoterCredentials credentials, PrintStream out,
            boolean terminal) {
        this.plan = plan;
        this.credentials = credentials;
        this.server = server == null ? null : new ResultsEndpoint(server);
        this.broker = broker;
        this.out = out;
        this.terminal = terminal;
    }

    public LoadReport execute() throws IOException, TimeoutException, InterruptedException {
        long start = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        stats.started(start);
        ConnectionPool pool = ConnectionPool.open(broker, plan.connections(), plan.perConnection());
        ExecutorService setup = Executors.newFixedThreadPool(OPENERS, ConnectionPool.daemon("loadtest-setup"));
        // Voters whose channel opened before the baseline arrived start from here, not from the setup threads.
        voting = Executors.newFixedThreadPool(2, ConnectionPool.daemon("loadtest-vote"));
        List<CompletableFuture<Void>> journeys = new ArrayList<>(plan.clients());
        long channelsOpen;
        long lastAnswer;
        long verified;
        Verdict verdict;
        try {
            CompletableFuture<ServerMessage> baseline = baseline(pool);
            out.printf("Voting (run %s): %d voters on %d connections, each as soon as its channel is open…%n",
                    plan.runId(), plan.clients(), pool.size());
            try (Progress progress = new Progress(out, terminal, stats, plan.clients(), plan.legacy())) {
                List<AnswerRouter> shared = sharedRouters(pool);
                for (int c = 0; c < pool.size(); c++) {
                    Queue<VirtualVoter> voters = new ConcurrentLinkedQueue<>();
                    votersOn.add(voters);
                    LongAdder recovered = new LongAdder();
                    recoveries.add(recovered);
                    // Once its connection has come back, every voter still unanswered whose vote went out before
                    // sends it again, once: that vote may be lost (unconfirmed) and its answer surely is (it went
                    // to the answer queue that was lost). Votes sent since name the new queue.
                    pool.onRecovery(c, () -> {
                        recovered.increment();
                        long now = System.nanoTime();
                        voters.forEach(voter -> {
                            if (voter.sendAgainIfSentBefore(now)) {
                                stats.sentAgainAfterRecovery.increment();
                            }
                        });
                    });
                }
                if (!plan.legacy()) {
                    watch.scheduleWithFixedDelay(this::sendAgainTheUnconfirmed, 1, 1, TimeUnit.SECONDS);
                }
                int slices = (plan.clients() + SLICE - 1) / SLICE;
                List<List<CompletableFuture<Void>>> perSlice = Multi.createFrom().range(0, slices)
                        .onItem().transformToUni(slice -> Uni.createFrom()
                                .item(() -> openAndVote(pool, shared, slice, baseline)).runSubscriptionOn(setup))
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
            if (stats.sentAgainAfterRecovery.sum() > 0) {
                out.printf("%d votes sent again (same message_id) after their connection was lost and recovered%n",
                        stats.sentAgainAfterRecovery.sum());
            }
            if (stats.sentAgainAfterNack.sum() > 0) {
                out.printf("%d votes sent again (same message_id) after the broker refused them (nack)%n",
                        stats.sentAgainAfterNack.sum());
            }
            if (stats.sentAgainUnconfirmed.sum() > 0) {
                out.printf("%d votes sent again (same message_id) after the broker had not confirmed them for %d s%n",
                        stats.sentAgainUnconfirmed.sum(), CONFIRM_PATIENCE.toSeconds());
            }
            verdict = verify(journeys, baseline.getNow(null));
            if (verdict.unanswered() > 0) {
                describeUnanswered();
            }
            verified = System.nanoTime();
        } finally {
            setup.shutdownNow();
            voting.shutdownNow();
            watch.shutdownNow();
            pool.close();
        }
        long closed = System.nanoTime();
        LoadReport.Phases phases = new LoadReport.Phases(sinceJvmStart(startMillis), seconds(start, channelsOpen),
                seconds(start, votingFromNanos), seconds(start, lastAnswer), seconds(start, verified),
                seconds(start, closed));
        return report(pool.size(), phases, verdict);
    }

    /** Every vote the broker has left without a confirm or a refusal for {@link #CONFIRM_PATIENCE} goes again. */
    private void sendAgainTheUnconfirmed() {
        long since = System.nanoTime() - CONFIRM_PATIENCE.toNanos();
        for (Queue<VirtualVoter> voters : votersOn) {
            for (VirtualVoter voter : voters) {
                if (voter.sendAgainIfUnconfirmedSince(since)) {
                    stats.sentAgainUnconfirmed.increment();
                }
            }
        }
    }

    /** Where the unanswered votes are, connection by connection: what a lost node or a stuck queue leaves. */
    private void describeUnanswered() {
        for (int c = 0; c < votersOn.size(); c++) {
            Map<String, Long> unanswered = votersOn.get(c).stream().filter(voter -> !voter.isDone())
                    .collect(Collectors.groupingBy(VirtualVoter::progress, TreeMap::new,
                            Collectors.counting()));
            if (!unanswered.isEmpty()) {
                out.printf("Unanswered on connection %d (recovered %d times): %s%n", c, recoveries.get(c).sum(),
                        unanswered);
            }
        }
    }

    /**
     * Seconds from the JVM's start to {@code epochMillis}: the JVM's and the framework's start, before any
     * voter. Asked after the run, so that loading the management classes is not part of what it measures.
     */
    private static double sinceJvmStart(long epochMillis) {
        return Math.max(0, epochMillis - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1e3;
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

    /** The answer queue each connection's voters share (none with --subscribe, where each has its own, nor --legacy). */
    private List<AnswerRouter> sharedRouters(ConnectionPool pool) throws IOException {
        List<AnswerRouter> routers = new ArrayList<>(pool.size());
        for (int c = 0; c < pool.size(); c++) {
            routers.add(plan.subscribe() || plan.legacy() ? null : new AnswerRouter(pool.get(c), false, tally::accept));
        }
        return routers;
    }

    /** Opens the channels of one slice of voters; each voter starts its journey as soon as its channel is open. */
    private List<CompletableFuture<Void>> openAndVote(ConnectionPool pool, List<AnswerRouter> shared, int slice,
            CompletableFuture<ServerMessage> baseline) {
        try {
            int first = slice * SLICE;
            int last = Math.min(plan.clients(), first + SLICE);
            List<CompletableFuture<Void>> journeys = new ArrayList<>(last - first);
            for (int i = first; i < last; i++) {
                // In turn over the connections, as the original load generator does: each connection's
                // channel openings are handled one at a time by the broker, so a slice spread over all of
                // them opens sooner (8 % off the headline against the yardstick, 3 runs each, alternated).
                int connection = i % pool.size();
                int number = i;
                VirtualVoter voter = whileRecovering(() -> newVoter(pool.get(connection), shared.get(connection), number));
                if (!plan.legacy()) {
                    votersOn.get(connection).add(voter);
                }
                journeys.add(baseline.isDone() ? journey(voter, number)
                        : baseline.thenComposeAsync(ignored -> journey(voter, number), voting));
            }
            return journeys;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Voter {@code i} on its own channel of this connection, with its answer queue ({@code shared} or its own). */
    private VirtualVoter newVoter(Connection connection, AnswerRouter shared, int i) throws IOException {
        Channel channel = connection.createChannel();
        AnswerRouter router = plan.subscribe()
                ? new AnswerRouter(connection, channel, true, result -> stats.broadcastsReceived.increment())
                : shared;
        Vote vote = new Vote(plan.userId(i), plan.optionOf(i));
        VirtualVoter voter = new VirtualVoter(vote, credentials == null ? null : credentials.issue(vote.userId()),
                connection, channel, router == null ? null : router::queue, i < plan.duplicates(), stats);
        if (router != null) {
            router.register(voter);
        }
        return voter;
    }

    @FunctionalInterface
    private interface Setup<T> {
        T run() throws IOException;
    }

    /**
     * Runs a voter's setup; while its connection is lost (its broker node went away) tries it again until
     * the connection has recovered, within the run's timeout.
     */
    private <T> T whileRecovering(Setup<T> setup) throws IOException {
        long deadline = System.nanoTime() + plan.timeout().toNanos();
        while (true) {
            try {
                return setup.run();
            } catch (IOException | ShutdownSignalException lost) { // AlreadyClosedException is one
                if (System.nanoTime() > deadline) {
                    throw lost instanceof IOException io ? io : new IOException(lost);
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while the connection recovered", e);
                }
            }
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

    /** What the run saw: unanswered votes, and the server's tally against the expected one. */
    private record Verdict(long unanswered, Map<String, Long> expected, Map<String, Long> server, Boolean agrees,
            String tallyFrom) {
    }

    private Verdict verify(List<CompletableFuture<Void>> journeys, ServerMessage baseline) throws InterruptedException {
        long unanswered = plan.legacy() ? 0 : journeys.stream().filter(CompletableFuture::isCompletedExceptionally).count();
        if (plan.legacy()) {
            return new Verdict(0, null, null, null, null);
        }
        baselineMissing = baseline == null;
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
                overHttp ? LoadReport.TALLY_OVER_HTTP : LoadReport.TALLY_BROADCAST);
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

    private LoadReport report(int connections, LoadReport.Phases phases, Verdict seen) {
        long counted = plan.legacy() ? stats.sent.sum() : stats.answered();
        String verdict = verdict(seen.unanswered(), seen.agrees());
        double headline = Math.max(1e-9, phases.lastAnswer());
        return new LoadReport(plan.runId(), plan.legacy() ? "legacy" : plan.subscribe() ? "subscribe" : "answers",
                plan.clients(), connections, plan.clients(), stats.sent.sum(), stats.brokerConfirmed.sum(),
                stats.answeredConfirmed.sum(), stats.answeredRefused.sum(), seen.unanswered(), plan.duplicates(),
                stats.duplicatesRefused.sum(), stats.broadcastsReceived.sum(), headline, counted / headline, phases,
                LoadReport.Latency.of(stats.publishToConfirm), LoadReport.Latency.of(stats.publishToAnswer),
                stats.refusals(), seen.expected(), seen.server(), seen.agrees(), seen.tallyFrom(), verdict == null,
                verdict != null ? verdict
                        : plan.legacy() ? "every vote published" : "every vote answered and the tally agrees",
                RunStats.TIMELINE_STEP_SECONDS, stats.answerRate());
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
            return baselineMissing ? "no result came from the server within " + plan.timeout().toSeconds()
                    + " s of the start, so its tally before the run is unknown (give --server-url)"
                    : "the server's tally does not match the confirmed votes";
        }
        return null;
    }
}
