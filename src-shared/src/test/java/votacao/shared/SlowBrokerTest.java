package votacao.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import votacao.shared.testing.SilentRelay;
import votacao.shared.testing.TestBroker;

/**
 * A broker busy enough to leave connection handshakes unanswered for a while (it is closing a large run's
 * channels) is waited for, not given up on at the third try. Through a relay to the tests' private node that
 * answers no handshake at first.
 */
class SlowBrokerTest {

    @Test
    void aBrokerTooBusyToAnswerForAWhileIsWaitedFor() throws Exception {
        BrokerSettings broker = TestBroker.settings();
        try (SilentRelay relay = new SilentRelay(broker.host(), broker.port(), 4)) {
            BrokerSettings busy = broker.with("127.0.0.1", relay.port(), null, null, null);
            ConnectionFactory factory = busy.connectionFactory();
            factory.setHandshakeTimeout(1000);
            List<Duration> told = new ArrayList<>();
            try (Connection connection = busy.connect(factory, "votacao-test-slow-broker", told::add)) {
                assertTrue(connection.isOpen());
            }
            // Four unanswered handshakes, then the one that worked (or, on a machine too busy to answer the
            // relayed one within the tests' short handshake timeout, one more).
            assertTrue(relay.accepted() >= 5, "connections tried: " + relay.accepted());
            assertEquals(List.of(BrokerSettings.CONNECT_PATIENCE), told, "told once why it waits, and how long it will");
        }
    }

    @Test
    void aBrokerThatNeverAnswersIsGivenUpOnAfterThePatienceWithAReason() throws Exception {
        BrokerSettings broker = TestBroker.settings();
        try (SilentRelay relay = new SilentRelay(broker.host(), broker.port(), -1)) {
            BrokerSettings silent = broker.with("127.0.0.1", relay.port(), null, null, null);
            ConnectionFactory factory = silent.connectionFactory();
            factory.setHandshakeTimeout(1000);
            Duration patience = Duration.ofSeconds(6);
            long started = System.nanoTime();
            TimeoutException failure = assertThrows(TimeoutException.class,
                    () -> silent.connect(factory, "votacao-test-silent-broker", ignored -> { }, patience));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(millis >= 2000 && millis <= patience.toMillis() + 3000, "gave up after " + millis + " ms");
            assertTrue(relay.accepted() >= 2, "tried more than once: " + relay.accepted());
            assertEquals("it took the connections but answered none within 6 s", Failures.rootCause(failure));
        }
    }
}
