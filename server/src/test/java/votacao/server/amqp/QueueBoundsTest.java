package votacao.server.amqp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class QueueBoundsTest {

    private static final QueueBounds.Feature SAC = new QueueBounds.Feature("sac", Map.of("x-single-active-consumer", true), "");
    private static final QueueBounds.Feature BOUNDS = new QueueBounds.Feature("bounds", Map.of("x-max-length", 10), "");
    private static final QueueBounds.Feature REPLICAS = new QueueBounds.Feature("replicas", Map.of("x-quorum-initial-group-size", 3), "");

    @Test
    void anExistingQueueIsTriedWithTheMostFeaturesFirstAndTheEarlierOnesPreferred() {
        assertEquals(List.of(List.of(SAC, BOUNDS, REPLICAS), List.of(SAC, BOUNDS), List.of(SAC, REPLICAS),
                List.of(BOUNDS, REPLICAS), List.of(SAC), List.of(BOUNDS), List.of(REPLICAS), List.of()),
                QueueBounds.combinations(List.of(SAC, BOUNDS, REPLICAS)));
    }

    @Test
    void withoutFeaturesTheQueueIsDeclaredAsItIs() {
        assertEquals(List.of(List.of()), QueueBounds.combinations(List.of()));
    }
}
