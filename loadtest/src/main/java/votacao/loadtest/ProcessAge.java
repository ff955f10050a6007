package votacao.loadtest;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How long this process has been running: what the user waited before the load generator's first
 * connection. On Linux read from {@code /proc} (10 ms steps): the JVM's own start time (its
 * RuntimeMXBean) loads every platform MBean, 50-70 ms on an idle machine and 0.22 s once at a run's
 * end, and {@code ProcessHandle}'s start instant counts from the boot time in whole seconds, off by up
 * to one.
 */
final class ProcessAge {

    /** Linux's clock ticks per second for {@code /proc/self/stat}: USER_HZ, 100 on every architecture. */
    private static final double TICKS_PER_SECOND = 100;

    private ProcessAge() {
    }

    static double seconds() {
        try {
            double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // The fields after the command's name, which is in parentheses and may hold spaces: starttime is
            // the 22nd field of the line, the 20th after the name.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Math.max(0, uptime - Long.parseLong(fields[19]) / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException notLinux) {
            return Math.max(0, System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1e3;
        }
    }
}
