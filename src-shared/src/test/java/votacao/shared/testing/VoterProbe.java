package votacao.shared.testing;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;


import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.GetResponse;

import votacao.shared.BrokerSettings;
import votacao.shared.Codec;
import votacao.shared.Protocol;
import votacao.shared.ServerMessage;
import votacao.shared.Vote;

/**
 * A third-party client for the tests, on the plain AMQP client: it knows only the protocol. It binds
 * its own exclusive queue to the broadcast, publishes votes and collects what arrives.
 */
public final class VoterProbe implements AutoCloseable {

    public static final Duration PATIENCE = Duration.ofSeconds(20);

    public record Received(ServerMessage message, AMQP.BasicProperties properties, byte[] body) {
    }

    private final Connection connection;
    private final Channel channel;
    private final String queue;
    private final List<Received> inbox = new CopyOnWriteArrayList<>();

    public VoterProbe() throws IOException, TimeoutException {
        connection = factory().newConnection("votacao-test-probe");
        channel = connection.createChannel();
        channel.exchangeDeclare(Protocol.BROADCAST_EXCHANGE, BuiltinExchangeType.FANOUT, true);
        channel.exchangeDeclare(Protocol.VOTES_EXCHANGE, BuiltinExchangeType.DIRECT, true);
        queue = channel.queueDeclare("", false, true, true, null).getQueue();
        channel.queueBind(queue, Protocol.BROADCAST_EXCHANGE, "");
        DeliverCallback collect = (tag, delivery) -> inbox.add(
                new Received(Codec.decodeServerMessage(delivery.getBody()), delivery.getProperties(),
                        delivery.getBody()));
        channel.basicConsume(queue, true, collect, tag -> {
        });
    }

    /** The broker the tests use: their private node (see {@link TestBroker}). */
    public static BrokerSettings broker() {
        return TestBroker.settings();
    }

    public static ConnectionFactory factory() {
        return broker().connectionFactory();
    }

    /** The same broker as another user, on a virtual host of the caller's. */
    public static ConnectionFactory factory(String username, String password, String virtualHost) {
        BrokerSettings broker = broker();
        return new BrokerSettings(broker.host(), broker.port(), username, password, virtualHost, broker.cluster())
                .connectionFactory();
    }

    public static String uniqueUser(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    /** The probe's own queue, for {@code reply_to}. */
    public String queue() {
        return queue;
    }

    /** A vote as the original Go client sends it: no properties at all. */
    public void votePlain(String userId, String option) throws IOException {
        publish(Codec.encode(new Vote(userId, option)), new AMQP.BasicProperties());
    }

    public void publish(byte[] body, AMQP.BasicProperties properties) throws IOException {
        channel.basicPublish(Protocol.VOTES_EXCHANGE, Protocol.VOTE_ROUTING_KEY, properties, body);
    }

    public void publish(String body) throws IOException {
        publish(body.getBytes(StandardCharsets.UTF_8), new AMQP.BasicProperties());
    }

    public static AMQP.BasicProperties withReply(String replyTo, String messageId, String correlationId) {
        return new AMQP.BasicProperties.Builder().contentType(Protocol.CONTENT_TYPE).deliveryMode(2)
                .replyTo(replyTo).messageId(messageId).correlationId(correlationId).build();
    }

    /** Waits for the first message that matches, and returns it. */
    public Received await(Predicate<Received> matches) {
        AtomicReference<Received> found = new AtomicReference<>();
        Awaitility.await().atMost(PATIENCE).until(() -> {
            for (Received received : inbox) {
                if (matches.test(received)) {
                    found.set(received);
                    return true;
                }
            }
            return false;
        });
        return found.get();
    }

    /** Waits for the answer addressed to this voter. */
    public ServerMessage answerTo(String userId) {
        return await(r -> r.message().isAnswer() && userId.equals(r.message().userId())).message();
    }

    public List<ServerMessage> answersTo(String userId) {
        return inbox.stream().map(Received::message).filter(m -> m.isAnswer() && userId.equals(m.userId())).toList();
    }

    /** Waits for a result (parcial or final) that satisfies the condition. */
    public ServerMessage result(Predicate<ServerMessage> matches) {
        return await(r -> r.message().isResult() && matches.test(r.message())).message();
    }

    /** Everything received so far that matches, in order of arrival. */
    public List<Received> received(Predicate<Received> matches) {
        return inbox.stream().filter(matches).toList();
    }

    public int received() {
        return inbox.size();
    }

    /** Declares a named queue that lives as long as this probe's connection (exclusive, auto-delete). */
    public void declareOwnQueue(String name) throws IOException {
        channel.queueDeclare(name, false, true, true, null);
    }

    /** How many messages wait in a queue. */
    public long depth(String queueName) throws IOException {
        return channel.queueDeclarePassive(queueName).getMessageCount();
    }

    /** Takes one message off a queue (the dead-letter queue, say), or null. */
    public GetResponse take(String queueName) throws IOException {
        return channel.basicGet(queueName, true);
    }

    /** Empties the server's vote queue, if there is one, so that no stray vote reaches a later poll. */
    public static void purgeVotes(Connection connection) throws IOException {
        Channel channel = connection.createChannel();
        try {
            channel.queuePurge(Protocol.VOTES_QUEUE);
            channel.close();
        } catch (IOException | TimeoutException noQueue) {
            // no server ever declared it: nothing to purge
        }
    }

    public static long count(Map<String, Long> result, String option) {
        return result.getOrDefault(option, 0L);
    }

    @Override
    public void close() throws IOException {
        connection.abort();
    }
}
