package votacao.server.poll;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One line of the ledger. Kinds: {@code abertura} opens a poll (its options and closing time),
 * {@code voto} records an accepted vote of that poll, {@code encerramento} says its final result was
 * published, {@code inicio} marks a server start (the end of what that start must replay).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LedgerEntry(String tipo, String enquete, String userId, String opcao, String messageId,
        List<String> opcoes, String encerraEm, String marca) {

    public static final String OPENING = "abertura";
    public static final String VOTE = "voto";
    public static final String CLOSING = "encerramento";
    public static final String START = "inicio";

    public static LedgerEntry opening(String pollId, List<String> options, String closesAt) {
        return new LedgerEntry(OPENING, pollId, null, null, null, options, closesAt, null);
    }

    public static LedgerEntry vote(String pollId, String userId, String option, String messageId) {
        return new LedgerEntry(VOTE, pollId, userId, option, messageId, null, null, null);
    }

    public static LedgerEntry closing(String pollId) {
        return new LedgerEntry(CLOSING, pollId, null, null, null, null, null, null);
    }

    public static LedgerEntry start(String mark) {
        return new LedgerEntry(START, null, null, null, null, null, null, mark);
    }
}
