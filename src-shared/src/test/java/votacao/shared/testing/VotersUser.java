package votacao.shared.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;

import votacao.shared.Failures;

/**
 * A broker user with the voters' least privilege, as the README's "A voters' user" sets one up: it may
 * declare its own server-named queues, publish votes, and read the results, nothing else. Created on the
 * tests' private broker (never a user's), deleted when closed.
 */
public final class VotersUser implements AutoCloseable {

    /** The README's permissions, in {@code rabbitmqctl set_permissions}' order: configure, write, read. */
    public static final String CONFIGURE = "^amq\\.gen-.*";
    public static final String WRITE = "^(votacao\\.votos|amq\\.gen-.*)$";
    public static final String READ = "^(votacao\\.broadcast|amq\\.gen-.*)$";

    private final String name;
    private final String password;
    private final String virtualHost;

    private VotersUser(String name, String password, String virtualHost) {
        this.name = name;
        this.password = password;
        this.virtualHost = virtualHost;
    }

    /** On the virtual host the programs use. */
    public static VotersUser create() {
        return create(VoterProbe.broker().virtualHost());
    }

    /** On the given virtual host, which exists. */
    public static VotersUser create(String virtualHost) {
        VotersUser user = new VotersUser(VoterProbe.uniqueUser("eleitor"), VoterProbe.uniqueUser("senha"), virtualHost);
        TestBroker.rabbitmqctlOutput("add_user", user.name, user.password);
        TestBroker.rabbitmqctlOutput("set_permissions", "-p", virtualHost, user.name, CONFIGURE, WRITE, READ);
        return user;
    }

    /** A command line of the client or the load generator, with the options that make it this user. */
    public String[] arguments(String... command) {
        return Stream.concat(Stream.of(command), Stream.of("--username", name, "--password", password))
                .toArray(String[]::new);
    }

    public ConnectionFactory factory() {
        return VoterProbe.factory(name, password, virtualHost);
    }

    /**
     * Publishes a message as this user (with a publisher confirm) and returns the reply code of the channel
     * error the broker answered with: {@code ACCESS_REFUSED} where it may not write; 0 when it took it.
     */
    public static int publishRefusal(Connection connection, String exchange, String routingKey)
            throws IOException, InterruptedException, TimeoutException {
        Channel channel = connection.createChannel();
        try {
            channel.confirmSelect();
            channel.basicPublish(exchange, routingKey, null, "[]".getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5000);
            return 0;
        } catch (IOException | ShutdownSignalException refused) {
            return Failures.channelErrorCode(refused);
        } finally {
            channel.abort();
        }
    }

    @Override
    public void close() {
        TestBroker.rabbitmqctlOutput("delete_user", name);
    }
}
