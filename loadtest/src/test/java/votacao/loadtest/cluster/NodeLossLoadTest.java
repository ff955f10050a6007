package votacao.loadtest.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import votacao.shared.Protocol;
import votacao.shared.testing.ClusterNodes;
import votacao.shared.testing.ServerProcess;
import votacao.shared.testing.TestBroker;
import votacao.shared.testing.VoterProbe;

/**
 * The load generator against a three-node cluster that loses a node in the middle of the run (killed,
 * as if its machine were lost): the node the server is connected to, and separately the node leading
 * {@code votos}. The voters on that node's connections come back on another and send their unanswered
 * votes again (same message_id); the voters elsewhere send nothing again and must still be answered
 * (the server confirms each answer before it acknowledges the vote). The run ends with every vote
 * answered and the tally agreeing. Run with the tests' broker as a cluster
 * ({@code -Dvotacao.test.cluster=true}: the {@code cluster} execution of this module's surefire).
 */
@QuarkusMainTest
class NodeLossLoadTest {

    @Test
    void losingTheServersNodeMidRunLeavesNoVoteUnanswered(QuarkusMainLauncher launcher) throws Exception {
        run(launcher, "server-node", () -> ClusterNodes.ofConnection("votacao-server"));
    }

    @Test
    void losingTheVoteQueuesLeaderMidRunLeavesNoVoteUnanswered(QuarkusMainLauncher launcher) throws Exception {
        run(launcher, "queue-leader", () -> ClusterNodes.leaderOf(Protocol.VOTES_QUEUE));
    }

    private void run(QuarkusMainLauncher launcher, String name, IntSupplier victim) throws Exception {
        assertTrue(TestBroker.isCluster(), "run with -D" + TestBroker.CLUSTER + "=true");
        try (ServerProcess server = ServerProcess.start("loadtest-" + name, Map.of("VOTACAO_DURACAO", "600s"))) {
            int node = victim.getAsInt(); // before the load: rabbitmqctl takes seconds
            System.out.printf("Load generator, node loss (%s): node %d will stop%n", name, node);
            CompletableFuture<Void> loss = CompletableFuture.runAsync(() -> {
                server.awaitVotesAccepted(2000, Duration.ofSeconds(120));
                TestBroker.killClusterNode(node);
            });
            LaunchResult result;
            try {
                // A lost node costs the run the reconnections (the server's too): more than the default 60 s.
                result = launcher.launch("--clients", "20000", "--per-connection", "1000", "--timeout", "180", "--hosts",
                        TestBroker.hosts(TestBroker.settings().cluster()), "--run-id", VoterProbe.uniqueUser("nodeloss"));
                loss.join();
            } finally {
                TestBroker.startClusterNode(node);
                assertEquals(0, TestBroker.clusterCtl(node, "await_startup").exitStatus());
            }
            String output = result.getOutput() + result.getErrorOutput();
            System.out.println(output);
            assertEquals(0, result.exitCode(), output);
            assertTrue(output.contains("PASS: every vote answered and the tally agrees"), output);
            assertTrue(server.isAlive(), "the server rode out the loss of a node");
        }
    }
}
