package votacao.shared;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

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

    @Option(names = "--hosts", paramLabel = "HOST:PORT,…",
            description = "RabbitMQ cluster nodes (RABBITMQ_HOSTS), e.g. mq1:5672,mq2:5672: a connection goes to the first "
                    + "that answers, and to another when its node goes away.")
    String hosts;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The broker to use; a list of nodes that is not one is the user's mistake, said in one line. */
    public BrokerSettings settings() {
        try {
            return BrokerSettings.fromConfig().with(host, port, username, password, hosts);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), "--hosts (or RABBITMQ_HOSTS): " + e.getMessage());
        }
    }
}
