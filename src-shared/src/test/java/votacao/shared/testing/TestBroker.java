package votacao.shared.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import votacao.shared.BrokerSettings;

/**
 * The broker every test uses: a private RabbitMQ node ({@code tools/rabbitmq-node}) with its data under
 * the checkout's {@code target/test-broker}, never the broker a user may run on 5672, whose votes the
 * tests would otherwise mix with theirs. The first test of a build starts it, empty; the others reuse it;
 * it stops when the Maven build that started it ends (or, run from an IDE, when the IDE does).
 */
public final class TestBroker {

    public static final String USERNAME = "admin";
    public static final String PASSWORD = "admin";

    private static BrokerSettings settings;

    private TestBroker() {
    }

    /** The private node's address, started on first use. */
    public static synchronized BrokerSettings settings() {
        if (settings == null) {
            String port = run(List.of("start", directory().toString(), "--fresh", "--until-pid", Long.toString(buildPid())));
            settings = new BrokerSettings("127.0.0.1", Integer.parseInt(port.strip()), USERNAME, PASSWORD, "/");
        }
        return settings;
    }

    /** The node's address as the programs read it from their configuration (Quarkus keys). */
    public static Map<String, String> configuration() {
        BrokerSettings broker = settings();
        return Map.of("rabbitmq-host", broker.host(), "rabbitmq-port", Integer.toString(broker.port()),
                "rabbitmq-username", broker.username(), "rabbitmq-password", broker.password());
    }

    /** The same, as the environment variables a program started as a process reads. */
    public static Map<String, String> environment() {
        BrokerSettings broker = settings();
        return Map.of("RABBITMQ_HOST", broker.host(), "RABBITMQ_PORT", Integer.toString(broker.port()),
                "RABBITMQ_USERNAME", broker.username(), "RABBITMQ_PASSWORD", broker.password());
    }

    /** Runs {@code rabbitmqctl ARGS} against the node (stop_app, start_app …); its exit status. */
    public static int rabbitmqctl(String... arguments) {
        return ctl(arguments).exitStatus();
    }

    /** What {@code rabbitmqctl ARGS} printed (list_queues name arguments …); fails if it failed. */
    public static String rabbitmqctlOutput(String... arguments) {
        Ctl ctl = ctl(arguments);
        if (ctl.exitStatus() != 0) {
            throw new IllegalStateException("rabbitmqctl " + List.of(arguments) + " failed: " + ctl.output());
        }
        return ctl.output();
    }

    private record Ctl(int exitStatus, String output) {
    }

    private static Ctl ctl(String... arguments) {
        settings();
        List<String> command = new ArrayList<>(List.of(script().toString(), "ctl", directory().toString()));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Ctl(-1, output);
            }
            return new Ctl(process.exitValue(), output);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Ctl(-1, "interrupted");
        }
    }

    private static String run(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(script().toString()));
        command.addAll(arguments);
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("the tests' private RabbitMQ node did not start (" + command
                        + "); RabbitMQ must be installed locally");
            }
            return output;
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
