package votacao.server.amqp;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import votacao.shared.BrokerSettings;

/**
 * Where the broker is, read from the same {@code rabbitmq-*} keys as the messaging channels, for the
 * server's own connection beside them.
 */
@ApplicationScoped
public class BrokerAddress {

    private static final Logger LOG = Logger.getLogger(BrokerAddress.class);

    private final BrokerSettings settings = BrokerSettings.fromConfig();

    /** A connection that recovers by itself after a network failure or a broker restart. */
    public Connection connect(String name) throws IOException, TimeoutException {
        ConnectionFactory factory = settings.connectionFactory();
        factory.setAutomaticRecoveryEnabled(true);
        // No topology recovery: it would declare the ledger stream again after a reconnection, and a stream
        // deleted under a running poll must stay missing (appends fail) rather than come back empty.
        factory.setTopologyRecoveryEnabled(false);
        factory.setNetworkRecoveryInterval(1000);
        return settings.connect(factory, name, patience -> LOG.warnf(
                "RabbitMQ at %s has not answered yet (busy?); trying again for up to %d s", settings.describe(), patience.toSeconds()));
    }

    /** The nodes connections may go to: the cluster's, or the one broker. */
    public List<Address> nodes() {
        return settings.addresses();
    }

    /** A plain connection to one node, no recovery: for a short look at that node. */
    public Connection connectTo(Address node, String name) throws IOException, TimeoutException {
        return settings.connectionFactory().newConnection(List.of(node), name);
    }

    @Override
    public String toString() {
        return settings.describe();
    }
}
