package votacao.shared;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where a program finds the broker. Every program reads the same keys ({@code rabbitmq-host},
 * {@code rabbitmq-port}, {@code rabbitmq-username}, {@code rabbitmq-password}, or their environment
 * forms) with the defaults of the compose file's broker.
 */
public record BrokerSettings(String host, int port, String username, String password, String virtualHost) {

    public static final String DEFAULT_HOST = "localhost";
    public static final int DEFAULT_PORT = 5672;
    public static final String DEFAULT_USERNAME = "admin";
    public static final String DEFAULT_PASSWORD = "admin";

    /** The AMQP URI, as {@code ConnectionFactory.setUri} takes it. */
    public String uri() {
        return "amqp://" + encode(username) + ":" + encode(password) + "@" + host + ":" + port + "/"
                + encode(virtualHost == null || virtualHost.isEmpty() ? "/" : virtualHost);
    }

    /** For messages to a person: never shows the password. */
    public String describe() {
        return username + "@" + host + ":" + port;
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
