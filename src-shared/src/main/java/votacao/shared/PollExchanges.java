package votacao.shared;

import java.io.IOException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

/**
 * The protocol's two exchanges as a voter's program meets them. It declares them, as the original client
 * does, so that it may start before any server. A voters' user that may not configure them (the
 * least-privilege user of the README: it can publish votes and read results, not write results or the
 * ledger) is refused that; it checks instead that a server has declared them.
 */
public final class PollExchanges {

    private PollExchanges() {
    }

    /** The exchanges do not exist, and this program's user may not declare them: no server has run here. */
    public static final class Missing extends IOException {
        Missing(IOException cause) {
            super("the exchanges " + Protocol.VOTES_EXCHANGE + " and " + Protocol.BROADCAST_EXCHANGE
                    + " do not exist and this user may not declare them", cause);
        }
    }

    /**
     * Declares both exchanges, or, when the broker refuses this user that, checks that both exist. Each
     * attempt is on a channel of its own, which a refusal closes.
     */
    public static void declareOrCheck(Connection connection) throws IOException {
        try {
            onOwnChannel(connection, false);
        } catch (IOException refused) {
            if (Failures.channelErrorCode(refused) != AMQP.ACCESS_REFUSED) {
                throw refused;
            }
            try {
                onOwnChannel(connection, true);
            } catch (IOException missing) {
                throw Failures.channelErrorCode(missing) == AMQP.NOT_FOUND ? new Missing(missing) : missing;
            }
        }
    }

    private static void onOwnChannel(Connection connection, boolean passive) throws IOException {
        Channel channel = connection.createChannel();
        try {
            if (passive) {
                channel.exchangeDeclarePassive(Protocol.VOTES_EXCHANGE);
                channel.exchangeDeclarePassive(Protocol.BROADCAST_EXCHANGE);
            } else {
                channel.exchangeDeclare(Protocol.VOTES_EXCHANGE, BuiltinExchangeType.DIRECT, true);
                channel.exchangeDeclare(Protocol.BROADCAST_EXCHANGE, BuiltinExchangeType.FANOUT, true);
            }
        } finally {
            // Quiet whether or not a refusal closed it already: the declaration's outcome is what counts.
            channel.abort();
        }
    }
}
