import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import votacao.shared.ClientQueue;
import votacao.shared.Protocol;

/**
 * A vote server's own CPU for each vote, with the votes arriving at once: N votes (new voters, options
 * A, B, C in turn) published with confirms from 20 channels on 2 connections, each asking for its answer
 * on its connection's queue, as fast as the broker takes them. Prints, for each of a few rounds, the
 * time from the first vote to the last answer and the server process's CPU (from /proc) for it, per
 * vote. Unlike the load generator, whose votes arrive as its 20,000 channels open (a few at a time, so
 * every stage of a server runs once per vote or two), this is the shape in which a server can batch:
 * what issue #13's "CPU per vote, warm" was measured with (100,000 voters, all at once).
 *
 * <p>Run by bench/server-cpu.sh; a single-file program on the AMQP client and the project's protocol.
 * Usage: VoteFlood URI VOTES SERVER_PID [ROUNDS]
 */
public final class VoteFlood {

    private static final int CONNECTIONS = 2;
    private static final int CHANNELS = 20;
    private static final String[] OPTIONS = {"A", "B", "C"};

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        int votes = Integer.parseInt(args[1]);
        long serverPid = Long.parseLong(args[2]);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        for (int round = 1; round <= rounds; round++) {
            run(factory, votes, serverPid, "flood-" + System.currentTimeMillis() + "-" + round, round);
            Thread.sleep(2000); // let the server's and the broker's background work of this round settle
        }
    }

    private static void run(ConnectionFactory factory, int votes, long serverPid, String runId, int round)
            throws Exception {
        List<Connection> connections = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        List<String> replyTo = new ArrayList<>();
        CountDownLatch answered = new CountDownLatch(votes);
        AtomicLong refused = new AtomicLong();
        try {
            for (int c = 0; c < CONNECTIONS; c++) {
                Connection connection = factory.newConnection("votacao-bench-flood-" + c);
                connections.add(connection);
                Channel answers = connection.createChannel();
                String queue = answers.queueDeclare("", false, true, true, null).getQueue();
                answers.basicConsume(queue, true, (tag, delivery) -> {
                    if (!new String(delivery.getBody(), StandardCharsets.UTF_8).contains("\"confirmacao\"")) {
                        refused.incrementAndGet();
                    }
                    answered.countDown();
                }, tag -> { });
                for (int i = 0; i < CHANNELS / CONNECTIONS; i++) {
                    Channel channel = connection.createChannel();
                    channel.confirmSelect();
                    channels.add(channel);
                    replyTo.add(queue);
                }
            }
            double cpuBefore = cpuSeconds(serverPid);
            long start = System.nanoTime();
            for (int i = 0; i < votes; i++) {
                int c = i % channels.size();
                String user = runId + "-" + i;
                String body = "{\"userId\":\"" + user + "\",\"opcao\":\"" + OPTIONS[i % OPTIONS.length] + "\"}";
                channels.get(c).basicPublish(Protocol.VOTES_EXCHANGE, Protocol.VOTE_ROUTING_KEY,
                        ClientQueue.voteProperties(user, user, replyTo.get(c)), body.getBytes(StandardCharsets.UTF_8));
            }
            for (Channel channel : channels) {
                channel.waitForConfirmsOrDie(120_000);
            }
            boolean all = answered.await(120, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = cpuSeconds(serverPid) - cpuBefore;
            System.out.printf(Locale.ROOT, "round %d: %d votes, %s in %.2f s (%.0f votes/s), server CPU %.2f s = %.3f ms a vote%s%n",
                    round, votes, all ? "every one answered" : (votes - answered.getCount()) + " answered", seconds,
                    votes / seconds, cpu, cpu * 1000 / votes, refused.get() > 0 ? ", " + refused.get() + " refused" : "");
        } finally {
            for (Connection connection : connections) {
                connection.abort();
            }
        }
    }

    /** User plus system CPU seconds of a process on this machine, from /proc. */
    private static double cpuSeconds(long pid) throws Exception {
        String[] fields = Files.readString(Path.of("/proc/" + pid + "/stat")).replaceAll(".*\\) ", "").split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }
}
