package votacao.server.amqp;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import votacao.shared.BrokerSettings;

/**
 * Where the broker is, read from the same {@code rabbitmq-*} keys as the messaging channels, for the
 * server's own connection beside them.
 */
@ApplicationScoped
public class BrokerAddress {

    private final BrokerSettings settings = BrokerSettings.fromConfig();

    /** A connection that recovers by itself after a network failure or a broker restart. */
    public Connection connect(String name) throws IOException, TimeoutException {
        ConnectionFactory factory = settings.connectionFactory();
        factory.setAutomaticRecoveryEnabled(true);
        // No topology recovery: it would declare the ledger stream again after a reconnection, and a stream
        // deleted under a running poll must stay missing (appends fail) rather than come back empty.
        factory.setTopologyRecoveryEnabled(false);
        factory.setNetworkRecoveryInterval(1000);
        return settings.connect(factory, name);
    }

    @Override
    public String toString() {
        return settings.describe();
    }
}
