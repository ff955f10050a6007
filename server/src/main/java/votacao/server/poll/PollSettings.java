package votacao.server.poll;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import votacao.shared.Protocol;

/** The poll as configured: {@code votacao.*} properties, or {@code VOTACAO_*} environment variables. */
@ConfigMapping(prefix = "votacao")
public interface PollSettings {

    /** How long the voting window stays open after a poll is opened. */
    @WithDefault("180s")
    Duration duracao();

    /** The options a vote may choose, matched exactly. */
    @WithDefault(Protocol.DEFAULT_OPTIONS_TEXT)
    List<String> opcoes();

    /** Size of the pool of vote workers (its default is in application.properties, which also sizes the pool). */
    int workers();

    /**
     * How often the log says how many votes were accepted and refused. Read by the activity log's schedule
     * ({@code ${votacao.resumo}}); declared here so that a bad value fails at start.
     */
    @WithDefault("10s")
    Duration resumo();

    Parcial parcial();

    Ledger ledger();

    Fila fila();

    /**
     * Who may vote: {@code aberta}, anyone as anyone (the original protocol), or {@code assinada}, with a
     * credential signed by the poll's authority (see votacao.shared.Credential).
     */
    @WithDefault("aberta")
    String identidade();

    /** The poll's name, the one its voters' credentials carry (signed mode). */
    Optional<String> enquete();

    /** The poll authority's Ed25519 public key, a PEM file (signed mode). */
    @WithName("chave-publica")
    Optional<String> chavePublica();

    /**
     * On how many nodes of a RabbitMQ cluster a new {@code votos}, {@code votos.dlq} and ledger start (their
     * initial group or cluster size); unset: the broker's default (every node, at most 3 for a quorum queue).
     * An existing queue keeps its replicas ({@code rabbitmq-queues add_member} adds one).
     */
    Optional<Integer> replicas();

    /** Open a new poll at start even if the ledger holds one still running. */
    @WithName("nova-enquete")
    @WithDefault("false")
    boolean novaEnquete();

    interface Parcial {
        /**
         * At most one {@code parcial} per interval (whole seconds: the scheduler's finest step); 0 sends one
         * after every counted vote.
         */
        @WithDefault("1s")
        Duration intervalo();

        /** How often the latest result is sent again, so that a client that joins late sees it. */
        @WithDefault("5s")
        Duration reenvio();
    }

    /** The bounds of the vote queue and of its dead letters (applied when the server declares them). */
    interface Fila {
        /**
         * At most this many votes wait in {@code votos}; beyond, the broker refuses a vote to its publisher
         * (overflow {@code reject-publish}: a publisher with confirms gets a nack, nothing is dropped silently).
         */
        @WithName("max-votos")
        @WithDefault("1000000")
        int maxVotos();

        /** At most this many messages wait in {@code votos.dlq}; beyond, the oldest go (overflow {@code drop-head}). */
        @WithName("max-descartes")
        @WithDefault("100000")
        int maxDescartes();
    }

    interface Ledger {
        /** The RabbitMQ stream that holds the poll's durable record. */
        @WithDefault("votacao.ledger")
        String stream();

        /** How long a start may take to replay the ledger before it gives up. */
        @WithName("replay-timeout")
        @WithDefault("300s")
        Duration replayTimeout();

        /**
         * How long the ledger keeps what it holds (the stream's {@code x-max-age}; 0: for ever). Must exceed the
         * window by a day at least, so that the running poll is never trimmed (checked at start).
         */
        @WithDefault("30d")
        Duration retencao();
    }
}
