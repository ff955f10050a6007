import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;

/**
 * What the broker alone pays for spreading the same messages over many channels: N persistent
 * messages with publisher confirms into a quorum queue, once from 20 channels and once from N
 * channels of one message each (as the load generator's N voters send them), over 20 connections.
 * Prints the time until the last confirm and, for a broker on this machine, its CPU time.
 *
 * <p>Run by bench/channel-cost.sh; a single-file program, so it needs only the AMQP client.
 */
public final class ChannelCost {

    private static final int CONNECTIONS = 20;
    private static final String QUEUE = "votacao.bench.canais";

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        int messages = Integer.parseInt(args[1]);
        long brokerPid = args.length > 2 ? Long.parseLong(args[2]) : -1;
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        factory.setRequestedChannelMax(0);
        try (Connection setup = factory.newConnection("votacao-bench-setup"); Channel channel = setup.createChannel()) {
            channel.queueDeclare(QUEUE, true, false, false, Map.of("x-queue-type", "quorum"));
            try {
                for (int round = 0; round < 2; round++) {
                    run(factory, CONNECTIONS, messages / CONNECTIONS, brokerPid);
                    channel.queuePurge(QUEUE);
                    run(factory, messages, 1, brokerPid);
                    channel.queuePurge(QUEUE);
                }
            } finally {
                channel.queueDelete(QUEUE);
            }
        }
    }

    private static void run(ConnectionFactory factory, int channels, int perChannel, long brokerPid) throws Exception {
        List<Connection> connections = new ArrayList<>();
        List<Channel> publishers = new ArrayList<>(channels);
        CountDownLatch confirmed = new CountDownLatch(channels * perChannel);
        try {
            for (int c = 0; c < CONNECTIONS; c++) {
                connections.add(factory.newConnection("votacao-bench-" + c));
            }
            for (int i = 0; i < channels; i++) {
                Channel channel = connections.get(i % CONNECTIONS).createChannel();
                channel.confirmSelect();
                channel.addConfirmListener(new ConfirmListener() {
                    private long settled;

                    @Override
                    public void handleAck(long tag, boolean multiple) {
                        for (; settled < tag; settled++) {
                            confirmed.countDown();
                        }
                    }

                    @Override
                    public void handleNack(long tag, boolean multiple) {
                        handleAck(tag, multiple);
                    }
                });
                publishers.add(channel);
            }
            Thread.sleep(1000);
            byte[] body = "{\"userId\":\"bench\",\"opcao\":\"A\"}".getBytes();
            double cpuBefore = cpuSeconds(brokerPid);
            long start = System.nanoTime();
            for (int m = 0; m < perChannel; m++) {
                for (Channel channel : publishers) {
                    channel.basicPublish("", QUEUE, MessageProperties.PERSISTENT_BASIC, body);
                }
            }
            boolean all = confirmed.await(120, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = cpuSeconds(brokerPid) - cpuBefore;
            System.out.printf("%,7d messages from %,6d channels (%,5d each): %s in %5.2f s, broker CPU %s%n",
                    channels * perChannel, channels, perChannel, all ? "all confirmed" : "NOT all confirmed", seconds,
                    brokerPid > 0 ? String.format("%5.2f s", cpu) : "n/a");
        } finally {
            for (Connection connection : connections) {
                connection.close(30_000);
            }
        }
    }

    /** User + system CPU time of a local process, from /proc. */
    private static double cpuSeconds(long pid) throws Exception {
        if (pid <= 0) {
            return 0;
        }
        String[] fields = Files.readString(Path.of("/proc/" + pid + "/stat")).split(" ");
        return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / 100.0;
    }
}
