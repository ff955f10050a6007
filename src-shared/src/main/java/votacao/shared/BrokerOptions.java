package votacao.shared;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import picocli.CommandLine.Option;

/**
 * The connection flags of the command-line programs (a Picocli mixin). A flag wins over the
 * configuration ({@code rabbitmq-host} … or {@code RABBITMQ_HOST} …), which wins over the defaults of
 * the compose file's broker.
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
        Config config = ConfigProvider.getConfig();
        return new BrokerSettings(
                host != null ? host : config.getOptionalValue("rabbitmq-host", String.class).orElse(BrokerSettings.DEFAULT_HOST),
                port != null ? port : config.getOptionalValue("rabbitmq-port", Integer.class).orElse(BrokerSettings.DEFAULT_PORT),
                username != null ? username
                        : config.getOptionalValue("rabbitmq-username", String.class).orElse(BrokerSettings.DEFAULT_USERNAME),
                password != null ? password
                        : config.getOptionalValue("rabbitmq-password", String.class).orElse(BrokerSettings.DEFAULT_PASSWORD),
                "/");
    }
}
