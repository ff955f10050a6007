package votacao.server.poll;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One line of the ledger. Kinds: {@code abertura} opens a poll (its options and closing time),
 * {@code voto} records an accepted vote of that poll (and {@code em}, when it was decided; in signed
 * mode {@code credencial}, the credential it came with), {@code abertura} names the poll ({@code nome})
 * its credentials must carry in signed mode,
 * {@code encerramento} says its final result was published (and {@code resultado}, that result),
 * {@code inicio} marks a server start (the end of what that start must replay), {@code ativacao}
 * marks a server becoming the one that decides ({@code marca}, its fencing token: the votes and the
 * closing it writes carry it, and once a newer {@code ativacao} is written those of an older one no
 * longer count). Entries written by earlier versions lack the newer fields; a reader takes them as absent.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LedgerEntry(String tipo, String enquete, String userId, String opcao, String messageId,
        List<String> opcoes, String encerraEm, String marca, String em, Map<String, Long> resultado,
        String credencial, String nome) {

    public static final String OPENING = "abertura";
    public static final String VOTE = "voto";
    public static final String CLOSING = "encerramento";
    public static final String START = "inicio";
    public static final String ACTIVATION = "ativacao";

    public static LedgerEntry opening(String pollId, List<String> options, String closesAt) {
        return opening(pollId, options, closesAt, null);
    }

    /** The opening of a poll; {@code name} is the name its voters' credentials carry (signed mode), else null. */
    public static LedgerEntry opening(String pollId, List<String> options, String closesAt, String name) {
        return new LedgerEntry(OPENING, pollId, null, null, null, options, closesAt, null, null, null, null, name);
    }

    /** An accepted vote, decided at {@code decidedAt} (an ISO-8601 instant). */
    public static LedgerEntry vote(String pollId, String userId, String option, String messageId, String decidedAt) {
        return vote(pollId, userId, option, messageId, decidedAt, null);
    }

    /**
     * An accepted vote with the credential it came with (signed mode, else null), kept for the audit, decided
     * by the server activated with {@code activation} (null: a server of an earlier version).
     */
    public static LedgerEntry vote(String pollId, String userId, String option, String messageId, String decidedAt,
            String credential, String activation) {
        return new LedgerEntry(VOTE, pollId, userId, option, messageId, null, null, activation, decidedAt, null,
                credential, null);
    }

    public static LedgerEntry vote(String pollId, String userId, String option, String messageId, String decidedAt,
            String credential) {
        return vote(pollId, userId, option, messageId, decidedAt, credential, null);
    }

    /** The close of a poll and the final result that went out. */
    public static LedgerEntry closing(String pollId, Map<String, Long> finalTally) {
        return closing(pollId, finalTally, null);
    }

    /** The close of a poll and the final result that the server activated with {@code activation} sent out. */
    public static LedgerEntry closing(String pollId, Map<String, Long> finalTally, String activation) {
        return new LedgerEntry(CLOSING, pollId, null, null, null, null, null, activation, null, finalTally, null, null);
    }

    /** A server becomes the one that decides; {@code mark} is new, its fencing token. */
    public static LedgerEntry activation(String mark) {
        return new LedgerEntry(ACTIVATION, null, null, null, null, null, null, mark, null, null, null, null);
    }

    public static LedgerEntry start(String mark) {
        return new LedgerEntry(START, null, null, null, null, null, null, mark, null, null, null, null);
    }
}
