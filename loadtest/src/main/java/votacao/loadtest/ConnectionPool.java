package votacao.loadtest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import votacao.shared.BrokerSettings;

/**
 * The connections the virtual voters share, each carrying up to {@code --per-connection} of them as
 * channels. All connections dispatch on one small thread pool: no thread per voter, nor per connection.
 */
public final class ConnectionPool implements AutoCloseable {

    private final List<Connection> connections = new ArrayList<>();
    private final ExecutorService dispatch;

    private ConnectionPool(ExecutorService dispatch) {
        this.dispatch = dispatch;
    }

    /**
     * Opens {@code count} connections and checks that each can carry {@code channelsEach} channels
     * plus the one its answers arrive on.
     */
    public static ConnectionPool open(BrokerSettings broker, int count, int channelsEach)
            throws IOException, TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(broker.uri());
        } catch (Exception e) {
            throw new IOException("invalid broker address " + broker.describe(), e);
        }
        factory.setRequestedChannelMax(0);
        factory.setConnectionTimeout(5000);
        factory.setAutomaticRecoveryEnabled(false);
        ConnectionPool pool = new ConnectionPool(Executors.newFixedThreadPool(
                Math.max(2, Runtime.getRuntime().availableProcessors()), daemon()));
        factory.setSharedExecutor(pool.dispatch);
        try {
            for (int i = 0; i < count; i++) {
                Connection connection = factory.newConnection("votacao-loadtest-" + i);
                pool.connections.add(connection);
                int channelMax = connection.getChannelMax();
                if (channelMax > 0 && channelsEach + 1 > channelMax) {
                    throw new IllegalArgumentException("--per-connection " + channelsEach + " needs " + (channelsEach + 1)
                            + " channels per connection, but the broker allows " + channelMax
                            + ": use --per-connection " + (channelMax - 1) + " or less");
                }
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            pool.close();
            throw e;
        }
        return pool;
    }

    public Connection get(int index) {
        return connections.get(index);
    }

    public int size() {
        return connections.size();
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return runnable -> {
            Thread thread = new Thread(runnable, "loadtest-dispatch");
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        for (Connection connection : connections) {
            try {
                connection.close(5000);
            } catch (IOException | RuntimeException e) {
                connection.abort();
            }
        }
        dispatch.shutdownNow();
    }
}
