package votacao.server.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.GetResponse;

import io.quarkus.test.junit.QuarkusTest;
import votacao.shared.Codec;
import votacao.shared.Protocol;
import votacao.shared.Vote;
import votacao.shared.testing.TestBroker;
import votacao.shared.testing.VoterProbe;

/**
 * The server's own connection (ledger and answers) goes away for a moment while the votes keep coming
 * through the connector's: every vote is answered all the same, and none ends in the dead-letter queue.
 * Before the answers waited for the connection, a vote whose answer failed went back to the queue and
 * round again within milliseconds, and a refused vote (answered at once, with no ledger append to wait
 * for) reached its delivery limit before the connection was back: 89 of 600 late votes dead-lettered,
 * unanswered, in one try by hand (2026-12-04).
 */
@QuarkusTest
class ServerConnectionLossTest {

    private static final int VOTERS = 600;
    private static final String SERVER_CONNECTION = "{\"connection_name\",\"votacao-server\"}";

    @Test
    void votesInFlightWhenTheServersConnectionGoesAreAllAnsweredOnceItIsBack() throws Exception {
        try (VoterProbe probe = new VoterProbe()) {
            String run = VoterProbe.uniqueUser("connection-loss");
            List<String> voters = new ArrayList<>();
            for (int i = 0; i < VOTERS; i++) {
                String voter = run + "-" + i;
                voters.add(voter);
                // Half of them refused (no such option): a refusal is answered at once, without the ledger.
                String option = i % 2 == 0 ? "A" : "Z";
                probe.publish(Codec.encode(new Vote(voter, option)), VoterProbe.withReply(probe.queue(), voter, voter));
                if (i == VOTERS / 3) {
                    closeTheServersConnection();
                }
                Thread.sleep(3); // votes keep arriving while the connection is away
            }

            Awaitility.await().atMost(VoterProbe.PATIENCE.multipliedBy(2))
                    .until(() -> voters.stream().allMatch(voter -> !probe.answersTo(voter).isEmpty()));

            Set<String> deadLettered = ConcurrentHashMap.newKeySet();
            GetResponse letter;
            while ((letter = probe.take(Protocol.DEAD_LETTER_QUEUE)) != null) {
                String id = letter.getProps().getMessageId();
                if (id != null && id.startsWith(run)) {
                    deadLettered.add(id);
                }
            }
            assertEquals(Set.of(), deadLettered);
        }
    }

    private static void closeTheServersConnection() {
        String pid = TestBroker.rabbitmqctlOutput("list_connections", "pid", "client_properties").lines()
                .filter(line -> line.contains(SERVER_CONNECTION))
                .map(line -> line.substring(0, line.indexOf('\t')))
                .findFirst().orElseThrow(() -> new AssertionError("the server's connection is not listed"));
        assertEquals(0, TestBroker.rabbitmqctl("close_connection", pid, "test: the server's connection goes"));
        assertTrue(pid.startsWith("<"), pid);
    }
}
