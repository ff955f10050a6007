package votacao.shared;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * Where a program finds the broker. Every program reads the same keys ({@code rabbitmq-host},
 * {@code rabbitmq-port}, {@code rabbitmq-username}, {@code rabbitmq-password}, or their environment
 * forms {@code RABBITMQ_HOST} …) with the defaults of the compose file's broker, which live here only.
 * A cluster's nodes are given as {@code rabbitmq-hosts} ({@code RABBITMQ_HOSTS}: {@code host:port,…});
 * then a connection goes to one of them that answers (the AMQP client tries them in random order, which
 * spreads the connections over the cluster), and comes back on another when its node goes.
 *
 * @param cluster the nodes of {@code rabbitmq-hosts}; empty: the one broker at {@code host:port}
 */
public record BrokerSettings(String host, int port, String username, String password, String virtualHost,
        List<Address> cluster) {

    public static final String DEFAULT_HOST = "localhost";
    public static final int DEFAULT_PORT = 5672;
    public static final String DEFAULT_USERNAME = "admin";
    public static final String DEFAULT_PASSWORD = "admin";
    private static final int CONNECTION_TIMEOUT_MILLIS = 5000;
    /** How long a program goes on trying a broker that accepts connections but does not answer them. */
    public static final Duration CONNECT_PATIENCE = Duration.ofSeconds(60);

    public BrokerSettings {
        cluster = List.copyOf(cluster);
    }

    /** One broker, no cluster. */
    public BrokerSettings(String host, int port, String username, String password, String virtualHost) {
        this(host, port, username, password, virtualHost, List.of());
    }

    /** The broker as configured (properties, then environment), with the defaults for what is not. */
    public static BrokerSettings fromConfig() {
        Config config = ConfigProvider.getConfig();
        return new BrokerSettings(
                config.getOptionalValue("rabbitmq-host", String.class).orElse(DEFAULT_HOST),
                config.getOptionalValue("rabbitmq-port", Integer.class).orElse(DEFAULT_PORT),
                config.getOptionalValue("rabbitmq-username", String.class).orElse(DEFAULT_USERNAME),
                config.getOptionalValue("rabbitmq-password", String.class).orElse(DEFAULT_PASSWORD),
                config.getOptionalValue("rabbitmq-virtual-host", String.class).orElse("/"),
                config.getOptionalValue("rabbitmq-hosts", String.class).map(BrokerSettings::nodes).orElse(List.of()));
    }

    /**
     * These settings with whatever a command line gave (null: keep). A host or port given there means
     * that one broker, whatever cluster the configuration named; {@code newNodes} names a cluster.
     */
    public BrokerSettings with(String newHost, Integer newPort, String newUsername, String newPassword,
            String newNodes) {
        List<Address> nodes = newNodes != null ? nodes(newNodes) : newHost != null || newPort != null ? List.of() : cluster;
        return new BrokerSettings(newHost != null ? newHost : host, newPort != null ? newPort : port,
                newUsername != null ? newUsername : username, newPassword != null ? newPassword : password, virtualHost,
                nodes);
    }

    /**
     * Reads a list of nodes, {@code host:port,host:port…} (a node without a port gets 5672).
     *
     * @throws IllegalArgumentException naming the entry that is not a node
     */
    public static List<Address> nodes(String text) {
        List<Address> nodes = new ArrayList<>();
        for (String entry : text.split(",", -1)) {
            String node = entry.strip();
            int colon = node.lastIndexOf(':');
            String name = colon < 0 ? node : node.substring(0, colon);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("not a host[:port]: '" + entry + "' in '" + text + "'");
            }
            try {
                int nodePort = colon < 0 ? DEFAULT_PORT : Integer.parseInt(node.substring(colon + 1));
                if (nodePort < 1 || nodePort > 65535) {
                    throw new NumberFormatException();
                }
                nodes.add(new Address(name, nodePort));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a host[:port]: '" + entry + "' in '" + text + "'");
            }
        }
        return nodes;
    }

    /** Where connections go: the cluster's nodes in the given order, or the one broker. */
    public List<Address> addresses() {
        return cluster.isEmpty() ? List.of(new Address(host, port)) : cluster;
    }

    /** A connection factory for this broker: a short connection timeout, no automatic recovery (callers opt in). */
    public ConnectionFactory connectionFactory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setVirtualHost(virtualHost == null || virtualHost.isEmpty() ? "/" : virtualHost);
        factory.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        factory.setAutomaticRecoveryEnabled(false);
        return factory;
    }

    /**
     * Told once, when a connection's handshake went unanswered and the program goes on trying: a broker
     * can be too busy to answer for a while, and the person waiting should know why nothing happens.
     */
    @FunctionalInterface
    public interface SlowBroker {
        /** @param patience how long in all the program goes on trying */
        void waiting(Duration patience);
    }

    /**
     * Opens a connection, trying again while its handshake goes unanswered, with pauses of 1, 2, 4 and
     * then 5 s, for up to {@link #CONNECT_PATIENCE} in all: a broker busy closing the tens of thousands of
     * channels of a large run that just ended can leave handshakes unanswered for half a minute and more
     * (three tries, 18 s, were not enough after a 20,000-voter run on a machine that had just run others).
     * A refused connection (no broker there) fails at once.
     *
     * @param slow told on the first unanswered handshake, if another try follows
     */
    public Connection connect(ConnectionFactory factory, String name, SlowBroker slow)
            throws IOException, TimeoutException {
        return connect(factory, name, slow, CONNECT_PATIENCE);
    }

    /** The same with another patience (the tests'). */
    Connection connect(ConnectionFactory factory, String name, SlowBroker slow, Duration patience)
            throws IOException, TimeoutException {
        long deadline = System.nanoTime() + patience.toNanos();
        for (int attempt = 0;; attempt++) {
            try {
                return factory.newConnection(addresses(), name);
            } catch (TimeoutException e) {
                long pauseMillis = Math.min(1000L << Math.min(attempt, 3), 5000);
                if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMillis) - deadline > 0) {
                    TimeoutException unanswered = new TimeoutException("it took the connections but answered none within "
                            + patience.toSeconds() + " s");
                    unanswered.addSuppressed(e);
                    throw unanswered;
                }
                if (attempt == 0) {
                    slow.waiting(patience);
                }
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The AMQP URI, as {@code ConnectionFactory.setUri} takes it. */
    public String uri() {
        return "amqp://" + encode(username) + ":" + encode(password) + "@" + host + ":" + port + "/"
                + encode(virtualHost == null || virtualHost.isEmpty() ? "/" : virtualHost);
    }

    /** For messages to a person: never shows the password. */
    public String describe() {
        String where = addresses().stream().map(node -> node.getHost() + ":" + node.getPort())
                .collect(Collectors.joining(","));
        return username + "@" + where + (virtualHost == null || "/".equals(virtualHost) ? "" : " vhost " + virtualHost);
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
