package votacao.server.poll;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import votacao.shared.Protocol;
import votacao.shared.Texts;

/**
 * What happened to the votes, as Micrometer meters: the operator scrapes them at {@code /q/metrics}
 * and the periodic summary reads the same counters, so the two never disagree.
 */
@ApplicationScoped
public class VoteStats {

    /** Short, stable label values for the refusal texts that travel on the wire. */
    private static final Map<String, String> REFUSAL_REASONS = Map.of(
            Texts.ALREADY_VOTED, "ja_votou",
            Texts.INVALID_OPTION, "opcao_invalida",
            Texts.POLL_CLOSED, "encerrada",
            Texts.INVALID_VOTER, "eleitor_invalido",
            Texts.INVALID_CREDENTIAL, "credencial_invalida");

    @Inject
    MeterRegistry registry;

    private Counter accepted;
    private Counter repeated;
    private Counter deadLettered;
    private Counter replyToIgnored;
    private Timer processing;
    private Timer ledgerAppend;
    private DistributionSummary ledgerBatch;
    private DistributionSummary ackBatch;
    private Timer broadcastConfirm;
    private Counter broadcastsDeferred;
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();
    private final Map<String, Counter> broadcasts = new ConcurrentHashMap<>();

    @PostConstruct
    void register() {
        accepted = Counter.builder("votacao.votes.accepted").description("Votes counted").register(registry);
        repeated = Counter.builder("votacao.votes.repeated")
                .description("Votes seen again (retries, redeliveries), confirmed again and not counted")
                .register(registry);
        deadLettered = Counter.builder("votacao.votes.dead.lettered")
                .description("Unreadable votes set aside in " + Protocol.DEAD_LETTER_QUEUE)
                .register(registry);
        replyToIgnored = Counter.builder("votacao.answers.reply.to.ignored")
                .description("Answers sent on the broadcast because the vote's reply_to named a queue the voter cannot own")
                .register(registry);
        for (String reason : REFUSAL_REASONS.values()) {
            refusedCounter(reason);
        }
        processing = latency("votacao.vote.processing",
                "From taking a vote off the queue to its answer sent and the vote acknowledged");
        ledgerAppend = latency("votacao.ledger.append", "From publishing a batch of ledger entries to the broker's confirm");
        ledgerBatch = DistributionSummary.builder("votacao.ledger.batch.entries")
                .description("Entries per ledger append (group commit)").baseUnit("entries")
                .serviceLevelObjectives(1, 10, 50, 100, 250, 500, 1000).register(registry);
        ackBatch = DistributionSummary.builder("votacao.ack.batch.votes")
                .description("Votes settled per acknowledgement sent to votos (1: acknowledged alone)").baseUnit("votes")
                .serviceLevelObjectives(1, 10, 50, 100, 250, 500, 1000).register(registry);
        broadcastConfirm = latency("votacao.broadcast.confirm",
                "From publishing a result on the fanout to the broker's confirm (every subscriber has it)");
        broadcastsDeferred = Counter.builder("votacao.broadcasts.deferred")
                .description("Results not sent on their tick because the previous one was not yet confirmed")
                .register(registry);
    }

    private Timer latency(String name, String description) {
        return Timer.builder(name).description(description).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
    }

    /** 1 while this server decides the votes, 0 while it stands by (or was taken over from). */
    public void watchRole(CurrentPoll poll) {
        Gauge.builder("votacao.server.active", poll, p -> p.role() == CurrentPoll.Role.ACTIVE ? 1 : 0)
                .description("1 on the server that decides the votes, 0 on a standby").register(registry);
    }

    /** One gauge per option of the running poll, read from the ballot box at each scrape. */
    public void watchTally(BallotBox box) {
        for (String option : box.options()) {
            Gauge.builder("votacao.tally", box, b -> b.count(option)).tag("opcao", option)
                    .description("Votes counted per option in the running poll").register(registry);
        }
    }

    public void accepted() {
        accepted.increment();
    }

    public void repeated() {
        repeated.increment();
    }

    public void refused(String reason) {
        refusedCounter(REFUSAL_REASONS.getOrDefault(reason, "outro")).increment();
    }

    public void replyToIgnored() {
        replyToIgnored.increment();
    }

    public void deadLettered() {
        deadLettered.increment();
    }

    public void broadcastSent(String tipo) {
        broadcasts.computeIfAbsent(tipo, t -> Counter.builder("votacao.broadcasts.sent").tag("tipo", t)
                .description("Messages confirmed on the votacao.broadcast fanout").register(registry)).increment();
    }

    public Timer processing() {
        return processing;
    }

    /** One ledger append of {@code entries} entries, confirmed after {@code nanos}. */
    public void ledgerBatch(int entries, long nanos) {
        ledgerBatch.record(entries);
        ledgerAppend.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One acknowledgement sent to votos, settling {@code votes} deliveries. */
    public void acknowledged(int votes) {
        ackBatch.record(votes);
    }

    public void broadcastConfirmed(long nanos) {
        broadcastConfirm.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void broadcastDeferred() {
        broadcastsDeferred.increment();
    }

    public long acceptedCount() {
        return (long) accepted.count();
    }

    public long repeatedCount() {
        return (long) repeated.count();
    }

    public long refusedCount() {
        return (long) refused.values().stream().mapToDouble(Counter::count).sum();
    }

    public long deadLetteredCount() {
        return (long) deadLettered.count();
    }

    private Counter refusedCounter(String reason) {
        return refused.computeIfAbsent(reason, r -> Counter.builder("votacao.votes.refused").tag("motivo", r)
                .description("Votes refused, by reason").register(registry));
    }
}
