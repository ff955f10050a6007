package votacao.shared;

import picocli.CommandLine.Option;

/**
 * The connection flags of the command-line programs (a Picocli mixin). A flag wins over the
 * configuration ({@code rabbitmq-host} … or {@code RABBITMQ_HOST} …), which wins over the defaults of
 * the compose file's broker ({@link BrokerSettings}).
 */
public final class BrokerOptions {

    @Option(names = "--host", paramLabel = "HOST", description = "RabbitMQ host (RABBITMQ_HOST; default localhost).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "RabbitMQ port (RABBITMQ_PORT; default 5672).")
    Integer port;

    @Option(names = "--username", paramLabel = "USER", description = "RabbitMQ user (RABBITMQ_USERNAME; default admin).")
    String username;

    @Option(names = "--password", paramLabel = "PASSWORD",
            description = "RabbitMQ password (RABBITMQ_PASSWORD; default admin).")
    String password;

    public BrokerSettings settings() {
        return BrokerSettings.fromConfig().with(host, port, username, password);
    }
}
