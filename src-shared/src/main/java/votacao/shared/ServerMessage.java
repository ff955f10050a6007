package votacao.shared;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Everything the server says, told apart by {@code tipo}. Only the fields of that kind are set;
 * unknown fields are ignored when reading, so a newer server never breaks an older client.
 *
 * @param tipo one of the constants below
 * @param userId the voter answered ({@code confirmacao}, {@code erro})
 * @param mensagem the text of the answer ({@code confirmacao}, {@code erro})
 * @param resultado count per option, every option present ({@code parcial}, {@code final})
 * @param total extension: the sum of {@code resultado}
 * @param encerraEm extension: when the voting window closes (or closed), ISO-8601
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServerMessage(String tipo, String userId, String mensagem, Map<String, Long> resultado, Long total,
        String encerraEm) {

    public static final String CONFIRMACAO = "confirmacao";
    public static final String ERRO = "erro";
    public static final String PARCIAL = "parcial";
    public static final String FINAL = "final";

    public static ServerMessage confirmation(String userId) {
        return new ServerMessage(CONFIRMACAO, userId, Texts.VOTE_RECORDED, null, null, null);
    }

    public static ServerMessage error(String userId, String text) {
        return new ServerMessage(ERRO, userId, text, null, null, null);
    }

    public static ServerMessage partial(Map<String, Long> result, Instant closesAt) {
        return result(PARCIAL, result, closesAt);
    }

    public static ServerMessage finalResult(Map<String, Long> result, Instant closesAt) {
        return result(FINAL, result, closesAt);
    }

    private static ServerMessage result(String tipo, Map<String, Long> result, Instant closesAt) {
        long total = result.values().stream().mapToLong(Long::longValue).sum();
        return new ServerMessage(tipo, null, null, result, total, closesAt == null ? null : closesAt.toString());
    }

    @JsonIgnore
    public boolean isAnswer() {
        return CONFIRMACAO.equals(tipo) || ERRO.equals(tipo);
    }

    @JsonIgnore
    public boolean isResult() {
        return PARCIAL.equals(tipo) || FINAL.equals(tipo);
    }
}
