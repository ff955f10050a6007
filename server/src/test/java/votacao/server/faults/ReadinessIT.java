package votacao.server.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import votacao.shared.testing.ServerProcess;
import votacao.shared.testing.TestBroker;

/**
 * What an orchestrator sees of a broker outage: the server stops being ready while the broker is
 * away and becomes ready again by itself once it is back; it stays alive throughout, since a restart
 * would not help.
 */
class ReadinessIT {

    private static final String READY = "/q/health/ready";
    private static final String LIVE = "/q/health/live";

    @Test
    void notReadyWhileTheBrokerIsDownAndReadyAgainAfter() throws Exception {
        try (ServerProcess server = ServerProcess.start("readiness", Map.of("VOTACAO_DURACAO", "600s"))) {
            Awaitility.await("ready after start").atMost(Duration.ofSeconds(30))
                    .until(() -> server.httpStatus(READY) == 200);
            try {
                assertEquals(0, TestBroker.rabbitmqctl("stop_app"));
                Awaitility.await("not ready while the broker is down").atMost(Duration.ofSeconds(30))
                        .until(() -> server.httpStatus(READY) == 503);
                assertEquals(200, server.httpStatus(LIVE), "alive all the same");
            } finally {
                assertEquals(0, TestBroker.rabbitmqctl("start_app"));
                assertEquals(0, TestBroker.rabbitmqctl("await_startup"));
            }
            Awaitility.await("ready again once the broker is back").atMost(Duration.ofSeconds(90))
                    .until(() -> server.httpStatus(READY) == 200);
            assertEquals(200, server.httpStatus(LIVE));
        }
    }
}
