package votacao.server.amqp;

import java.io.IOException;

import org.jboss.logging.Logger;

import com.rabbitmq.client.Channel;

/** What every user of a channel of its own needs once it is done with it. */
final class Channels {

    private static final Logger LOG = Logger.getLogger(Channels.class);

    private Channels() {
    }

    /**
     * Closes a channel without waiting for the broker, and stops the connection's recovery from reopening
     * it; a channel already gone is no error: only its user used it.
     */
    static void abortQuietly(Channel channel) {
        try {
            channel.abort();
        } catch (IOException | RuntimeException e) {
            LOG.debugf("aborting a channel: %s", e.getMessage());
        }
    }
}
