package votacao.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import com.rabbitmq.client.Connection;

import votacao.server.amqp.LedgerReplay;
import votacao.server.poll.BallotBox;
import votacao.server.poll.CredentialAudit;
import votacao.server.poll.LedgerEntry;
import votacao.server.poll.PollHistory;
import votacao.server.poll.PollSettings;
import votacao.shared.VerifyingKey;

/**
 * {@code recontar}: replays the ledger, prints the tally it holds and whether it agrees with the final
 * result that went out (and, given the authority's key, whether every counted credential verifies). An
 * audit that does not depend on a running server's memory.
 */
final class Recount {

    private static final Logger LOG = Logger.getLogger(Recount.class);
    static final String RECOUNT_KEY = "--chave-publica";

    private final Connection connection;
    private final PollSettings.Ledger ledger;

    Recount(Connection connection, PollSettings.Ledger ledger) {
        this.connection = connection;
        this.ledger = ledger;
    }

    /**
     * Recounts and prints, and says how the program ends: 0 when the recount agrees, 1 when it differs or
     * the ledger cannot be read, 2 for options it does not take (each failure said in one line).
     */
    int exitCode(List<String> options) throws InterruptedException {
        try {
            return run(options) ? 0 : 1;
        } catch (IllegalArgumentException e) {
            LOG.errorf("Cannot recount: %s", e.getMessage());
            return 2;
        } catch (IOException e) {
            LOG.errorf("Cannot recount the ledger %s: %s", ledger.stream(), e.getMessage());
            return 1;
        }
    }

    /**
     * Recounts and prints; false when the recount differs from the published final or a credential fails.
     *
     * @param options what followed {@code recontar} on the command line
     * @throws IllegalArgumentException for options that are not {@code [--chave-publica FILE.pem]}
     */
    boolean run(List<String> options) throws IOException, InterruptedException {
        CredentialAudit credentials = credentialAudit(options);
        return printRecount(read(credentials), credentials);
    }

    /** What the ledger holds, read as it stands. */
    private record Replayed(PollHistory history, long entries, long millis, List<Long> unreadable) {
    }

    /**
     * The audit of the counted votes' credentials that {@code recontar --chave-publica FILE} asks for;
     * null without that option.
     */
    private static CredentialAudit credentialAudit(List<String> options) throws IOException {
        if (options.isEmpty()) {
            return null;
        }
        if (options.size() != 2 || !RECOUNT_KEY.equals(options.get(0))) {
            throw new IllegalArgumentException("usage: recontar [" + RECOUNT_KEY + " FILE.pem]");
        }
        return new CredentialAudit(VerifyingKey.read(Path.of(options.get(1))));
    }

    /** The audit reads the ledger as it stands and writes nothing: no start mark, no declaration. */
    private Replayed read(CredentialAudit credentials) throws IOException, InterruptedException {
        PollHistory history = new PollHistory();
        long started = System.nanoTime();
        List<Long> unreadable = new ArrayList<>();
        Consumer<LedgerEntry> sink = credentials == null ? history::apply
                : entry -> credentials.check(entry, history.apply(entry));
        long entries = new LedgerReplay(connection, ledger.stream())
                .readAll(sink, unreadable::add, ledger.replayTimeout().toSeconds());
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
        StringBuilder text = new StringBuilder("Ledger ").append(ledger.stream()).append(": ")
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

}
