package votacao.shared.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * The packaged server run as a separate process, the way a user runs it, so that tests can kill it,
 * restart it and talk to it only through the broker. Each instance records into a ledger stream of
 * its own unless told otherwise, so its poll starts empty.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final String READY = "Voting server ready";
    private static final String STANDING_BY = "standing by";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, String> environment;
    private final Path log;
    private Process process;
    private int starts;
    /** Where this server's first start's lines begin in the log (the log keeps the lines of earlier test runs). */
    private volatile long firstStart;
    /** Where the latest start's lines begin in the log. */
    private volatile long lastStart;

    private ServerProcess(Map<String, String> environment, Path log) {
        this.environment = environment;
        this.log = log;
    }

    /**
     * Starts a server with a fresh ledger, on an empty vote queue (votes an earlier test left behind
     * would count in this poll), with the given extra environment (e.g. VOTACAO_DURACAO).
     */
    public static ServerProcess start(String name, Map<String, String> environment) throws IOException {
        ServerProcess server = create(name, environment);
        server.startAgain();
        return server;
    }

    /** The same as {@link #start} without starting it: {@link #launch()} or {@link #startAgain()} does. */
    public static ServerProcess create(String name, Map<String, String> environment) throws IOException {
        try (var connection = VoterProbe.factory().newConnection("votacao-test-purge")) {
            VoterProbe.purgeVotes(connection);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("cannot reach the broker to empty the vote queue", e);
        }
        Map<String, String> env = new HashMap<>(TestBroker.environment());
        env.put("VOTACAO_LEDGER_STREAM", "votacao.teste." + name + "." + UUID.randomUUID());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(freePort()));
        env.putAll(environment);
        return new ServerProcess(env, Path.of("target", "server-" + name + ".log"));
    }

    /** Where this server's HTTP endpoints are (the same port across restarts), e.g. {@code http("/q/health/ready")}. */
    public URI http(String path) {
        return URI.create("http://localhost:" + environment.get("QUARKUS_HTTP_PORT") + path);
    }

    /** The HTTP status of a GET of this path on the server; -1 when nothing answers. */
    public int httpStatus(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(http(path)).timeout(Duration.ofSeconds(10)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * The packaged server, built by the {@code server} module before the modules that test against it;
     * {@code -Dvotacao.test.server-jar=PATH} runs the tests against another build (an older commit's, to
     * see a test fail before its fix).
     */
    public static Path jar() {
        String other = System.getProperty("votacao.test.server-jar");
        if (other != null) {
            return Path.of(other).toAbsolutePath();
        }
        Path module = Path.of("").toAbsolutePath();
        for (Path dir = module; dir != null; dir = dir.getParent()) {
            Path jar = dir.resolve("server/target/quarkus-app/quarkus-run.jar");
            if (Files.exists(jar)) {
                return jar;
            }
        }
        throw new IllegalStateException("server/target/quarkus-app/quarkus-run.jar not found from " + module
                + ": build the server first (./mvnw -pl server package)");
    }

    /**
     * A second server on this one's ledger and broker, with its own HTTP port and log, not started yet:
     * {@link #launch()} or {@link #startAgain()} starts it.
     */
    public ServerProcess sibling(String name) throws IOException {
        Map<String, String> env = new HashMap<>(environment);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(freePort()));
        Path siblingLog = Path.of("target", "server-" + name + ".log");
        Files.deleteIfExists(siblingLog);
        return new ServerProcess(env, siblingLog);
    }

    /** Starts this server as a standby beside a running one: waits until it stands by. */
    public ServerProcess startAsStandby() throws IOException {
        awaitLog(launch(), STANDING_BY);
        return this;
    }

    /** Starts the server without waiting; returns the log offset where this start's lines begin. */
    public long launch() throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        long offset = Files.exists(log) ? Files.size(log) : 0;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
        if (starts++ == 0) {
            firstStart = offset;
        }
        lastStart = offset;
        return offset;
    }

    /** Starts (again) the same server, same ledger; waits until it consumes votes. */
    public void startAgain() throws IOException {
        awaitLog(launch(), READY);
    }

    /** Waits until this start (its log from {@code offset}) has written {@code text}. */
    public void awaitLog(long offset, String text) {
        Awaitility.await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + ", see " + log);
            }
            return logSince(offset).contains(text);
        });
    }

    /** Whether this server decides the votes now (its log says it is ready to, since it last started). */
    public boolean isActive() throws IOException {
        return logSince(lastStart).contains(READY);
    }

    /** The body of a GET of this path on the server (e.g. its readiness, with its role). */
    public String httpGet(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(http(path)).timeout(Duration.ofSeconds(10)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Waits, at most {@code patience}, until the server has accepted at least {@code votes} votes (its metrics). */
    public void awaitVotesAccepted(long votes, Duration patience) {
        Awaitility.await().atMost(patience).pollInterval(Duration.ofMillis(50))
                .until(() -> httpGet("/q/metrics").lines()
                        .anyMatch(line -> line.startsWith("votacao_votes_accepted_total ")
                                && Double.parseDouble(line.split(" ")[1]) >= votes));
    }

    /** The exit status once the process has ended by itself, waiting at most this long; -1 if it runs on. */
    public int awaitExit(Duration patience) throws InterruptedException {
        return process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** Runs the server's audit ({@code recontar}) on this server's ledger and returns what it printed. */
    public String recount() throws IOException, InterruptedException {
        Command.Result audit = recount(environment);
        if (audit.exitStatus() != 0) {
            throw new IllegalStateException("the recount failed: " + audit.output());
        }
        return audit.output();
    }

    /** The audit ({@code recontar OPTIONS}) of this server's ledger, whatever its outcome. */
    public Command.Result audit(String... options) throws IOException, InterruptedException {
        return recount(environment, options);
    }

    /**
     * Runs the audit against the tests' broker with this environment (VOTACAO_LEDGER_STREAM names the
     * ledger), whatever its outcome.
     */
    public static Command.Result recount(Map<String, String> environment, String... options)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-jar", jar().toString(), "recontar"));
        command.addAll(List.of(options));
        Map<String, String> env = new HashMap<>(TestBroker.environment());
        env.putAll(environment);
        Command.Result audit = Command.run(command, env, Duration.ofSeconds(60));
        if (audit.exitStatus() == -1) {
            throw new IllegalStateException("the recount did not end within 60 s: " + audit.output());
        }
        return audit;
    }

    /** SIGKILL: no shutdown hook, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGSTOP: the server holds still (answers nothing, keeps its connections) until {@link #thaw()}. */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: a frozen server runs on. */
    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        int status = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (status != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " exited " + status);
        }
    }

    /** SIGTERM, and the exit code once it has stopped. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public String ledgerStream() {
        return environment.get("VOTACAO_LEDGER_STREAM");
    }

    public int starts() {
        return starts;
    }

    /** What this server wrote, over all its starts, and nothing of an earlier test run's servers. */
    public String log() throws IOException {
        return logSince(firstStart);
    }

    private String logSince(long offset) throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        if (isAlive()) {
            try {
                thaw(); // a frozen process would hold the SIGTERM until continued
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            stop();
        }
    }
}
