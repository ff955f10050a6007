package votacao.server.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;

import votacao.shared.testing.VoterProbe;

/** The publisher the answers and the ledger go through, against the real broker. */
class ConfirmedPublisherTest {

    private static final AMQP.BasicProperties PLAIN = MessageProperties.MINIMAL_BASIC;

    private Connection connection;
    private Channel admin;
    private String queue;

    @BeforeEach
    void connect() throws IOException, TimeoutException {
        connection = VoterProbe.factory().newConnection("votacao-test-publisher");
        admin = connection.createChannel();
        queue = "votacao.teste.publisher." + UUID.randomUUID();
        admin.queueDeclare(queue, false, true, true, null);
    }

    @AfterEach
    void disconnect() throws IOException {
        connection.close();
    }

    @Test
    void everyMessageFromManyThreadsIsConfirmedAndDelivered() throws Exception {
        int threads = 20;
        int each = 250;
        List<CompletableFuture<Void>> confirms = new ArrayList<>();
        try (ConfirmedPublisher publisher = new ConfirmedPublisher(connection)) {
            ExecutorService workers = Executors.newFixedThreadPool(threads);
            try {
                List<CompletableFuture<List<CompletableFuture<Void>>>> published = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    published.add(CompletableFuture.supplyAsync(() -> {
                        List<CompletableFuture<Void>> mine = new ArrayList<>();
                        for (int i = 0; i < each; i++) {
                            byte[] body = (thread + "-" + i).getBytes(StandardCharsets.UTF_8);
                            mine.add(publisher.publish("", queue, PLAIN, body));
                        }
                        return mine;
                    }, workers));
                }
                for (CompletableFuture<List<CompletableFuture<Void>>> batch : published) {
                    confirms.addAll(batch.get(30, TimeUnit.SECONDS));
                }
            } finally {
                workers.shutdownNow();
            }
            CompletableFuture.allOf(confirms.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }
        assertEquals(threads * each, confirms.size());
        assertEquals(threads * each, admin.queueDeclarePassive(queue).getMessageCount());
    }

    @Test
    void aChannelClosedByTheBrokerFailsItsMessagesAndTheNextPublishUsesANewOne() throws Exception {
        AtomicInteger losses = new AtomicInteger();
        try (ConfirmedPublisher publisher = new ConfirmedPublisher(connection, fresh -> {
        }, loss -> losses.incrementAndGet())) {
            assertNull(publisher.publish("", queue, PLAIN, bytes("before")).get(10, TimeUnit.SECONDS));

            // Publishing to an exchange that does not exist makes the broker close the channel.
            CompletableFuture<Void> doomed = publisher.publish("votacao.teste.sem-exchange." + UUID.randomUUID(), "x",
                    PLAIN, bytes("lost"));
            ExecutionException failure = assertThrows(ExecutionException.class, () -> doomed.get(10, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, failure.getCause());
            // The channel's shutdown listener fails the waiting messages first, then reports the loss.
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(1, losses.get()));

            assertNull(publisher.publish("", queue, PLAIN, bytes("after")).get(10, TimeUnit.SECONDS));
        }
        assertEquals("before", text(admin.basicGet(queue, true).getBody()));
        assertEquals("after", text(admin.basicGet(queue, true).getBody()));
        assertNull(admin.basicGet(queue, true));
    }

    @Test
    void aNewChannelThatIsNotReadyIsNotUsed() {
        try (ConfirmedPublisher publisher = new ConfirmedPublisher(connection, fresh -> {
            throw new IOException("not ready yet");
        }, loss -> {
        })) {
            CompletableFuture<Void> refused = publisher.publish("", queue, PLAIN, bytes("never"));
            ExecutionException failure = assertThrows(ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS));
            assertEquals("not ready yet", failure.getCause().getMessage());
        }
    }

    @Test
    void aClosedPublisherRefusesToPublish() throws Exception {
        ConfirmedPublisher publisher = new ConfirmedPublisher(connection);
        assertNull(publisher.publish("", queue, PLAIN, bytes("one")).get(10, TimeUnit.SECONDS));
        publisher.close();
        CompletableFuture<Void> late = publisher.publish("", queue, PLAIN, bytes("late"));
        assertTrue(late.isCompletedExceptionally());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }
}
