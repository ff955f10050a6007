package votacao.server.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import votacao.shared.Protocol;
import votacao.shared.testing.ServerProcess;
import votacao.shared.testing.VoteDriver;
import votacao.shared.testing.VoterProbe;

/**
 * SIGTERM while thousands of silent clients follow the broadcast (a queue each, bound to the fanout, as
 * the original clients do) and votes are still coming in: the server stops within a few seconds, says
 * so, never prints a negative rate, and the votes it had not answered are answered after a restart,
 * each counted once.
 */
class StopUnderAudienceIT {

    private static final int AUDIENCE = 3000;
    /** A backlog of seconds on any machine: a CI machine once answered all of 4,000 before the stop. */
    private static final int VOTERS = 40_000;
    private static final List<String> OPTIONS = List.of("A", "B", "C");
    private static final Duration STOP_WITHIN = Duration.ofSeconds(5);
    private static final Pattern NEGATIVE_RATE = Pattern.compile("\\(-\\d");

    @Test
    void sigtermUnderALargeAudienceStopsWithinSecondsAndLosesNothing() throws Exception {
        try (ServerProcess server = ServerProcess.start("stop-audience", Map.of("VOTACAO_DURACAO", "600s"));
                Connection audience = VoterProbe.factory().newConnection("votacao-test-audience");
                VoteDriver voters = new VoteDriver("stopaudience", VOTERS, OPTIONS)) {
            Channel channel = audience.createChannel();
            channel.exchangeDeclare(Protocol.BROADCAST_EXCHANGE, BuiltinExchangeType.FANOUT, true); // as clients do
            for (int i = 0; i < AUDIENCE; i++) {
                channel.queueBind(channel.queueDeclare("", false, true, true, null).getQueue(),
                        Protocol.BROADCAST_EXCHANGE, "");
            }
            CompletableFuture<Boolean> sent = voters.sendUntilATenthAnswered(Duration.ofSeconds(60));

            long started = System.nanoTime();
            int status = server.stop();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            int answeredBeforeTheStop = voters.answered();
            String log = server.log();
            assertTrue(answeredBeforeTheStop < VOTERS, "the stop came in the middle of the load");
            assertTrue(took.compareTo(STOP_WITHIN) <= 0, "SIGTERM took " + took.toMillis() + " ms");
            assertTrue(status == 0 || status == 143, "a clean stop, status " + status);
            assertTrue(log.contains("server stopped in"), "a graceful shutdown");
            assertFalse(NEGATIVE_RATE.matcher(log).find(), "a negative rate in the activity line");
            System.out.printf("SIGTERM under an audience of %d: stopped in %d ms, %d of %d votes answered before%n",
                    AUDIENCE, took.toMillis(), answeredBeforeTheStop, VOTERS);

            assertTrue(sent.join(), "the broker took the votes");
            server.startAgain();
            assertTrue(voters.awaitAllAnswered(Duration.ofSeconds(120)), voters.answered() + " answered");
            assertEquals(Map.of(), voters.refusals(), "no voter may be told anything but a confirmation");
            server.stop();
            assertEquals(voters.expectedTally(OPTIONS), LedgerAudit.tally(server.ledgerStream()));
            LedgerAudit.rawVotes(server.ledgerStream()).forEach((voter, options) -> assertEquals(1,
                    options.stream().distinct().count(), voter + " has votes for " + options));
        }
    }
}
