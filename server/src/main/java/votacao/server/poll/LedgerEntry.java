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
 * {@code inicio} marks a server start (the end of what that start must replay). Entries written by
 * earlier versions lack the newer fields; a reader takes them as absent.
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

    /** An accepted vote with the credential it came with (signed mode), kept for the audit. */
    public static LedgerEntry vote(String pollId, String userId, String option, String messageId, String decidedAt,
            String credential) {
        return new LedgerEntry(VOTE, pollId, userId, option, messageId, null, null, null, decidedAt, null, credential,
                null);
    }

    /** The close of a poll and the final result that went out. */
    public static LedgerEntry closing(String pollId, Map<String, Long> finalTally) {
        return new LedgerEntry(CLOSING, pollId, null, null, null, null, null, null, null, finalTally, null, null);
    }

    public static LedgerEntry start(String mark) {
        return new LedgerEntry(START, null, null, null, null, null, null, mark, null, null, null, null);
    }
}
