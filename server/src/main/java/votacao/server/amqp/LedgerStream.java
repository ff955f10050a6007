package votacao.server.amqp;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.Connection;

/** The ledger's RabbitMQ stream as the server declares it: retention and replicas. */
final class LedgerStream {

    private LedgerStream() {
    }

    /**
     * Declares the ledger stream with its retention; idempotent. A stream declared by an earlier version
     * without a retention keeps working without one (see QueueBounds).
     */
    static void declare(Connection connection, String stream, Duration retention, Integer replicas)
            throws IOException {
        Map<String, Object> arguments = Map.of("x-queue-type", "stream");
        if (retention == null) {
            QueueBounds.declareIfMissing(connection, stream, arguments);
            return;
        }
        List<QueueBounds.Feature> features = new ArrayList<>();
        if (!retention.isZero()) {
            String maxAge = retention.toSeconds() + "s";
            features.add(QueueBounds.bounds(stream, Map.of("x-max-age", maxAge), "{\"max-age\":\"" + maxAge + "\"}"));
        }
        if (replicas != null) {
            features.add(QueueBounds.replicas(stream, "x-initial-cluster-size", replicas));
        }
        QueueBounds.declare(connection, stream, arguments, features);
    }
}
