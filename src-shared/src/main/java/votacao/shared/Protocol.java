package votacao.shared;

import java.util.List;

/**
 * The names of the wire contract: exchanges, queues and routing keys that every program and every
 * third-party client agree on. Changing one of these breaks compatibility with the original system.
 */
public final class Protocol {

    /** Direct exchange that votes are published to. */
    public static final String VOTES_EXCHANGE = "votacao.votos";
    /** Routing key of a vote on {@link #VOTES_EXCHANGE}. */
    public static final String VOTE_ROUTING_KEY = "voto";
    /** The server's durable queue of votes, bound to {@link #VOTES_EXCHANGE} with {@link #VOTE_ROUTING_KEY}. */
    public static final String VOTES_QUEUE = "votos";
    /** Where votes that cannot be read are set aside, with the reason in a header. */
    public static final String DEAD_LETTER_QUEUE = "votos.dlq";
    /** Header of a dead-lettered vote that says why it was set aside. */
    public static final String DEAD_LETTER_REASON_HEADER = "x-votacao-motivo";
    /**
     * AMQP {@code type} of the servers' baton in {@link #VOTES_QUEUE}: not a vote, and never answered. The
     * server the broker delivers it to decides the votes (see the server's {@code Baton}).
     */
    public static final String BATON_TYPE = "votacao.vez";
    /** Fanout exchange of everything the server says to all clients. */
    public static final String BROADCAST_EXCHANGE = "votacao.broadcast";

    /** Prefix of the queues the broker names for a client that declares a queue without a name. */
    public static final String SERVER_NAMED_QUEUE_PREFIX = "amq.gen-";
    /** RabbitMQ's direct reply-to pseudo-queue; a vote carries it with a suffix the broker adds. */
    public static final String DIRECT_REPLY_TO = "amq.rabbitmq.reply-to";

    public static final String CONTENT_TYPE = "application/json";
    public static final String CONTENT_ENCODING = "UTF-8";
    /** AMQP delivery mode of a message that must survive a broker restart. */
    public static final int PERSISTENT = 2;

    /** Options of a poll when none are configured, as in the original system (as a configuration value). */
    public static final String DEFAULT_OPTIONS_TEXT = "A,B,C";
    /** The same options, as a list. */
    public static final List<String> DEFAULT_OPTIONS = List.of(DEFAULT_OPTIONS_TEXT.split(","));

    /** A vote body larger than this is not read: a real one is a few dozen bytes. */
    public static final int MAX_VOTE_BYTES = 4096;

    /**
     * Whether a vote's {@code reply_to} names a queue that only its sender can own: one the broker named
     * for a client, or a direct reply-to name of the broker's own form ({@link DirectReplyTo}; whether its
     * node is the broker's is for the server to check). Names a client chooses could be anyone's queue
     * (the server's own ledger, {@code votos}), so the server never answers into them.
     */
    public static boolean isClientReplyQueue(String replyTo) {
        return replyTo != null
                && (replyTo.startsWith(SERVER_NAMED_QUEUE_PREFIX) || DirectReplyTo.node(replyTo).isPresent());
    }

    private Protocol() {
    }
}
