package votacao.client;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import votacao.shared.ServerMessage;

/** Draws a result as text: a block of horizontal bars for a terminal, or one plain line for a log. */
public final class TallyChart {

    private static final Locale PT_BR = Locale.forLanguageTag("pt-BR");
    private static final int BAR_WIDTH = 30;

    private TallyChart() {
    }

    /** The block of lines for a terminal: a heading, then one bar per option. */
    public static List<String> bars(ServerMessage result, Instant now) {
        List<String> lines = new ArrayList<>();
        long total = total(result);
        lines.add(heading(result, total, now));
        int labelWidth = result.resultado().keySet().stream().mapToInt(String::length).max().orElse(1);
        for (Map.Entry<String, Long> option : result.resultado().entrySet()) {
            long count = option.getValue();
            int filled = total == 0 ? 0 : (int) Math.round(BAR_WIDTH * (double) count / total);
            lines.add(String.format(PT_BR, "  %-" + labelWidth + "s │%s%s│ %6d  %5.1f%%", option.getKey(),
                    "█".repeat(filled), "░".repeat(BAR_WIDTH - filled), count, percent(count, total)));
        }
        return lines;
    }

    /** One line, for output that is not a terminal. */
    public static String line(ServerMessage result) {
        long total = total(result);
        StringBuilder text = new StringBuilder(ServerMessage.FINAL.equals(result.tipo()) ? "final:" : "parcial:");
        result.resultado().forEach((option, count) -> text.append(
                String.format(PT_BR, " %s=%d (%.1f%%)", option, count, percent(count, total))));
        return text.append(" total=").append(total).toString();
    }

    private static String heading(ServerMessage result, long total, Instant now) {
        String votes = total == 1 ? "1 voto" : total + " votos";
        if (ServerMessage.FINAL.equals(result.tipo())) {
            return "Resultado final · " + votes + " · votação encerrada";
        }
        return "Resultado parcial · " + votes + timeLeft(result.encerraEm(), now);
    }

    private static String timeLeft(String closesAt, Instant now) {
        if (closesAt == null) {
            return "";
        }
        try {
            Duration left = Duration.between(now, Instant.parse(closesAt));
            if (left.isNegative()) {
                return " · encerrando";
            }
            return String.format(" · encerra em %d:%02d", left.toMinutes(), left.toSecondsPart());
        } catch (DateTimeParseException e) {
            return "";
        }
    }

    private static long total(ServerMessage result) {
        return result.resultado().values().stream().mapToLong(Long::longValue).sum();
    }

    private static double percent(long count, long total) {
        return total == 0 ? 0 : 100.0 * count / total;
    }
}
