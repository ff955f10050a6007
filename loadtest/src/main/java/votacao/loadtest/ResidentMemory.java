package votacao.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The load generator's resident memory, as the operating system counts it (Linux's {@code /proc/self/status}),
 * so that a run can say what its voters cost: the heap the JVM reports leaves out the AMQP client's
 * buffers, the threads' stacks and the heap the JVM reserved but has not collected yet. Unknown
 * elsewhere: then the report leaves the figure out.
 */
final class ResidentMemory {

    /** Resident now. */
    static final String NOW = "VmRSS";
    /** The most the process has held resident since it started (the high-water mark). */
    static final String PEAK = "VmHWM";

    private ResidentMemory() {
    }

    /**
     * A run's figures: from {@code start} (resident before its first connection, {@code bytes(NOW)}) to the
     * process's peak now; null where either is unknown.
     */
    static LoadReport.Memory since(OptionalLong start, int voters) {
        OptionalLong peak = bytes(PEAK);
        return start.isPresent() && peak.isPresent() ? LoadReport.Memory.of(start.getAsLong(), peak.getAsLong(), voters)
                : null;
    }

    /** The field of this process's status in bytes, or empty where there is no {@code /proc}. */
    static OptionalLong bytes(String field) {
        try {
            return parse(Files.readString(Path.of("/proc/self/status")), field);
        } catch (IOException | RuntimeException notLinux) {
            return OptionalLong.empty();
        }
    }

    /** A field such as {@code VmHWM:	  556000 kB} of a {@code /proc/PID/status} text, in bytes. */
    static OptionalLong parse(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":")) {
                String[] words = line.substring(field.length() + 1).trim().split("\\s+");
                long kib = Long.parseLong(words[0]);
                return OptionalLong.of(kib * 1024);
            }
        }
        return OptionalLong.empty();
    }
}
