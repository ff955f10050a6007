package votacao.shared.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command the tests run to its end (rabbitmqctl, the server's audit), with a time limit that holds:
 * its output goes to a file, so a command that hangs with its output open cannot block the reader.
 */
public final class Command {

    /** What the command printed (standard output and error, merged) and its exit status; -1 if it ran out of time. */
    public record Result(int exitStatus, String output) {
    }

    private Command() {
    }

    static Result run(List<String> command, Map<String, String> environment, Duration limit)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile("votacao-test-command", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            boolean ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            return new Result(ended ? process.exitValue() : -1, Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
