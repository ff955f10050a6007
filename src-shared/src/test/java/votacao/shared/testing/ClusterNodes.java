package votacao.shared.testing;

import java.util.List;

import com.rabbitmq.client.Address;

/**
 * Which node of the tests' three-node cluster holds what: the tests that kill a node pick their victim
 * with these (the node a program is connected to, the node leading a quorum queue). Nodes are numbered
 * 1 to 3, as {@link TestBroker#clusterCtl} takes them.
 */
public final class ClusterNodes {

    private ClusterNodes() {
    }

    /** The node that a connection of this name (client-provided) is connected to. */
    public static int ofConnection(String name) {
        // RabbitMQ 3.10 lists a connection's name among its client properties only.
        Command.Result listed = TestBroker.clusterCtl(1, "list_connections", "-q", "client_properties", "port");
        for (String line : listed.output().split("\n")) {
            String[] columns = line.trim().split("\\s+");
            if (line.contains("\"connection_name\",\"" + name + "\"")) {
                return ofPort(Integer.parseInt(columns[columns.length - 1]));
            }
        }
        throw new IllegalStateException("no connection named " + name + ": " + listed.output());
    }

    /** The node that leads a quorum queue. */
    public static int leaderOf(String queue) {
        Command.Result listed = TestBroker.clusterCtl(1, "list_queues", "-q", "name", "leader");
        for (String line : listed.output().split("\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length == 2 && columns[0].equals(queue)) {
                return ofName(columns[1]);
            }
        }
        throw new IllegalStateException("no leader for " + queue + ": " + listed.output());
    }

    private static int ofName(String nodeName) {
        for (int n = 1; n <= 3; n++) {
            if (nodeName.equals(TestBroker.clusterCtl(n, "eval", "node().").output().strip().replace("'", ""))) {
                return n;
            }
        }
        throw new IllegalStateException("unknown node " + nodeName);
    }

    private static int ofPort(int port) {
        List<Address> nodes = TestBroker.settings().cluster();
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).getPort() == port) {
                return i + 1;
            }
        }
        throw new IllegalStateException("no node listens on " + port);
    }
}
