package votacao.loadtest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.impl.recovery.RecordedExchange;
import com.rabbitmq.client.impl.recovery.TopologyRecoveryFilter;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import votacao.shared.BrokerSettings;

/**
 * The connections the virtual voters share, each carrying up to {@code --per-connection} of them as
 * channels. All connections dispatch on one small thread pool: no thread per voter, nor per connection.
 */
public final class ConnectionPool implements AutoCloseable {

    /**
     * How long a connection's close may wait for the broker's answer before the socket is just closed.
     * The broker drops a connection's channels and exclusive queues on its own either way; that work
     * (seconds for thousands of channels) need not keep the user waiting. 500 ms here always ran out and
     * made the close phase 0.55 s; at 50 ms it takes 0.1-0.2 s (against the yardstick, 20,000 voters).
     */
    private static final int CLOSE_PATIENCE_MILLIS = 50;

    private final List<Connection> connections = new ArrayList<>();
    private final ExecutorService dispatch;
    /** The channels taken out of their connection's consumer work pool, put back before the connections close. */
    private final Queue<ConsumerWorkPool.Departure> departed = new ConcurrentLinkedQueue<>();
    private boolean closed;

    private ConnectionPool(ExecutorService dispatch) {
        this.dispatch = dispatch;
    }

    /**
     * Opens {@code count} connections and checks that each can carry {@code channelsEach} channels
     * plus the one its answers arrive on.
     */
    public static ConnectionPool open(BrokerSettings broker, int count, int channelsEach)
            throws IOException, TimeoutException {
        ConnectionFactory factory = broker.connectionFactory();
        factory.setRequestedChannelMax(0);
        // A connection whose broker node goes comes back on another (or the same, once it is back) with its
        // channels, answer queues (under new names: see AnswerRouter) and consumers; LoadRun then sends the
        // votes of that connection that are still unanswered again, with the same message_id.
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        // Not the exchanges: they are durable and the server declares them. The run declares them once, on a
        // channel it closes (PollExchanges), and recovering them through that channel would fail and log it.
        factory.setTopologyRecoveryFilter(new TopologyRecoveryFilter() {
            @Override
            public boolean filterExchange(RecordedExchange exchange) {
                return false;
            }
        });
        factory.setNetworkRecoveryInterval(1000);
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        // Channels still shutting down after the pool closed have nobody to tell: their notices are dropped.
        ConnectionPool pool = new ConnectionPool(new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), daemon("loadtest-dispatch"), new ThreadPoolExecutor.DiscardPolicy()));
        factory.setSharedExecutor(pool.dispatch);
        AtomicBoolean told = new AtomicBoolean(); // once for the run, not once per connection
        BrokerSettings.SlowBroker slow = patience -> {
            if (told.compareAndSet(false, true)) {
                System.err.println("RabbitMQ at " + broker.describe() + " has not answered yet (busy?); trying again for up to "
                        + patience.toSeconds() + " s");
            }
        };
        try {
            // In parallel: each connection is a TCP and AMQP handshake of its own. Every attempt ends as an
            // outcome, so that the connections that did open are closed when another did not, and no failure
            // but the first is left for Mutiny to print as a dropped exception (a stack trace per connection).
            List<Outcome> outcomes = Multi.createFrom().range(0, count)
                    .onItem().transformToUni(i -> Uni.createFrom().item(() -> connect(broker, factory, i, slow))
                            .map(Outcome::opened).onFailure().recoverWithItem(Outcome::failed)
                            .runSubscriptionOn(pool.dispatch))
                    .merge(Math.min(count, 16)).collect().asList().await().indefinitely();
            outcomes.stream().map(Outcome::connection).filter(Objects::nonNull).forEach(pool.connections::add);
            outcomes.stream().map(Outcome::failure).filter(Objects::nonNull).findFirst().ifPresent(failure -> {
                throw failure instanceof RuntimeException unchecked ? unchecked : new CompletionException(failure);
            });
            for (Connection connection : pool.connections) {
                int channelMax = connection.getChannelMax();
                if (channelMax > 0 && channelsEach + 1 > channelMax) {
                    throw new IllegalArgumentException("--per-connection " + channelsEach + " needs " + (channelsEach + 1)
                            + " channels per connection, but the broker allows " + channelMax
                            + ": use --per-connection " + (channelMax - 1) + " or less");
                }
            }
        } catch (RuntimeException e) {
            pool.close();
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof TimeoutException timeout) {
                throw timeout;
            }
            throw e;
        }
        return pool;
    }

    /** How one connection's opening ended: the connection, or why not. */
    private record Outcome(Connection connection, Throwable failure) {
        static Outcome opened(Connection connection) {
            return new Outcome(connection, null);
        }

        static Outcome failed(Throwable failure) {
            return new Outcome(null, failure);
        }
    }

    private static Connection connect(BrokerSettings broker, ConnectionFactory factory, int index,
            BrokerSettings.SlowBroker slow) {
        try {
            return broker.connect(factory, "votacao-loadtest-" + index, slow);
        } catch (IOException | TimeoutException e) {
            throw new CompletionException(e);
        }
    }

    public Connection get(int index) {
        return connections.get(index);
    }

    /** Runs {@code action} each time connection {@code index} has recovered from a loss (channels, queues, consumers). */
    public void onRecovery(int index, Runnable action) {
        if (connections.get(index) instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable recovered) {
                    action.run();
                }

                @Override
                public void handleRecoveryStarted(Recoverable recovering) {
                    // nothing to do until it is back
                }
            });
        }
    }

    /**
     * Says that {@code channel} will never consume: it leaves its connection's consumer work pool, where
     * each channel costs every other channel's opening a little (see {@link ConsumerWorkPool}).
     */
    public void neverConsumes(Channel channel) {
        ConsumerWorkPool.leave(channel).ifPresent(departed::add);
    }

    public int size() {
        return connections.size();
    }

    /** Daemon threads: a stuck broker call must never keep the program from exiting. */
    static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Closes every connection at once, with their channels: closing tens of thousands of channels one
     * by one would cost a round trip each. Safe to call twice.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        departed.forEach(ConsumerWorkPool.Departure::rejoin); // so that the client's shutdown sees them all
        ExecutorService closing = Executors.newFixedThreadPool(Math.max(1, connections.size()),
                daemon("loadtest-close"));
        try {
            closing.invokeAll(connections.stream().map(connection -> (Callable<Void>) () -> {
                connection.abort(CLOSE_PATIENCE_MILLIS);
                return null;
            }).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connections.forEach(Connection::abort);
        } finally {
            closing.shutdownNow();
            dispatch.shutdown();
        }
    }
}
