package votacao.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

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
}
