package votacao.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import votacao.server.faults.LedgerAudit;
import votacao.server.poll.PollHistory;
import votacao.shared.Protocol;
import votacao.shared.ServerMessage;
import votacao.shared.testing.ClusterNodes;
import votacao.shared.testing.ServerProcess;
import votacao.shared.testing.TestBroker;
import votacao.shared.testing.VoteDriver;
import votacao.shared.testing.VoterProbe;

/**
 * A three-node RabbitMQ cluster (the tests' broker with {@code -Dvotacao.test.cluster=true}) loses a node
 * under load, killed as if its machine were lost: the node the server is connected to, and separately
 * the node that leads {@code votos}.
 * The server reconnects by itself, the voters send their unanswered votes again (same
 * {@code message_id}), every vote is answered and confirmed, the broadcast tally and the ledger count
 * each voter once.
 */
class NodeLossIT {

    private static final List<String> OPTIONS = List.of("A", "B", "C");
    private static final int VOTERS = 40_000;

    @Test
    void losingTheNodeTheServerIsConnectedToLosesNothing() throws Exception {
        run("server-node", server -> ClusterNodes.ofConnection("votacao-server"));
    }

    @Test
    void losingTheNodeThatLeadsTheVoteQueueLosesNothing() throws Exception {
        run("queue-leader", server -> ClusterNodes.leaderOf(Protocol.VOTES_QUEUE));
    }

    @FunctionalInterface
    private interface Victim {
        int node(ServerProcess server) throws Exception;
    }

    private void run(String name, Victim victim) throws Exception {
        assertTrue(TestBroker.isCluster(), "run with -D" + TestBroker.CLUSTER + "=true");
        int stopped = 0;
        try (ServerProcess server = ServerProcess.start("cluster-" + name, Map.of("VOTACAO_DURACAO", "600s"));
                VoteDriver voters = new VoteDriver("cluster-" + name, VOTERS, OPTIONS)) {
            int victimNode = victim.node(server); // before the load: rabbitmqctl takes seconds
            System.out.printf("Cluster (%s): server on node %d, votos led by node %d: node %d will stop%n", name,
                    ClusterNodes.ofConnection("votacao-server"), ClusterNodes.leaderOf(Protocol.VOTES_QUEUE), victimNode);
            CompletableFuture<Boolean> sent = voters.sendUntilATenthAnswered(Duration.ofSeconds(60));
            stopped = victimNode;
            int answeredBefore = voters.answered();
            TestBroker.killClusterNode(stopped);
            sent.join(); // cut short by the loss, maybe: the voters send again below
            long down = System.nanoTime();
            assertTrue(voters.awaitAllAnswered(Duration.ofSeconds(240)), voters.answered() + " answered");
            double seconds = (System.nanoTime() - down) / 1e9;
            System.out.printf("Cluster (%s): node %d killed with %d of %d votes answered; the other %d answered in"
                    + " %.1f s with the node down (%.0f votes/s)%n", name, stopped, answeredBefore, VOTERS,
                    VOTERS - answeredBefore, seconds, (VOTERS - answeredBefore) / seconds);
            assertTrue(answeredBefore < VOTERS, "the node went down in the middle of the load");
            // The checks below connect to node 1, as the tests' helpers do: the node comes back first.
            startAgain(stopped);
            stopped = 0;
            assertEquals(Map.of(), voters.refusals(), "no voter may be told anything but a confirmation");
            Map<String, Long> expected = voters.expectedTally(OPTIONS);
            try (VoterProbe probe = new VoterProbe()) {
                ServerMessage published = probe.result(r -> ServerMessage.PARCIAL.equals(r.tipo())
                        && r.total() == VOTERS);
                assertEquals(expected, new TreeMap<>(published.resultado()));
            }
            assertTrue(server.isAlive(), "the server rode out the loss of a node");
            server.stop();
            // The node that came back may not hold its replica of the stream yet (RabbitMQ refuses to read it there).
            PollHistory ledger = Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> LedgerAudit.read(server.ledgerStream()), history -> history != null);
            assertEquals(expected, new TreeMap<>(ledger.latest().tally()));
            assertEquals(VOTERS, ledger.latest().voters());
        } finally {
            if (stopped > 0) {
                startAgain(stopped);
            }
        }
    }

    private static void startAgain(int node) {
        TestBroker.startClusterNode(node);
        assertEquals(0, TestBroker.clusterCtl(node, "await_startup").exitStatus());
    }
}
