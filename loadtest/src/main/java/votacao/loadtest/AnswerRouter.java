package votacao.loadtest;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.impl.recovery.AutorecoveringConnection;

import votacao.shared.ClientQueue;
import votacao.shared.ServerMessage;

/**
 * An exclusive queue that hands each arriving answer to the voter it is for (by correlation id), and
 * each result to a listener. One per connection serves all its voters; with --subscribe, each voter
 * has one of its own, bound to the broadcast as a real client's is.
 */
public final class AnswerRouter {

    private final Channel channel;
    private volatile String queue;
    private final Map<String, VirtualVoter> voters = new ConcurrentHashMap<>();

    /** On a channel of its own. */
    public AnswerRouter(Connection connection, boolean bindToBroadcast, Consumer<ServerMessage> results)
            throws IOException {
        this(connection, connection.createChannel(), bindToBroadcast, results);
    }

    /**
     * On a voter's channel, bound to the broadcast (--subscribe).
     *
     * @param channel a channel of {@code connection}
     */
    public AnswerRouter(Connection connection, Channel channel, Consumer<ServerMessage> results) throws IOException {
        this(connection, channel, true, results);
    }

    private AnswerRouter(Connection connection, Channel channel, boolean bindToBroadcast,
            Consumer<ServerMessage> results) throws IOException {
        this.channel = channel;
        ClientQueue.Listener route = (message, correlationId) -> {
            if (message.isAnswer()) {
                VirtualVoter voter = voters.get(correlationId != null ? correlationId : String.valueOf(message.userId()));
                if (voter != null) {
                    voter.answered(message);
                }
            } else if (message.isResult()) {
                results.accept(message);
            }
        };
        queue = ClientQueue.open(channel, bindToBroadcast, route);
        // After a lost connection the broker names the answer queue anew; votes sent again name the new one.
        // (The connection, not the channel's: that is the connection of the moment, not the recovering one.)
        if (connection instanceof AutorecoveringConnection recovering) {
            recovering.addQueueRecoveryListener((oldName, newName) -> {
                if (oldName.equals(queue)) {
                    queue = newName;
                }
            });
        }
    }

    /** The answer queue's name now (it changes when the connection recovers). */
    public String queue() {
        return queue;
    }

    public Channel channel() {
        return channel;
    }

    public void register(VirtualVoter voter) {
        voters.put(voter.correlationId(), voter);
    }
}
