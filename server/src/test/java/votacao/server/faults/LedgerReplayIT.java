package votacao.server.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Connection;

import votacao.server.amqp.Ledger;
import votacao.server.poll.LedgerEntry;
import votacao.shared.ServerMessage;
import votacao.shared.testing.ServerProcess;
import votacao.shared.testing.VoterProbe;

/** A server starting on a ledger of a million votes rebuilds the exact tally, in bounded time. */
class LedgerReplayIT {

    private static final int VOTES = 1_000_000;
    private static final Pattern REPLAYED = Pattern.compile("(\\d+) entries replayed in (\\d+) ms; poll \\S+ resumed with (\\d+) votes");

    @Test
    void aMillionVotesAreReplayedExactly() throws Exception {
        String stream = "votacao.teste.replay." + UUID.randomUUID();
        List<String> options = List.of("A", "B", "C");
        Map<String, Long> expected = new TreeMap<>();
        try (Connection connection = VoterProbe.factory().newConnection("votacao-test-ledger-writer");
                Ledger ledger = new Ledger(connection, stream)) {
            String poll = UUID.randomUUID().toString();
            ledger.append(LedgerEntry.opening(poll, options, Instant.now().plusSeconds(600).toString()))
                    .get(30, TimeUnit.SECONDS);
            List<CompletableFuture<Void>> appends = new ArrayList<>(VOTES);
            for (int i = 0; i < VOTES; i++) {
                String option = options.get(i % 7 % 3);
                expected.merge(option, 1L, Long::sum);
                appends.add(ledger.append(LedgerEntry.vote(poll, "voter-" + i, option, "m-" + i, null)));
            }
            // A vote written twice (a retried append) still counts once.
            appends.add(ledger.append(LedgerEntry.vote(poll, "voter-0", options.get(0), "m-0", null)));
            CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
        }

        try (ServerProcess server = ServerProcess.start("replay", Map.of("VOTACAO_LEDGER_STREAM", stream));
                VoterProbe probe = new VoterProbe()) {
            Matcher replayed = REPLAYED.matcher(server.log());
            assertTrue(replayed.find(), "the server logs what it replayed");
            long millis = Long.parseLong(replayed.group(2));
            System.out.printf("Replay of %d ledger entries (%d votes): %d ms%n", Long.parseLong(replayed.group(1)),
                    VOTES, millis);
            assertEquals(VOTES, Long.parseLong(replayed.group(3)));
            ServerMessage published = probe.result(r -> ServerMessage.PARCIAL.equals(r.tipo()));
            assertEquals(expected, new TreeMap<>(published.resultado()));
            assertEquals(VOTES, published.total());
        }
    }
}
