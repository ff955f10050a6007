package votacao.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import votacao.shared.ServerMessage;

class TallyChartTest {

    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

    @Test
    void drawsOneProportionalBarPerOptionWithCountAndPercentage() {
        List<String> lines = TallyChart.bars(ServerMessage.partial(result(3, 1, 0), NOW.plusSeconds(95)), NOW);
        assertEquals("Resultado parcial · 4 votos · encerra em 1:35", lines.get(0));
        assertEquals(4, lines.size());
        assertTrue(lines.get(1).startsWith("  A │" + "█".repeat(23) + "░".repeat(7) + "│"), lines.get(1));
        assertTrue(lines.get(1).endsWith("3   75,0%"), lines.get(1));
        assertTrue(lines.get(3).contains("░".repeat(30)));
        assertTrue(lines.get(3).endsWith("0    0,0%"), lines.get(3));
    }

    @Test
    void anEmptyPollDrawsEmptyBars() {
        List<String> lines = TallyChart.bars(ServerMessage.finalResult(result(0, 0, 0), NOW), NOW);
        assertEquals("Resultado final · 0 votos · votação encerrada", lines.get(0));
    }

    @Test
    void plainOutputIsOneLine() {
        assertEquals("parcial: A=1 (50,0%) B=1 (50,0%) C=0 (0,0%) total=2",
                TallyChart.line(ServerMessage.partial(result(1, 1, 0), null)));
    }

    @Test
    void optionsMatchExactlyOrByCaseWhenUnambiguous() {
        assertEquals("B", VoteCommand.match("B", List.of("A", "B")));
        assertEquals("Sim", VoteCommand.match("sim", List.of("Sim", "Não")));
        assertEquals("A", VoteCommand.match("a", List.of("A", "a ")));
        assertNull(VoteCommand.match("x", List.of("x2", "X3")), "no option matches");
        assertNull(VoteCommand.match("sim", List.of("Sim", "SIM")), "ambiguous without the exact case");
    }

    private static Map<String, Long> result(long a, long b, long c) {
        Map<String, Long> result = new LinkedHashMap<>();
        result.put("A", a);
        result.put("B", b);
        result.put("C", c);
        return result;
    }
}
