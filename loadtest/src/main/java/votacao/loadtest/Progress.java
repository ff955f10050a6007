package votacao.loadtest;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The live line while a run goes: redrawn every second on a terminal, a plain line every 5 s elsewhere. */
final class Progress implements AutoCloseable {

    private final PrintStream out;
    private final boolean terminal;
    private final RunStats stats;
    private final int clients;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "loadtest-progress");
        thread.setDaemon(true);
        return thread;
    });
    private long lastDone;
    private long lastNanos = startNanos;

    Progress(PrintStream out, boolean terminal, RunStats stats, int clients, boolean legacy) {
        this.out = out;
        this.terminal = terminal;
        this.stats = stats;
        this.clients = clients;
        long period = terminal ? 1 : 5;
        ticker.scheduleAtFixedRate(() -> print(legacy), period, period, TimeUnit.SECONDS);
    }

    private synchronized void print(boolean legacy) {
        long now = System.nanoTime();
        long done = legacy ? stats.sent.sum() : stats.answered();
        double rate = (done - lastDone) / ((now - lastNanos) / 1e9);
        String line = String.format(Locale.ROOT, "sent %d/%d · answered %d · %.0f %s/s · %.1f s", stats.sent.sum(),
                clients, stats.answered(), rate, legacy ? "published" : "answers", (now - startNanos) / 1e9);
        if (terminal) {
            out.print("\r\033[K" + line);
        } else {
            out.println(line);
        }
        out.flush();
        lastDone = done;
        lastNanos = now;
    }

    @Override
    public synchronized void close() {
        ticker.shutdownNow();
        if (terminal) {
            out.print("\r\033[K");
            out.flush();
        }
    }
}
