package votacao.server.amqp;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * Where the broker is, read from the same {@code rabbitmq-*} keys as the messaging channels, for the
 * connection the ledger uses beside them.
 */
@ApplicationScoped
public class BrokerAddress {

    @ConfigProperty(name = "rabbitmq-host", defaultValue = "localhost")
    String host;
    @ConfigProperty(name = "rabbitmq-port", defaultValue = "5672")
    int port;
    @ConfigProperty(name = "rabbitmq-username", defaultValue = "admin")
    String username;
    @ConfigProperty(name = "rabbitmq-password", defaultValue = "admin")
    String password;
    @ConfigProperty(name = "rabbitmq-virtual-host", defaultValue = "/")
    String virtualHost;

    /** A connection that recovers by itself after a network failure or a broker restart. */
    public Connection connect(String name) throws IOException, TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setVirtualHost(virtualHost);
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(1000);
        factory.setConnectionTimeout(5000);
        return factory.newConnection(name);
    }

    @Override
    public String toString() {
        return username + "@" + host + ":" + port + ("/".equals(virtualHost) ? "" : " vhost " + virtualHost);
    }
}
