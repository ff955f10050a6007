package votacao.loadtest;

import java.lang.reflect.Field;
import java.util.Optional;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.impl.AMQConnection;
import com.rabbitmq.client.impl.ChannelN;
import com.rabbitmq.client.impl.ConsumerWorkService;
import com.rabbitmq.client.impl.recovery.AutorecoveringChannel;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Takes a channel that never consumes out of its connection's consumer work pool, and puts it back.
 *
 * <p>Why: the AMQP Java client (5.20 here; 5.38, the newest, does the same) keeps a work queue per
 * channel for consumer callbacks, and around every RPC of any channel (opening a channel is one) it sets
 * the capacity of every queue of that connection ({@code WorkPool.unlimit}/{@code limit}). With a
 * thousand voters' channels on a connection that is a walk over up to a thousand queues, twice, for each
 * channel opened: 18 % of the load generator's CPU in a 20,000-voter run ({@code bench/profile.sh
 * loadtest}). A voter's channel publishes and never consumes: its answers come to its connection's shared
 * answer queue, consumed on another channel, and publisher confirms are told on the connection's reader
 * thread, not through this pool. So it needs no queue there.
 *
 * <p>The client has no public way to do this: its work service is a protected field of the connection,
 * read here by reflection (registered for the native build). Should a later client rename it, {@link
 * #leave} leaves the channel where it is and the run only costs more CPU; {@code ConsumerWorkPoolTest}
 * fails then, to say so.
 *
 * <p>A channel out of the pool is not told of its shutdown through it, and the client's shutdown monitor
 * (a daemon thread, whose log this program turns off) waits for that notice up to its timeout. So the
 * channels are put back before their connections are closed ({@link Departure#rejoin}). After a
 * connection loss they are not: its recovery opens new channels, which stay in the new pool.
 */
@RegisterForReflection(targets = AMQConnection.class, methods = false)
final class ConsumerWorkPool {

    private static final Field WORK_SERVICE = workServiceField();

    private ConsumerWorkPool() {
    }

    /** A channel out of its connection's consumer work pool: {@link #rejoin} puts it back. */
    record Departure(ConsumerWorkService service, ChannelN channel) {
        void rejoin() {
            service.registerKey(channel);
        }
    }

    /** Takes {@code channel}, which must never consume, out of its connection's pool: empty if it cannot. */
    static Optional<Departure> leave(Channel channel) {
        Channel delegate = channel instanceof AutorecoveringChannel recovering ? recovering.getDelegate() : channel;
        if (WORK_SERVICE == null || !(delegate instanceof ChannelN channelN)) {
            return Optional.empty();
        }
        try {
            ConsumerWorkService service = (ConsumerWorkService) WORK_SERVICE.get(channelN.getConnection());
            service.stopWork(channelN);
            return Optional.of(new Departure(service, channelN));
        } catch (IllegalAccessException | ClassCastException e) {
            return Optional.empty();
        }
    }

    private static Field workServiceField() {
        try {
            Field field = AMQConnection.class.getDeclaredField("_workService");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;
        }
    }
}
