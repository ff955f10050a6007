package votacao.loadtest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;

import votacao.shared.ServerMessage;
import votacao.shared.Vote;

/**
 * Makes the run's voters, each on a channel of its own, taking the connections in turn, with the answer
 * queue it listens on: its connection's shared one, or with --subscribe one of its own bound to the
 * broadcast, as a real client's is.
 */
final class VoterFactory {

    private final LoadPlan plan;
    private final ConnectionPool pool;
    private final VoterCredentials credentials;
    private final RunStats stats;
    /** The answer queue each connection's voters share (none with --subscribe, where each has its own, nor --legacy). */
    private final List<AnswerRouter> shared;

    /**
     * @param credentials signs each voter's credential (a poll in signed mode); null for none
     * @param results where the results that reach the shared answer queues go
     */
    VoterFactory(LoadPlan plan, ConnectionPool pool, VoterCredentials credentials, RunStats stats,
            Consumer<ServerMessage> results) throws IOException {
        this.plan = plan;
        this.pool = pool;
        this.credentials = credentials;
        this.stats = stats;
        shared = new ArrayList<>(pool.size());
        for (int c = 0; c < pool.size(); c++) {
            shared.add(plan.subscribe() || plan.legacy() ? null : new AnswerRouter(pool.get(c), false, results));
        }
    }

    /**
     * The connection of voter {@code i}: in turn over the connections, as the original load generator does.
     * Each connection's channel openings are handled one at a time by the broker, so voters spread over all
     * of them open sooner (8 % off the headline against the yardstick, 3 runs each, alternated).
     */
    int connectionOf(int i) {
        return i % pool.size();
    }

    /**
     * Voter {@code i}, its channel open; while its connection is lost (its broker node went away) tries
     * again until the connection has recovered, within the run's timeout.
     */
    VirtualVoter open(int i) throws IOException {
        long deadline = System.nanoTime() + plan.timeout().toNanos();
        int connection = connectionOf(i);
        while (true) {
            try {
                return newVoter(pool.get(connection), shared.get(connection), i);
            } catch (IOException | ShutdownSignalException lost) { // AlreadyClosedException is one
                if (System.nanoTime() > deadline) {
                    throw lost instanceof IOException io ? io : new IOException(lost);
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while the connection recovered", e);
                }
            }
        }
    }

    private VirtualVoter newVoter(Connection connection, AnswerRouter shared, int i) throws IOException {
        Channel channel = connection.createChannel();
        AnswerRouter router;
        if (plan.subscribe()) {
            router = new AnswerRouter(connection, channel, result -> stats.broadcastsReceived.increment());
        } else {
            pool.neverConsumes(channel); // its answers come to the connection's shared queue, or none are awaited
            router = shared;
        }
        Vote vote = new Vote(plan.userId(i), plan.optionOf(i));
        VirtualVoter voter = new VirtualVoter(vote, credentials == null ? null : credentials.issue(vote.userId()),
                connection, channel, router == null ? null : router::queue, i < plan.duplicates(),
                plan.brokerConfirms(), stats);
        if (router != null) {
            router.register(voter);
        }
        return voter;
    }
}
