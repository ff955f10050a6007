package votacao.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How long this process has been running: what the user waited before the load generator's first
 * connection. On Linux read from {@code /proc} in 10 ms steps. Not from the JVM's RuntimeMXBean: it
 * loads every platform MBean, 50-70 ms on an idle machine and 0.22 s once at a run's end. Not from
 * {@code ProcessHandle} alone either: its start instant counts from the boot time in whole seconds,
 * off by up to one. That coarse figure only checks the fine one, which is wrong in a container whose
 * {@code /proc/uptime} is its own (LXCFS) while a process's start counts from the host's boot.
 */
final class ProcessAge {

    /** Linux's clock ticks per second for {@code /proc/self/stat}: USER_HZ, 100 on every architecture. */
    private static final double TICKS_PER_SECOND = 100;
    /** How far the fine figure may be from the coarse one: a whole second of the boot time, and then some. */
    private static final double AGREEMENT_SECONDS = 2;

    private ProcessAge() {
    }

    static double seconds() {
        double coarse = ProcessHandle.current().info().startInstant()
                .map(start -> Math.max(0, System.currentTimeMillis() - start.toEpochMilli()) / 1e3).orElse(Double.NaN);
        double fine;
        try {
            fine = fromProc();
        } catch (IOException | RuntimeException notLinux) {
            fine = Double.NaN;
        }
        if (!Double.isNaN(fine) && (Double.isNaN(coarse) || Math.abs(fine - coarse) <= AGREEMENT_SECONDS)) {
            return fine;
        }
        return Double.isNaN(coarse) ? 0 : coarse;
    }

    /** The process's age from /proc/uptime and /proc/self/stat. */
    static double fromProc() throws IOException {
        double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        String stat = Files.readString(Path.of("/proc/self/stat"));
        // The fields after the command's name, which is in parentheses and may hold spaces: starttime is
        // the 22nd field of the line, the 20th after the name.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Math.max(0, uptime - Long.parseLong(fields[19]) / TICKS_PER_SECOND);
    }
}
