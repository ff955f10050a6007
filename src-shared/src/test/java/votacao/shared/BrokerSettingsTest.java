package votacao.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Address;

class BrokerSettingsTest {

    @Test
    void theDefaultVirtualHostIsEncodedIntoTheUri() {
        BrokerSettings broker = new BrokerSettings("localhost", 5672, "admin", "admin", "/");
        assertEquals("amqp://admin:admin@localhost:5672/%2F", broker.uri());
    }

    @Test
    void credentialsAreEscapedAndNeverDescribed() {
        BrokerSettings broker = new BrokerSettings("mq", 5673, "a b", "p@ss:word", "prod");
        assertEquals("amqp://a%20b:p%40ss%3Aword@mq:5673/prod", broker.uri());
        assertFalse(broker.describe().contains("p@ss"));
    }

    @Test
    void aClusterIsAListOfNodesTriedInOrder() {
        assertEquals(List.of(new Address("mq1", 5672), new Address("mq2", 5673), new Address("10.0.0.3", 5672)),
                BrokerSettings.nodes("mq1:5672, mq2:5673,10.0.0.3"));
        BrokerSettings cluster = new BrokerSettings("localhost", 5672, "admin", "admin", "/")
                .with(null, null, null, null, "mq1:5672,mq2:5673");
        assertEquals(List.of(new Address("mq1", 5672), new Address("mq2", 5673)), cluster.addresses());
        assertEquals("admin@mq1:5672,mq2:5673", cluster.describe());
        assertEquals(List.of(new Address("mq", 1)), cluster.with("mq", 1, null, null, null).addresses(),
                "a host on the command line means that one broker");
        assertEquals(List.of(new Address("localhost", 5672)),
                new BrokerSettings("localhost", 5672, "admin", "admin", "/").addresses());
    }

    @Test
    void aListThatIsNotOneNamesTheEntry() {
        for (String bad : List.of("mq1:5672,", ":5672", "mq1:porta", "mq1:70000", "")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> BrokerSettings.nodes(bad));
            assertTrue(refused.getMessage().startsWith("not a host[:port]"), refused.getMessage());
        }
    }
}
