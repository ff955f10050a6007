package votacao.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

class ConnectorLogFilterTest {

    private final ConnectorLogFilter filter = new ConnectorLogFilter();

    @Test
    void theRabbitMqClientsStackTraceBecomesPartOfItsLine() {
        LogRecord record = record("io.vertx.rabbitmq.impl.RabbitMQClientImpl", "Could not connect to rabbitmq");
        record.setThrown(new ConnectException("Connection refused"));
        assertTrue(filter.isLoggable(record));
        assertNull(record.getThrown());
        assertEquals("Could not connect to rabbitmq: java.net.ConnectException: Connection refused", record.getMessage());
    }

    @Test
    void aRequeuedVoteIsNotLoggedOneByOne() {
        assertFalse(filter.isLoggable(record("io.smallrye.reactive.messaging.rabbitmq",
                "SRMSG17013: A message sent to channel `votos` has been nacked, ignoring the failure and requeueing")));
    }

    @Test
    void everyOtherStackTraceStays() {
        LogRecord record = record("votacao.server.amqp.Ledger", "ledger append failed");
        IllegalStateException failure = new IllegalStateException("boom");
        record.setThrown(failure);
        assertTrue(filter.isLoggable(record));
        assertSame(failure, record.getThrown());
        assertEquals("ledger append failed", record.getMessage());
    }

    private static LogRecord record(String logger, String message) {
        LogRecord record = new LogRecord(Level.INFO, message);
        record.setLoggerName(logger);
        return record;
    }
}
