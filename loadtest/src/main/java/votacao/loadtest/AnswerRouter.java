package votacao.loadtest;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import votacao.shared.ClientQueue;
import votacao.shared.ServerMessage;

/**
 * An exclusive queue that hands each arriving answer to the voter it is for (by correlation id), and
 * each result to a listener. One per connection serves all its voters; with --subscribe, each voter
 * has one of its own, bound to the broadcast as a real client's is.
 */
public final class AnswerRouter {

    private final Channel channel;
    private final String queue;
    private final Map<String, VirtualVoter> voters = new ConcurrentHashMap<>();

    public AnswerRouter(Connection connection, boolean bindToBroadcast, Consumer<ServerMessage> results)
            throws IOException {
        this(connection.createChannel(), bindToBroadcast, results);
    }

    public AnswerRouter(Channel channel, boolean bindToBroadcast, Consumer<ServerMessage> results) throws IOException {
        this.channel = channel;
        queue = ClientQueue.open(channel, bindToBroadcast, (message, correlationId) -> {
            if (message.isAnswer()) {
                VirtualVoter voter = voters.get(correlationId != null ? correlationId : String.valueOf(message.userId()));
                if (voter != null) {
                    voter.answered(message);
                }
            } else if (message.isResult()) {
                results.accept(message);
            }
        });
    }

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
