package votacao.shared.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import votacao.shared.Codec;
import votacao.shared.Protocol;
import votacao.shared.ServerMessage;
import votacao.shared.Vote;

/**
 * A crowd of voters that behaves as a careful client does under faults: every vote has a fixed
 * {@code message_id}, and any vote still unanswered is sent again (same id) until it is answered, over
 * a fresh connection when the broker went away. What it ends with is what the voters were told.
 */
public final class VoteDriver implements AutoCloseable {

    private final Map<String, String> optionOf = new LinkedHashMap<>();
    private final Map<String, ServerMessage> answers = new ConcurrentHashMap<>();
    private Connection connection;
    private Channel channel;
    private String queue;

    public VoteDriver(String prefix, int voters, List<String> options) {
        for (int i = 0; i < voters; i++) {
            optionOf.put(VoterProbe.uniqueUser(prefix + i), options.get(i % options.size()));
        }
    }

    /** Sends every vote not answered yet; returns false if the broker could not take them now. */
    public boolean sendUnanswered() {
        try {
            if (!usable()) {
                // A confirm that timed out closed the channel (and its reply consumer) but not the connection.
                if (connection != null) {
                    connection.abort();
                }
                connect();
            }
            for (Map.Entry<String, String> voter : optionOf.entrySet()) {
                if (!answers.containsKey(voter.getKey())) {
                    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                            .contentType(Protocol.CONTENT_TYPE).deliveryMode(Protocol.PERSISTENT)
                            .messageId("vote-of-" + voter.getKey()).correlationId(voter.getKey()).replyTo(queue).build();
                    channel.basicPublish(Protocol.VOTES_EXCHANGE, Protocol.VOTE_ROUTING_KEY, props,
                            Codec.encode(new Vote(voter.getKey(), voter.getValue())));
                }
            }
            channel.waitForConfirmsOrDie(10_000);
            return true;
        } catch (IOException | RuntimeException | InterruptedException | java.util.concurrent.TimeoutException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    /**
     * Sends every vote in the background and returns once a tenth of them are answered, so that a fault
     * struck now comes in the middle of the load on any machine: sending them all in the foreground can take
     * as long as a fast server takes to answer them all. The future says whether the broker took them.
     */
    public CompletableFuture<Boolean> sendUntilATenthAnswered(Duration patience) {
        CompletableFuture<Boolean> sent = CompletableFuture.supplyAsync(this::sendUnanswered);
        long deadline = System.nanoTime() + patience.toNanos();
        while (answers.size() < optionOf.size() / 10) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(answers.size() + " of " + optionOf.size() + " answered within " + patience);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        return sent;
    }

    /** Re-sends what is unanswered every few seconds until everyone has an answer or time runs out. */
    public boolean awaitAllAnswered(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        long nextSend = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        while (answers.size() < optionOf.size() && System.nanoTime() < deadline) {
            if (System.nanoTime() > nextSend || !usable()) {
                sendUnanswered();
                nextSend = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            }
            Thread.sleep(100);
        }
        return answers.size() == optionOf.size();
    }

    private boolean usable() {
        return connection != null && connection.isOpen() && channel != null && channel.isOpen();
    }

    public int answered() {
        return answers.size();
    }

    public int voters() {
        return optionOf.size();
    }

    /** The voters told "confirmacao". */
    public Set<String> confirmed() {
        return answers.entrySet().stream().filter(a -> ServerMessage.CONFIRMACAO.equals(a.getValue().tipo()))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    /** The answers that were not a confirmation, by text. */
    public Map<String, Long> refusals() {
        return answers.values().stream().filter(a -> !ServerMessage.CONFIRMACAO.equals(a.tipo()))
                .collect(Collectors.groupingBy(ServerMessage::mensagem, TreeMap::new, Collectors.counting()));
    }

    /** What the tally must be if exactly the confirmed votes were counted. */
    public Map<String, Long> expectedTally(List<String> options) {
        Map<String, Long> tally = new TreeMap<>();
        options.forEach(option -> tally.put(option, 0L));
        confirmed().forEach(user -> tally.merge(optionOf.get(user), 1L, Long::sum));
        return tally;
    }

    private void connect() throws IOException, java.util.concurrent.TimeoutException {
        ConnectionFactory factory = VoterProbe.factory();
        // A connection recovered by the client would redeclare the reply queue under a new server-made name
        // while the votes still name the old one; a fresh connection and queue keep the two in step.
        factory.setAutomaticRecoveryEnabled(false);
        connection = VoterProbe.broker().connect(factory, "votacao-test-driver", patience -> { }); // any node of a cluster
        channel = connection.createChannel();
        channel.exchangeDeclare(Protocol.VOTES_EXCHANGE, BuiltinExchangeType.DIRECT, true);
        queue = channel.queueDeclare("", false, true, true, null).getQueue();
        channel.confirmSelect();
        channel.basicConsume(queue, true, (tag, delivery) -> {
            ServerMessage answer = Codec.decodeServerMessage(delivery.getBody());
            if (answer.isAnswer() && optionOf.containsKey(answer.userId())) {
                answers.putIfAbsent(answer.userId(), answer);
            }
        }, tag -> {
        });
    }

    @Override
    public void close() {
        if (connection != null && connection.isOpen()) {
            connection.abort();
        }
    }
}
