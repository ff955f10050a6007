package votacao.server.faults;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Connection;

import votacao.server.amqp.Ledger;
import votacao.server.poll.LedgerEntry;
import votacao.server.amqp.LedgerReplay;
import votacao.server.poll.PollHistory;
import votacao.shared.testing.VoterProbe;

/** Reads a ledger stream the way a starting server does, to check what it holds. */
public final class LedgerAudit {

    private LedgerAudit() {
    }

    public static PollHistory read(String stream) throws Exception {
        try (Connection connection = VoterProbe.factory().newConnection("votacao-test-audit");
                Ledger ledger = new Ledger(connection, stream)) {
            String mark = "audit-" + UUID.randomUUID();
            ledger.append(LedgerEntry.start(mark)).get(30, TimeUnit.SECONDS);
            PollHistory history = new PollHistory();
            new LedgerReplay(connection, stream).readUpTo(mark, history::apply, offset -> {
            }, 120);
            return history;
        }
    }

    public static Map<String, Long> tally(String stream) throws Exception {
        return new java.util.TreeMap<>(read(stream).latest().tally());
    }

    /**
     * The options each voter's raw vote entries name, entry by entry, read without the replay's rules:
     * a vote written twice differently shows as two different options.
     */
    public static Map<String, java.util.List<String>> rawVotes(String stream) throws Exception {
        Map<String, java.util.List<String>> votes = new java.util.concurrent.ConcurrentHashMap<>();
        try (Connection connection = VoterProbe.factory().newConnection("votacao-test-audit")) {
            new LedgerReplay(connection, stream).readAll(entry -> {
                if (LedgerEntry.VOTE.equals(entry.tipo())) {
                    votes.computeIfAbsent(entry.userId(), user -> new java.util.ArrayList<>()).add(entry.opcao());
                }
            }, offset -> {
            }, 120);
        }
        return votes;
    }
}
