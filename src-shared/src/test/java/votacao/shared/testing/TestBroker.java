package votacao.shared.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import votacao.shared.BrokerSettings;

/**
 * The broker every test uses: a private RabbitMQ node ({@code tools/rabbitmq-node}) with its data under
 * the checkout's {@code target/test-broker}, never the broker a user may run on 5672, whose votes the
 * tests would otherwise mix with theirs. The first test of a build starts it, empty; the others reuse it;
 * it stops when the Maven build that started it ends (or, run from an IDE, when the IDE does).
 *
 * <p>With {@code -Dvotacao.test.cluster=true} it is a three-node cluster instead ({@code tools/rabbitmq-cluster}
 * under {@code target/test-cluster}): the programs get all three nodes ({@code RABBITMQ_HOSTS}) and go to
 * one of them (in random order); {@link #rabbitmqctl} acts on node 1, {@link #clusterCtl} on any.
 */
public final class TestBroker {

    public static final String USERNAME = "admin";
    public static final String PASSWORD = "admin";
    /** Long enough for a node that is busy dropping a large run's queues. */
    private static final Duration CTL_LIMIT = Duration.ofSeconds(120);

    /** The system property that makes the tests' broker a three-node cluster. */
    public static final String CLUSTER = "votacao.test.cluster";

    private static BrokerSettings settings;

    private TestBroker() {
    }

    /** The private node's address, started on first use. */
    public static synchronized BrokerSettings settings() {
        if (settings == null && isCluster()) {
            String nodes = run("rabbitmq-cluster", List.of("start", clusterDirectory().toString(), "--until-pid",
                    Long.toString(buildPid()))).strip();
            List<com.rabbitmq.client.Address> cluster = BrokerSettings.nodes(nodes);
            settings = new BrokerSettings(cluster.get(0).getHost(), cluster.get(0).getPort(), USERNAME, PASSWORD, "/",
                    cluster);
        } else if (settings == null) {
            String port = run("rabbitmq-node", List.of("start", directory().toString(), "--fresh", "--until-pid",
                    Long.toString(buildPid())));
            settings = new BrokerSettings("127.0.0.1", Integer.parseInt(port.strip()), USERNAME, PASSWORD, "/");
        }
        return settings;
    }

    /** The node's address as the programs read it from their configuration (Quarkus keys). */
    public static Map<String, String> configuration() {
        BrokerSettings broker = settings();
        Map<String, String> configuration = new java.util.HashMap<>(Map.of("rabbitmq-host", broker.host(),
                "rabbitmq-port", Integer.toString(broker.port()), "rabbitmq-username", broker.username(),
                "rabbitmq-password", broker.password()));
        if (!broker.cluster().isEmpty()) {
            configuration.put("rabbitmq-hosts", hosts(broker.cluster()));
        }
        return Map.copyOf(configuration);
    }

    /** The same, as the environment variables a program started as a process reads. */
    public static Map<String, String> environment() {
        Map<String, String> environment = new java.util.HashMap<>();
        configuration().forEach((key, value) -> environment.put(key.toUpperCase().replace('-', '_'), value));
        return Map.copyOf(environment);
    }

    /** Nodes as RABBITMQ_HOSTS takes them. */
    public static String hosts(List<com.rabbitmq.client.Address> nodes) {
        return String.join(",", nodes.stream().map(node -> node.getHost() + ":" + node.getPort()).toList());
    }

    public static boolean isCluster() {
        return Boolean.getBoolean(CLUSTER);
    }

    /** Runs {@code rabbitmqctl ARGS} against node {@code n} (1 to 3) of the cluster; what it printed, and its status. */
    public static Command.Result clusterCtl(int n, String... arguments) {
        settings();
        List<String> command = new ArrayList<>(List.of(checkout().resolve("tools").resolve("rabbitmq-cluster").toString(),
                "ctl", Integer.toString(n), clusterDirectory().toString()));
        command.addAll(List.of(arguments));
        return runCtl(command);
    }

    /** Runs {@code rabbitmqctl ARGS} against the node (stop_app, start_app …); its exit status. */
    public static int rabbitmqctl(String... arguments) {
        return ctl(arguments).exitStatus();
    }

    /** What {@code rabbitmqctl ARGS} printed (list_queues name arguments …); fails if it failed. */
    public static String rabbitmqctlOutput(String... arguments) {
        Command.Result ctl = ctl(arguments);
        if (ctl.exitStatus() != 0) {
            throw new IllegalStateException("rabbitmqctl " + List.of(arguments) + " failed: " + ctl.output());
        }
        return ctl.output();
    }

    /** Kills node {@code n} of the cluster at once, as if its machine were lost ({@code tools/rabbitmq-node kill}). */
    public static void killClusterNode(int n) {
        settings();
        clusterNodeCommand("kill", n);
    }

    /** Starts node {@code n} of the cluster again, on its port, with its data: it rejoins the cluster. */
    public static void startClusterNode(int n) {
        settings();
        clusterNodeCommand("start", n);
    }

    private static void clusterNodeCommand(String action, int n) {
        Command.Result result = runCtl(List.of(script().toString(), action,
                clusterDirectory().resolve("node" + n).toString()));
        if (result.exitStatus() != 0) {
            throw new IllegalStateException("rabbitmq-node " + action + " node" + n + " failed: " + result.output());
        }
    }

    private static Command.Result ctl(String... arguments) {
        if (isCluster()) {
            return clusterCtl(1, arguments);
        }
        settings();
        List<String> command = new ArrayList<>(List.of(script().toString(), "ctl", directory().toString()));
        command.addAll(List.of(arguments));
        return runCtl(command);
    }

    private static Command.Result runCtl(List<String> command) {
        try {
            return Command.run(command, Map.of(), CTL_LIMIT);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Command.Result(-1, "interrupted");
        }
    }

    private static String run(String tool, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(checkout().resolve("tools").resolve(tool).toString()));
        command.addAll(arguments);
        try {
            // What the tool says on failure goes into the exception: a test report shows it, whatever it drops.
            Path errors = Files.createTempFile("rabbitmq-node", ".log");
            try {
                Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (process.waitFor() != 0) {
                    throw new IllegalStateException("the tests' private RabbitMQ node did not start (" + command
                            + "); RabbitMQ must be installed locally: " + Files.readString(errors).strip());
                }
                return output;
            } finally {
                Files.deleteIfExists(errors);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the tests' broker", e);
        }
    }

    private static Path directory() {
        return checkout().resolve("target").resolve("test-broker");
    }

    private static Path clusterDirectory() {
        return checkout().resolve("target").resolve("test-cluster");
    }

    private static Path script() {
        return checkout().resolve("tools").resolve("rabbitmq-node");
    }

    /** The checkout's top directory: the first one up from the module's that holds tools/rabbitmq-node. */
    private static Path checkout() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("tools").resolve("rabbitmq-node"))) {
                return dir;
            }
        }
        throw new IllegalStateException("tools/rabbitmq-node not found above " + start);
    }

    /**
     * The process whose end stops the node: the Maven JVM above the test JVM (surefire and failsafe
     * fork one per module and plugin; the node should serve them all), else the test JVM's parent.
     */
    private static long buildPid() {
        Optional<ProcessHandle> ancestor = ProcessHandle.current().parent();
        while (ancestor.isPresent()) {
            String[] arguments = ancestor.get().info().arguments().orElse(new String[0]);
            for (String argument : arguments) {
                if (argument.startsWith("-Dmaven.multiModuleProjectDirectory")) {
                    return ancestor.get().pid();
                }
            }
            ancestor = ancestor.get().parent();
        }
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(ProcessHandle.current().pid());
    }
}
