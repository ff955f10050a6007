package votacao.server.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import votacao.shared.ServerMessage;
import votacao.shared.Texts;
import votacao.shared.testing.ServerProcess;
import votacao.shared.testing.TestBroker;
import votacao.shared.testing.VoteDriver;
import votacao.shared.testing.VoterProbe;

/**
 * The broker goes away just as the window closes, with votes in flight: the final result that goes
 * out counts exactly the votes confirmed to their voters, every re-sent final is byte for byte the
 * first, the ledger's recount agrees with it, and no voter has two different votes written. Voters who
 * vote once the broker is back (after the close) are all told the poll is closed and counted nowhere.
 */
class CloseUnderBrokerBlipIT {

    private static final List<String> OPTIONS = List.of("A", "B", "C");
    private static final int WINDOW_SECONDS = 20;
    /**
     * More than most machines decide in the 5 s before the close, so that votes are in flight when the
     * broker goes. A fast machine may decide them all first (16,000 once; 40,000 once in CI): the test does
     * not depend on it, because the late voters below are sent after the close in any case.
     */
    private static final int VOTERS = 40_000;
    private static final int LATE_VOTERS = 1_000;

    @Test
    void aBrokerBlipAtTheCloseChangesNothingAfterTheFinal() throws Exception {
        try (ServerProcess server = ServerProcess.start("close-blip", Map.of("VOTACAO_DURACAO", WINDOW_SECONDS + "s",
                "VOTACAO_PARCIAL_REENVIO", "1s"));
                VoteDriver voters = new VoteDriver("closeblip", VOTERS, OPTIONS);
                VoteDriver late = new VoteDriver("closeblip-late", LATE_VOTERS, OPTIONS)) {
            Instant closesAt = closingTime();
            // The votes go out from 5 s before the close, more than the server decides by then (sending them
            // takes a while: in the background), and the broker goes just before the close (rabbitmqctl takes
            // some two seconds to act), with votes decided and their appends in flight; it comes back some
            // seconds after the close, with votes still queued: those come too late.
            sleepUntil(closesAt.minusMillis(5000));
            CompletableFuture<Boolean> sent = CompletableFuture.supplyAsync(voters::sendUnanswered);
            sleepUntil(closesAt.minusMillis(3000));
            try {
                assertEquals(0, TestBroker.rabbitmqctl("stop_app"));
                Thread.sleep(5000);
            } finally {
                assertEquals(0, TestBroker.rabbitmqctl("start_app"));
                assertEquals(0, TestBroker.rabbitmqctl("await_startup"));
            }
            sent.join(); // cut short by the broker stop, most likely: the voters send again below
            assertTrue(voters.awaitAllAnswered(Duration.ofSeconds(180)), voters.answered() + " answered");
            Map<String, Long> confirmed = voters.expectedTally(OPTIONS);
            System.out.printf("Broker blip at the close: %d of %d votes confirmed, refused: %s%n",
                    voters.confirmed().size(), VOTERS, voters.refusals());
            sleepUntil(closesAt); // it has passed already (the broker came back 2 s after it): said, not assumed
            assertTrue(late.awaitAllAnswered(Duration.ofSeconds(120)), late.answered() + " late voters answered");
            assertEquals(Map.of(Texts.POLL_CLOSED, (long) LATE_VOTERS), late.refusals(), "every late vote is refused");

            try (VoterProbe probe = new VoterProbe()) {
                Awaitility.await("two finals").atMost(Duration.ofSeconds(60))
                        .until(() -> probe.received(r -> ServerMessage.FINAL.equals(r.message().tipo())).size() >= 2);
                List<VoterProbe.Received> finals = probe.received(r -> ServerMessage.FINAL.equals(r.message().tipo()));
                assertEquals(confirmed, new TreeMap<>(finals.get(0).message().resultado()),
                        "the final counts exactly the confirmed votes; refusals: " + voters.refusals());
                for (VoterProbe.Received again : finals) {
                    assertArrayEquals(finals.get(0).body(), again.body(), "every final is the same, byte for byte");
                }
            }
            server.stop();
            String recount = server.recount();
            assertTrue(recount.contains("(the recount agrees)"), recount);
            Map<String, List<String>> written = LedgerAudit.rawVotes(server.ledgerStream());
            written.forEach((voter, options) -> assertEquals(1, options.stream().distinct().count(),
                    voter + " has votes for " + options + " in the ledger"));
            Set<String> told = voters.confirmed();
            assertEquals(confirmed.values().stream().mapToLong(Long::longValue).sum(),
                    written.keySet().stream().filter(told::contains).count(), "every confirmed vote is written");
        }
    }

    /** When the server's window closes, from the results it broadcasts. */
    private static Instant closingTime() throws Exception {
        try (VoterProbe probe = new VoterProbe()) {
            return Instant.parse(probe.result(r -> r.encerraEm() != null).encerraEm());
        }
    }

    private static void sleepUntil(Instant moment) throws InterruptedException {
        long millis = Duration.between(Instant.now(), moment).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }
}
