package votacao.server;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Keeps what the messaging connector logs to a line an event, so that a broker's restart reads as the
 * server's own "lost" and "reconnected" lines:
 * <ul>
 * <li>drops the connector's per-message warning for a requeued vote (SRMSG17013): when the broker goes
 * away every vote in flight is requeued and would each log a line; the server says once that the broker
 * is away instead, and the votes are processed again when it is back;</li>
 * <li>folds the stack traces the Vert.x RabbitMQ client logs while it reconnects (a connection forced
 * closed, a connection refused: 78 lines for one broker restart) into their record's line, as
 * "message: exception".</li>
 * </ul>
 * The record is rewritten in place: the console is the only handler it goes to.
 */
@LoggingFilter(name = "votacao-connector")
public final class ConnectorLogFilter implements Filter {

    private static final String VERTX_RABBITMQ_CLIENT = "io.vertx.rabbitmq.";

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        if (message != null && message.contains("SRMSG17013")) {
            return false;
        }
        Throwable thrown = record.getThrown();
        String logger = record.getLoggerName();
        if (thrown != null && logger != null && logger.startsWith(VERTX_RABBITMQ_CLIENT)) {
            Object[] parameters = record.getParameters();
            if (parameters == null || parameters.length == 0) { // a message with no placeholders to keep intact
                record.setMessage((message == null ? "" : message + ": ") + thrown);
            }
            record.setThrown(null);
        }
        return true;
    }
}
