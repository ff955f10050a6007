package votacao.loadtest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Channel;

import votacao.shared.testing.TestBroker;

/** A voter's channel out of its connection's consumer work pool (see ConsumerWorkPool), on the tests' broker. */
class ConsumerWorkPoolTest {

    @Test
    void aChannelOutOfThePoolStillPublishesIsConfirmedAndCloses() throws Exception {
        try (ConnectionPool pool = ConnectionPool.open(TestBroker.settings(), 1, 10)) {
            Channel listener = pool.get(0).createChannel();
            // A queue of this test's own (server-named, exclusive): nothing of a user's broker is touched.
            String queue = listener.queueDeclare().getQueue();
            BlockingQueue<String> received = new ArrayBlockingQueue<>(1);
            listener.basicConsume(queue, true, (tag, delivery) -> received.add(
                    new String(delivery.getBody(), StandardCharsets.UTF_8)), tag -> {
                    });

            Channel voter = pool.get(0).createChannel();
            Optional<ConsumerWorkPool.Departure> departure = ConsumerWorkPool.leave(voter);
            assertTrue(departure.isPresent(), "this AMQP client's consumer work pool cannot be left any more: "
                    + "see ConsumerWorkPool (the run still works, at more CPU)");

            voter.confirmSelect(); // an RPC of its own, and confirms come on the reader thread, not through the pool
            voter.basicPublish("", queue, null, "voto".getBytes(StandardCharsets.UTF_8));
            assertTrue(voter.waitForConfirms(10_000), "the broker confirmed the publish");
            assertTrue("voto".equals(received.poll(10, TimeUnit.SECONDS)), "the consumer on another channel got it");

            departure.get().rejoin();
            voter.close();
            assertFalse(voter.isOpen());
        }
    }
}
