package votacao.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LoadPlanTest {

    @Test
    void votersAreSpreadOverAsFewConnectionsAsTheLimitAllows() {
        assertEquals(20, plan(20_000, 1000, List.of()).connections());
        assertEquals(3, plan(2001, 1000, List.of()).connections());
        assertEquals(1, plan(1, 1000, List.of()).connections());
    }

    @Test
    void weightsAreDealtOutExactly() {
        LoadPlan plan = plan(100, 100, List.of(50, 30, 20));
        Map<String, Integer> dealt = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            dealt.merge(plan.optionOf(i), 1, Integer::sum);
        }
        assertEquals(Map.of("A", 50, "B", 30, "C", 20), dealt);
    }

    @Test
    void withoutWeightsOptionsTakeTurns() {
        LoadPlan plan = plan(6, 10, List.of());
        assertEquals(List.of("A", "B", "C", "A"), List.of(plan.optionOf(0), plan.optionOf(1), plan.optionOf(2),
                plan.optionOf(3)));
    }

    @Test
    void userIdsCarryTheRunId() {
        assertEquals("run-7", plan(10, 10, List.of()).userId(7));
    }

    @Test
    void theRampUpSpreadsStartsEvenly() {
        LoadPlan plan = new LoadPlan(10, 10, 0, Duration.ofSeconds(10), false, List.of("A"), List.of(), 0, false, false,
                Duration.ofSeconds(5), "run");
        assertEquals(Duration.ofSeconds(5), plan.startDelay(5));
    }

    @Test
    void refusesPlansThatCannotWork() {
        assertThrows(IllegalArgumentException.class, () -> plan(0, 10, List.of()));
        assertThrows(IllegalArgumentException.class, () -> plan(10, 2048, List.of()));
        assertThrows(IllegalArgumentException.class, () -> plan(10, 10, List.of(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> plan(10, 10, List.of(0, 0, 0)));
        assertThrows(IllegalArgumentException.class, () -> LoadPlan.parseWeights("1,x"));
        assertThrows(IllegalArgumentException.class, () -> new LoadPlan(10, 10, 0, Duration.ZERO, true,
                List.of("A"), List.of(), 0, true, false, Duration.ofSeconds(5), "run"));
        assertThrows(IllegalArgumentException.class, () -> new LoadPlan(10, 10, 0, Duration.ZERO, false,
                List.of("A"), List.of(), 0, true, true, Duration.ofSeconds(5), "run"));
    }

    private static LoadPlan plan(int clients, int perConnection, List<Integer> weights) {
        return new LoadPlan(clients, perConnection, 0, Duration.ZERO, false, List.of("A", "B", "C"), weights, 0, false,
                false, Duration.ofSeconds(5), "run");
    }
}
