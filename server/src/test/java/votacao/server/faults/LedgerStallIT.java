package votacao.server.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import votacao.shared.ServerMessage;
import votacao.shared.testing.ServerProcess;
import votacao.shared.testing.TestBroker;
import votacao.shared.testing.VoteDriver;
import votacao.shared.testing.VoterProbe;

/**
 * The ledger takes no append for longer than any timeout (a memory alarm blocks every publisher for
 * 75 s) while votes are decided, and the window closes meanwhile. An append is never given up on while
 * the server runs: once the broker takes messages again, every vote decided before the close is
 * written and confirmed, the final counts exactly those, and no voter told "Votação encerrada" (or any
 * other refusal) has a vote in the ledger. A server that gave up on stalled appends would redeliver
 * their votes after the close, refuse them, and still find the abandoned appends written.
 */
class LedgerStallIT {

    private static final List<String> OPTIONS = List.of("A", "B", "C");
    /** A backlog of several seconds even on a fast machine (17,876 of 20,000 were recorded once before the stall held). */
    private static final int VOTERS = 40_000;
    private static final int STALL_SECONDS = 75;

    @Test
    void aStalledLedgerIsWaitedForNeverGivenUp() throws Exception {
        try (ServerProcess server = ServerProcess.start("ledger-stall", Map.of("VOTACAO_DURACAO", "30s"));
                VoteDriver voters = new VoteDriver("ledgerstall", VOTERS, OPTIONS)) {
            Instant closesAt;
            try (VoterProbe probe = new VoterProbe()) {
                closesAt = Instant.parse(probe.result(r -> r.encerraEm() != null).encerraEm());
            }
            // A backlog that the restarted server (same poll) works through for several seconds, so that the
            // stall, which the command line takes a moment to raise, finds appends queued and in flight.
            server.stop();
            assertTrue(voters.sendUnanswered(), "the broker took the votes");
            server.startAgain();
            try {
                assertEquals(0, TestBroker.rabbitmqctl("set_vm_memory_high_watermark", "0.000001"));
                Thread.sleep(2000); // what was in flight when the alarm rose is stuck now
                double recorded = acceptedSoFar(server);
                System.out.printf("Ledger stalled with %.0f of %d votes recorded%n", recorded, VOTERS);
                assertTrue(recorded < VOTERS, "the stall came while votes were being recorded");
                Thread.sleep(STALL_SECONDS * 1000L);
                assertTrue(Instant.now().isAfter(closesAt), "the window closed during the stall");
            } finally {
                assertEquals(0, TestBroker.rabbitmqctl("set_vm_memory_high_watermark", "0.4"));
            }
            assertTrue(voters.awaitAllAnswered(Duration.ofSeconds(180)), voters.answered() + " answered");
            Map<String, Long> confirmed = voters.expectedTally(OPTIONS);
            assertTrue(confirmed.values().stream().mapToLong(Long::longValue).sum() > 0, "some votes counted");

            try (VoterProbe probe = new VoterProbe()) {
                ServerMessage result = probe.result(r -> ServerMessage.FINAL.equals(r.tipo()));
                assertEquals(confirmed, new TreeMap<>(result.resultado()), "refusals: " + voters.refusals());
            }
            server.stop();
            assertTrue(server.recount().contains("(the recount agrees)"));
            Map<String, List<String>> written = LedgerAudit.rawVotes(server.ledgerStream());
            Set<String> told = voters.confirmed();
            written.keySet().forEach(voter -> assertTrue(told.contains(voter),
                    () -> voter + " is in the ledger but was told " + voters.refusals()));
            written.forEach((voter, options) -> assertEquals(1, options.stream().distinct().count(),
                    voter + " has votes for " + options));
        }
    }

    /** The server's count of votes whose append the broker confirmed. */
    private static double acceptedSoFar(ServerProcess server) throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.http("/q/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return metrics.body().lines().filter(line -> line.startsWith("votacao_votes_accepted_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
