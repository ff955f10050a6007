import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * What the broker alone pays for an audience, with no server and no vote: N clients, each on a channel
 * of its own over 20 connections, set up what a client following the results sets up (the fanout
 * declared, an exclusive server-named queue, bound to the fanout, consumed), one step more at a time.
 * Prints the wall time and, for a broker on this machine, its CPU time, per step and per client.
 *
 * <p>Run by bench/audience-cost.sh; a single-file program, so it needs only the AMQP client.
 */
public final class AudienceCost {

    private static final int CONNECTIONS = 20;
    private static final String BROADCAST = "votacao.broadcast";

    private enum Steps {
        CHANNEL("channel only"),
        QUEUE("+ exclusive queue"),
        BIND("+ bound to the fanout"),
        CONSUME("+ consumed"),
        CLIENT("+ fanout declared (a client's whole set-up)");

        final String label;

        Steps(String label) {
            this.label = label;
        }
    }

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        int clients = Integer.parseInt(args[1]);
        String brokerPid = args[2];
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        factory.setRequestedChannelMax(0);
        try (Connection setup = factory.newConnection("votacao-bench-audience")) {
            // As the server declares it; a client that follows the results declares it too (the last step).
            setup.createChannel().exchangeDeclare(BROADCAST, BuiltinExchangeType.FANOUT, true);
        }
        for (Steps steps : Steps.values()) {
            measure(factory, clients, brokerPid, steps);
        }
    }

    private static void measure(ConnectionFactory factory, int clients, String brokerPid, Steps steps)
            throws Exception {
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            connections.add(factory.newConnection("votacao-bench-audience"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            double cpuBefore = brokerCpu(brokerPid);
            long started = System.nanoTime();
            List<Future<Void>> done = new ArrayList<>();
            for (Connection connection : connections) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < clients / CONNECTIONS; i++) {
                        setUp(connection.createChannel(), steps);
                    }
                    return null;
                }));
            }
            for (Future<Void> each : done) {
                each.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpu = brokerCpu(brokerPid) - cpuBefore;
            System.out.printf("%-45s %d clients: %6.2f s, broker CPU %6.2f s (%.2f ms a client)%n", steps.label,
                    clients, seconds, cpu, cpu * 1000 / clients);
        } finally {
            pool.shutdownNow();
            for (Connection connection : connections) {
                connection.abort();
            }
        }
        Thread.sleep(3000); // the broker deletes the exclusive queues in the background
    }

    private static void setUp(Channel channel, Steps steps) throws Exception {
        if (steps == Steps.CHANNEL) {
            return;
        }
        if (steps == Steps.CLIENT) {
            channel.exchangeDeclare(BROADCAST, BuiltinExchangeType.FANOUT, true);
        }
        String queue = channel.queueDeclare("", false, true, true, null).getQueue();
        if (steps.compareTo(Steps.BIND) >= 0) {
            channel.queueBind(queue, BROADCAST, "");
        }
        if (steps.compareTo(Steps.CONSUME) >= 0) {
            channel.basicConsume(queue, true, (tag, delivery) -> {
            }, tag -> {
            });
        }
    }

    /** The broker's user + system CPU seconds, from /proc; NaN when it does not run here. */
    private static double brokerCpu(String pid) throws Exception {
        if ("-1".equals(pid)) {
            return Double.NaN;
        }
        String[] fields = Files.readString(Path.of("/proc", pid, "stat")).split(" ");
        return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / 100.0;
    }
}
