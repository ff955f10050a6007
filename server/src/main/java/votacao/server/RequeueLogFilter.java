package votacao.server;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Drops the connector's per-message warning for a requeued vote (SRMSG17013). When the broker goes
 * away every vote in flight is requeued and would each log a line; the server says once that the
 * broker is away instead, and the votes are processed again when it is back.
 */
@LoggingFilter(name = "votacao-requeue")
public final class RequeueLogFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        return message == null || !message.contains("SRMSG17013");
    }
}
