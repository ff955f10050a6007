package votacao.server;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.rabbitmq.client.Connection;

import io.quarkus.runtime.annotations.CommandLineArguments;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import votacao.server.amqp.Baton;
import votacao.server.amqp.Ledger;
import votacao.server.amqp.LedgerFollower;
import votacao.server.amqp.LedgerReplay;
import votacao.server.amqp.ServerConnection;
import votacao.server.poll.BallotBox;
import votacao.server.poll.CredentialAudit;
import votacao.server.poll.CurrentPoll;
import votacao.server.poll.Eligibility;
import votacao.server.poll.LedgerEntry;
import votacao.server.poll.PollHistory;
import votacao.server.poll.PollSettings;
import votacao.server.poll.VoteStats;
import votacao.server.window.ResultsBroadcaster;
import votacao.shared.Failures;
import votacao.shared.Protocol;
import votacao.shared.VerifyingKey;

/**
 * Brings the server up in the only safe order: reach the broker, replay the ledger into the poll it
 * records (or open a new poll), and only then let the vote workers decide (they wait for it).
 *
 * <p>Started with the argument {@value #RECOUNT}, it only replays the ledger, prints the tally it holds
 * and exits: an audit that does not depend on a running server's memory.
 */
@ApplicationScoped
public class ServerStartup {

    private static final Logger LOG = Logger.getLogger(ServerStartup.class);
    static final String RECOUNT = "recontar";
    static final String RECOUNT_KEY = "--chave-publica";
    /**
     * How much longer than a poll's window the ledger keeps its record at least: a server may be down a while
     * after the close and must still find the poll to publish its final result.
     */
    private static final Duration MIN_RETENTION_MARGIN = Duration.ofDays(1);

    @Inject
    PollSettings settings;
    @Inject
    ServerConnection server;
    @Inject
    CurrentPoll poll;
    @Inject
    ResultsBroadcaster results;
    @Inject
    VoteStats stats;
    @Inject
    @CommandLineArguments
    String[] arguments;

    private volatile Connection connection;
    private Ledger ledger;
    private Standby standby;
    private LedgerFollower follower;
    private final AtomicBoolean stopping = new AtomicBoolean();

    void onStart(@Observes StartupEvent event) {
        try {
            connection = server.open();
        } catch (IOException | TimeoutException e) {
            LOG.errorf("Cannot reach RabbitMQ at %s (%s). Start the broker (docker compose up -d) or point the server "
                    + "at it with RABBITMQ_HOST, RABBITMQ_PORT, RABBITMQ_USERNAME, RABBITMQ_PASSWORD.", server.address(),
                    Failures.describe(e));
            ServerMain.exit(1);
            return;
        }
        boolean recount = arguments.length > 0 && RECOUNT.equals(arguments[0]);
        try {
            if (recount) {
                boolean agrees;
                try {
                    CredentialAudit credentials = credentialAudit();
                    agrees = printRecount(audit(credentials), credentials);
                } catch (IllegalArgumentException e) {
                    LOG.errorf("Cannot recount: %s", e.getMessage());
                    ServerMain.exit(2);
                    return;
                } catch (IOException e) {
                    LOG.errorf("Cannot recount the ledger %s: %s", settings.ledger().stream(), e.getMessage());
                    ServerMain.exit(1);
                    return;
                }
                ServerMain.exit(agrees ? 0 : 1);
                return;
            }
            Duration retention = settings.ledger().retencao();
            if (!retention.isZero() && retention.compareTo(settings.duracao().plus(MIN_RETENTION_MARGIN)) < 0) {
                LOG.errorf("votacao.ledger.retencao (%s) must exceed votacao.duracao (%s) by a day at least, or be 0"
                        + " (for ever): the ledger must never trim a running poll.", retention, settings.duracao());
                ServerMain.exit(1);
                return;
            }
            Eligibility eligibility;
            try {
                eligibility = EligibilityFromConfig.read(settings);
            } catch (IllegalArgumentException e) {
                LOG.errorf("Cannot start: %s", e.getMessage());
                ServerMain.exit(1);
                return;
            }
            ledger = new Ledger(connection, settings.ledger().stream(), retention, settings.replicas().orElse(null),
                    stats::ledgerBatch);
            standBy(eligibility);
        } catch (IOException | TimeoutException | ExecutionException e) {
            LOG.errorf("Cannot start the poll from ledger %s: %s", settings.ledger().stream(), Failures.describe(e));
            ServerMain.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads the ledger up to this start and follows it on; the server then waits to be chosen by the broker
     * (a delivery from votos: see CurrentPoll.takeOver) and puts its baton in the queue, which brings that
     * delivery at once when no other server holds one.
     */
    private void standBy(Eligibility eligibility)
            throws IOException, InterruptedException, ExecutionException, TimeoutException {
        standby = new Standby(this::fencedOff);
        follower = new LedgerFollower(connection, ledger.stream(), standby::read, offset ->
                LOG.warnf("Ledger %s: the message at offset %d is not a ledger entry; skipped", ledger.stream(), offset));
        ledger.append(LedgerEntry.start(standby.startMark())).get(30, TimeUnit.SECONDS);
        follower.start();
        long timeout = settings.ledger().replayTimeout().toSeconds();
        if (!standby.awaitCaughtUp(timeout, TimeUnit.SECONDS)) {
            throw new TimeoutException("the ledger replay did not reach its start mark within " + timeout + " s");
        }
        poll.standBy(() -> takeOver(eligibility));
        stats.watchRole(poll);
        Baton.put(connection, Protocol.VOTES_QUEUE, stopping);
        LOG.infof("Ledger %s: %d entries read in %d ms; standing by: this server decides once the broker hands it"
                + " the votes (at once if no other server does)", ledger.stream(), standby.entriesToStart(),
                standby.replayMillis());
    }

    /** Makes this server the one that decides: called once, on the first delivery from votos. */
    private void takeOver(Eligibility eligibility) {
        LOG.info("Taking over: the broker handed this server a delivery from votos");
        try {
            String activation = standby.newActivation();
            ledger.append(LedgerEntry.activation(activation)).get(30, TimeUnit.SECONDS);
            PollHistory history = standby.awaitActivation(settings.ledger().replayTimeout().toSeconds(), TimeUnit.SECONDS);
            follower.readOnly(Standby::mayHoldActivation);
            openPoll(history, eligibility, activation);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while taking over", e);
        } catch (Exception e) {
            // The vote goes back to the queue and the next delivery tries again.
            LOG.errorf("Cannot take over the poll: %s", Failures.describe(e));
            throw new IllegalStateException("cannot take over the poll: " + Failures.describe(e), e);
        }
        BallotBox box = poll.box();
        stats.watchTally(box);
        results.start();
        LOG.infof("Voting server ready: broker %s, poll %s, options %s, %s, %d workers, partial results every %s, %s",
                server.address(), box.pollId(), box.options(), describeWindow(box), settings.workers(),
                settings.parcial().intervalo().isZero() ? "vote" : settings.parcial().intervalo().toSeconds() + " s",
                poll.eligibility().isSigned() ? "signed credentials for poll '" + poll.eligibility().poll() + "'"
                        : "open voting");
    }

    /** Another server took over (its activation is newer than this one's): this one decides nothing more. */
    private void fencedOff(String newer) {
        poll.fence();
        LOG.errorf("Another server took over the poll (ledger activation %s): this one decides nothing more and"
                + " stops. Start it again to have a standby.", newer);
        ServerMain.exit(3);
    }

    /** What the ledger held up to this start. */
    private record Replayed(PollHistory history, long entries, long millis, List<Long> unreadable) {
    }

    /**
     * The audit of the counted votes' credentials that {@code recontar --chave-publica FILE} asks for;
     * null without that option.
     */
    private CredentialAudit credentialAudit() throws IOException {
        List<String> options = List.of(arguments).subList(1, arguments.length);
        if (options.isEmpty()) {
            return null;
        }
        if (options.size() != 2 || !RECOUNT_KEY.equals(options.get(0))) {
            throw new IllegalArgumentException("usage: recontar [" + RECOUNT_KEY + " FILE.pem]");
        }
        return new CredentialAudit(VerifyingKey.read(Path.of(options.get(1))));
    }

    /** The audit reads the ledger as it stands and writes nothing: no start mark, no declaration. */
    private Replayed audit(CredentialAudit credentials) throws IOException, InterruptedException {
        PollHistory history = new PollHistory();
        long started = System.nanoTime();
        List<Long> unreadable = new ArrayList<>();
        Consumer<LedgerEntry> sink = credentials == null ? history::apply
                : entry -> credentials.check(entry, history.apply(entry));
        long entries = new LedgerReplay(connection, settings.ledger().stream())
                .readAll(sink, unreadable::add, settings.ledger().replayTimeout().toSeconds());
        return new Replayed(history, entries, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), unreadable);
    }

    /**
     * Prints the audit; false when the final result the ledger says went out differs from the recount, or
     * (with the authority's key) a counted vote's credential does not verify.
     */
    private boolean printRecount(Replayed replayed, CredentialAudit credentials) {
        PollHistory history = replayed.history();
        BallotBox box = history.latest();
        boolean agrees = true;
        StringBuilder text = new StringBuilder("Ledger ").append(settings.ledger().stream()).append(": ")
                .append(replayed.entries()).append(" entries read in ").append(replayed.millis()).append(" ms\n");
        if (!replayed.unreadable().isEmpty()) {
            text.append("Unreadable messages skipped, at offsets: ").append(replayed.unreadable()).append('\n');
        }
        if (box == null) {
            text.append("No poll recorded.\n");
        } else {
            long total = box.tally().values().stream().mapToLong(Long::longValue).sum();
            text.append("Poll ").append(box.pollId()).append(", options ").append(box.options())
                    .append(", window closes at ").append(box.closesAt())
                    .append(replayed.history().finalPublished() ? " (final result published)" : "").append('\n')
                    .append("Voters: ").append(box.voters()).append('\n')
                    .append("Tally: ").append(box.tally()).append(" total ").append(total).append('\n');
            if (history.lateVotes() > 0) {
                text.append("Late votes left out (decided at or after the close, or written after the final): ")
                        .append(history.lateVotes()).append('\n');
            }
            if (history.publishedFinal() != null) {
                agrees = history.publishedFinal().equals(box.tally());
                text.append("Final result published: ").append(history.publishedFinal())
                        .append(agrees ? " (the recount agrees)" : " (the recount DIFFERS)").append('\n');
            }
            if (credentials != null && !credentials.signedPoll()) {
                agrees = false;
                text.append("Credentials: the poll was not run in signed mode; there is nothing to verify\n");
            } else if (credentials != null) {
                text.append("Credentials for poll '").append(credentials.pollName()).append("': ")
                        .append(credentials.verified()).append(" counted votes verified");
                if (credentials.failed().isEmpty()) {
                    text.append(", none failed\n");
                } else {
                    agrees = false;
                    text.append("; ").append(credentials.failed().size()).append(" DO NOT VERIFY: ")
                            .append(credentials.failed()).append('\n');
                }
            }
        }
        System.out.print(text);
        System.out.flush();
        return agrees;
    }

    /**
     * Takes the poll the ledger holds up to this server's activation, or opens a new one when it holds none,
     * the latest one is over, or this start asked for a new one (and no other server took over meanwhile:
     * then the poll is theirs, and resumed).
     */
    private void openPoll(PollHistory history, Eligibility eligibility, String activation)
            throws InterruptedException, ExecutionException, TimeoutException {
        long entries = standby.entriesToStart();
        long millis = standby.replayMillis();
        BallotBox box = history.latest();
        if (box == null || history.finalPublished() || settings.novaEnquete() && !standby.othersTookOver()) {
            box = newPoll();
            ledger.append(LedgerEntry.opening(box.pollId(), box.options(), box.closesAt().toString(), eligibility.poll()))
                    .get(30, TimeUnit.SECONDS);
            LOG.infof("Ledger %s: %d entries replayed in %d ms; new poll %s opened", ledger.stream(), entries, millis,
                    box.pollId());
        } else {
            LOG.infof("Ledger %s: %d entries replayed in %d ms; poll %s resumed with %d votes %s", ledger.stream(),
                    entries, millis, box.pollId(), history.votes(), box.tally());
        }
        poll.start(box, ledger, eligibility, activation);
    }

    private BallotBox newPoll() {
        Instant closesAt = Instant.now().plus(settings.duracao());
        return new BallotBox(UUID.randomUUID().toString(), settings.opcoes(), closesAt);
    }

    private static String describeWindow(BallotBox box) {
        Duration left = Duration.between(Instant.now(), box.closesAt());
        if (left.isNegative() || left.isZero()) {
            return "closed at " + box.closesAt();
        }
        return "closes at " + box.closesAt() + " (in " + left.toSeconds() + " s)";
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping.set(true);
        if (follower != null) {
            follower.close();
        }
        if (ledger != null) {
            ledger.close();
        }
        server.close();
    }
}
