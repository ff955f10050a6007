package votacao.server.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

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
    private static final int STALL_SECONDS = 75;

    @Test
    void aStalledLedgerIsWaitedForNeverGivenUp() throws Exception {
        try (ServerProcess server = ServerProcess.start("ledger-stall", Map.of("VOTACAO_DURACAO", "30s"));
                VoteDriver voters = new VoteDriver("ledgerstall", 16000, OPTIONS)) {
            Instant closesAt;
            try (VoterProbe probe = new VoterProbe()) {
                closesAt = Instant.parse(probe.result(r -> r.encerraEm() != null).encerraEm());
            }
            CompletableFuture<Boolean> sent = CompletableFuture.supplyAsync(voters::sendUnanswered);
            Thread.sleep(1500); // votes flowing, appends in flight
            try {
                assertEquals(0, TestBroker.rabbitmqctl("set_vm_memory_high_watermark", "0.000001"));
                Thread.sleep(STALL_SECONDS * 1000L);
                assertTrue(Instant.now().isAfter(closesAt), "the window closed during the stall");
            } finally {
                assertEquals(0, TestBroker.rabbitmqctl("set_vm_memory_high_watermark", "0.4"));
            }
            sent.join();
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
                    voter + " is in the ledger but was told " + voters.refusals()));
            written.forEach((voter, options) -> assertEquals(1, options.stream().distinct().count(),
                    voter + " has votes for " + options));
        }
    }
}
