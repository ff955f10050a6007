package votacao.server.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Connection;

import votacao.server.amqp.Ledger;
import votacao.server.amqp.LedgerReplay;
import votacao.server.poll.LedgerEntry;
import votacao.server.poll.PollHistory;
import votacao.shared.ServerMessage;
import votacao.shared.testing.ServerProcess;
import votacao.shared.testing.TestBroker;
import votacao.shared.testing.VoteDriver;
import votacao.shared.testing.VoterProbe;

/**
 * Two servers on one ledger: the broker hands the votes to one ({@code votos} has a single active
 * consumer) while the other stands by, following the ledger. Killed under load, the active server is
 * replaced by the standby within seconds, and no confirmed vote is lost or counted twice; two servers
 * started at once run one poll; a server that finds a newer server's activation in the ledger stops.
 */
class TakeoverIT {

    private static final List<String> OPTIONS = List.of("A", "B", "C");
    private static final int VOTERS = 20_000;
    private static final Duration TAKEOVER_WITHIN = Duration.ofSeconds(5);
    private static final String READY = "/q/health/ready";

    @Test
    void killedUnderLoadTheActiveServerIsReplacedByTheStandbyWithinSeconds() throws Exception {
        try (ServerProcess active = ServerProcess.start("takeover", Map.of("VOTACAO_DURACAO", "600s"));
                ServerProcess standby = active.sibling("takeover-standby").startAsStandby();
                VoteDriver voters = new VoteDriver("takeover", VOTERS, OPTIONS);
                VoterProbe probe = new VoterProbe()) {
            assertTrue(active.httpGet(READY).contains("\"papel\": \"ativo\""), active.httpGet(READY));
            assertTrue(standby.httpGet(READY).contains("\"papel\": \"reserva\""), standby.httpGet(READY));
            assertEquals(200, standby.httpStatus(READY), "a standby is ready");

            CompletableFuture<Boolean> sent = voters.sendUntilATenthAnswered(Duration.ofSeconds(60));
            active.kill();
            long killed = System.nanoTime();
            int answeredBefore = voters.answered();
            Awaitility.await("the standby answers").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> voters.answered() > answeredBefore);
            Duration took = Duration.ofNanos(System.nanoTime() - killed);
            System.out.printf("Takeover: the standby answered %d ms after the kill (%d of %d votes answered before)%n",
                    took.toMillis(), answeredBefore, VOTERS);
            assertTrue(took.compareTo(TAKEOVER_WITHIN) <= 0, "the standby answered " + took.toMillis() + " ms after the kill");
            assertTrue(answeredBefore < VOTERS, "the kill came in the middle of the load");
            assertTrue(sent.join(), "the broker took the votes");

            assertTrue(voters.awaitAllAnswered(Duration.ofSeconds(120)), voters.answered() + " answered");
            assertEquals(Map.of(), voters.refusals(), "no voter may be told anything but a confirmation");
            Map<String, Long> expected = voters.expectedTally(OPTIONS);
            ServerMessage published = probe.result(r -> ServerMessage.PARCIAL.equals(r.tipo()) && r.total() == VOTERS);
            assertEquals(expected, new TreeMap<>(published.resultado()));
            assertTrue(standby.httpGet(READY).contains("\"papel\": \"ativo\""), standby.httpGet(READY));
            assertTrue(standby.log().contains("resumed with"), "the standby resumed the poll");
            standby.stop();
            assertEquals(expected, LedgerAudit.tally(active.ledgerStream()));
            PollHistory ledger = LedgerAudit.read(active.ledgerStream());
            assertEquals(VOTERS, ledger.latest().voters());
            assertEquals(2, ledger.activations(), "one activation per server that decided");
        }
    }

    @Test
    void twoServersStartedAtOnceOnAnEmptyLedgerRunOnePoll() throws Exception {
        try (ServerProcess one = ServerProcess.create("pair-one", Map.of("VOTACAO_DURACAO", "600s"));
                ServerProcess other = one.sibling("pair-other")) {
            one.launch();
            other.launch();
            Awaitility.await().atMost(Duration.ofSeconds(90))
                    .until(() -> one.log().contains("standing by") && other.log().contains("standing by"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> one.isActive() || other.isActive());
            Thread.sleep(2000); // room for a second poll, if there were to be one
            assertTrue(one.isActive() ^ other.isActive(), "exactly one server decides");
            try (VoteDriver voters = new VoteDriver("pair", 100, OPTIONS)) {
                assertTrue(voters.sendUnanswered());
                assertTrue(voters.awaitAllAnswered(Duration.ofSeconds(60)), voters.answered() + " answered");
                assertEquals(100, voters.confirmed().size());
            }
            List<String> openings = new ArrayList<>();
            try (Connection connection = VoterProbe.factory().newConnection("votacao-test-audit")) {
                new LedgerReplay(connection, one.ledgerStream()).readAll(entry -> {
                    if (LedgerEntry.OPENING.equals(entry.tipo())) {
                        openings.add(entry.enquete());
                    }
                }, offset -> {
                }, 60);
            }
            assertEquals(1, openings.size(), "one poll opened: " + openings);
            assertEquals(1, LedgerAudit.read(one.ledgerStream()).activations(), "one server activated");
        }
    }

    @Test
    void aServerThatFindsANewerActivationStopsDeciding() throws Exception {
        try (ServerProcess server = ServerProcess.start("fenced", Map.of("VOTACAO_DURACAO", "600s"));
                VoteDriver voters = new VoteDriver("fenced", 100, OPTIONS)) {
            assertTrue(voters.sendUnanswered());
            assertTrue(voters.awaitAllAnswered(Duration.ofSeconds(60)), voters.answered() + " answered");
            // What another server writes when it takes over.
            try (Connection connection = VoterProbe.factory().newConnection("votacao-test-fencing");
                    Ledger ledger = new Ledger(connection, server.ledgerStream())) {
                ledger.append(LedgerEntry.activation("another-server")).get(30, TimeUnit.SECONDS);
            }
            assertEquals(3, server.awaitExit(Duration.ofSeconds(30)), "the fenced server exits with status 3");
            assertTrue(server.log().contains("Another server took over the poll"), server.log());
            PollHistory ledger = LedgerAudit.read(server.ledgerStream());
            assertEquals(100, ledger.latest().voters(), "the votes before the newer activation stand");
        }
    }

    @Test
    void afterABrokerRestartTheStandbyStillTakesOverWithNoVotesFlowing() throws Exception {
        try (ServerProcess active = ServerProcess.start("baton", Map.of("VOTACAO_DURACAO", "600s"))) {
            // The baton the active server held comes back to it over its new channel.
            assertEquals(0, TestBroker.rabbitmqctl("stop_app"));
            assertEquals(0, TestBroker.rabbitmqctl("start_app"));
            assertEquals(0, TestBroker.rabbitmqctl("await_startup"));
            Awaitility.await("ready again").atMost(Duration.ofSeconds(60)).until(() -> active.httpStatus(READY) == 200);
            Thread.sleep(3000); // the channels reconnect at their own pace
            try (ServerProcess standby = active.sibling("baton-standby").startAsStandby()) {
                // The standby's own baton is in the queue and with the active server too before the kill.
                Awaitility.await("the standby's baton delivered").atMost(Duration.ofSeconds(30))
                        .until(() -> TestBroker.rabbitmqctlOutput("list_queues", "-q", "name", "messages_ready")
                                .lines().anyMatch(line -> line.matches("votos\\s+0")));
                Thread.sleep(1000); // and acknowledged (dropped) or held by it
                active.kill();
                long killed = System.nanoTime();
                Awaitility.await("the standby takes over without a vote").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(50)).until(standby::isActive);
                Duration took = Duration.ofNanos(System.nanoTime() - killed);
                System.out.printf("Takeover with no votes flowing: %d ms%n", took.toMillis());
                assertTrue(took.compareTo(TAKEOVER_WITHIN) <= 0, "took " + took.toMillis() + " ms");
            }
        }
    }
}
