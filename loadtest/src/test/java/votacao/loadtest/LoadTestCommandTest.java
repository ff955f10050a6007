package votacao.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import votacao.shared.AuthorityKeys;
import votacao.shared.BrokerSettings;
import votacao.shared.Codec;
import votacao.shared.Protocol;
import votacao.shared.Texts;
import votacao.shared.testing.ServerProcess;
import votacao.shared.testing.TestBroker;
import votacao.shared.testing.VoterProbe;
import votacao.shared.testing.VotersUser;

/** The load generator against the packaged server and the real broker. */
@QuarkusMainTest
class LoadTestCommandTest {

    @Test
    void aRunOfThousandsIsAnsweredAndCountedAndDuplicatesAreRefused(QuarkusMainLauncher launcher) throws Exception {
        Path report = Path.of("target", "loadtest-report.json");
        Path page = Path.of("target", "loadtest-report.html");
        try (ServerProcess server = ServerProcess.start("loadtest", Map.of("VOTACAO_DURACAO", "600s"))) {
            LaunchResult result = launcher.launch("--clients", "3000", "--per-connection", "1000", "--duplicates", "200",
                    "--weights", "3,2,1", "--run-id", VoterProbe.uniqueUser("lt"), "--report", report.toString(),
                    "--report", page.toString(), "--server-url", server.http("/").toString());
            assertEquals(0, result.exitCode(), result.getOutput() + result.getErrorOutput());
            assertFalse(result.getOutput().contains("Cannot ask"), "the tally came over HTTP: " + result.getOutput());
            assertTrue(result.getOutput().contains("PASS: every vote answered and the tally agrees"), result.getOutput());

            LoadReport written = Codec.decode(Files.readAllBytes(report), LoadReport.class);
            assertEquals(3, written.connections());
            assertEquals(3000, written.answeredConfirmed());
            assertNull(written.brokerConfirmed(), "the answer confirms the vote: the broker is not asked");
            assertFalse(result.getOutput().contains("broker-confirmed"), result.getOutput());
            assertEquals(200, written.duplicatesRefused());
            assertEquals(0, written.unanswered());
            assertEquals(Boolean.TRUE, written.tallyAgrees());
            assertEquals(LoadReport.TALLY_OVER_HTTP, written.tallyFrom(),
                    "the tally after the run is asked of the server, not awaited on its next broadcast");
            LoadReport.Phases phases = written.phases();
            assertTrue(phases.baselineKnown() <= phases.lastAnswer() && phases.lastAnswer() <= phases.verified()
                    && phases.verified() <= phases.closed(), "phases in order: " + phases);
            assertEquals(written.wallSeconds(), phases.lastAnswer(), 1e-9, "the headline ends at the last answer");
            assertEquals(written.publishToAnswer().p99(), written.publishToAnswer().distribution().stream()
                    .filter(point -> point.percentile() == 99).findFirst().orElseThrow().millis());
            double answers = written.answersPerSecond().stream().mapToDouble(Double::doubleValue).sum()
                    * written.timelineStepSeconds();
            assertEquals(3000, answers, 0.5, "the timeline holds every vote's answer");
            if (Files.exists(Path.of("/proc/self/status"))) {
                LoadReport.Memory memory = written.memory();
                assertTrue(memory != null && memory.peakMiB() >= memory.startMiB() && memory.startMiB() > 0,
                        "resident memory reported: " + memory);
                assertTrue(result.getOutput().contains("resident memory (MiB)"), result.getOutput());
            }

            String html = Files.readString(page);
            assertTrue(html.contains("PASS: every vote answered and the tally agrees"), html);
            assertEquals(2, html.split("<svg ", -1).length - 1, "the latency plot and the timeline");
        }
    }

    @Test
    void subscribedVotersHearTheBroadcast(QuarkusMainLauncher launcher) throws Exception {
        try (ServerProcess server = ServerProcess.start("loadtest-subscribe", Map.of("VOTACAO_DURACAO", "600s"))) {
            LaunchResult result = launcher.launch("--clients", "500", "--per-connection", "250", "--subscribe",
                    "--broker-confirms", "--run-id", VoterProbe.uniqueUser("sub"));
            assertEquals(0, result.exitCode(), result.getOutput() + result.getErrorOutput());
            assertTrue(Pattern.compile("broker-confirmed\\s+500\\n").matcher(result.getOutput()).find(),
                    result.getOutput());
            // Each voter's own queue is bound to the broadcast: results reach the voters, not only the run.
            Matcher heard = Pattern.compile("broadcasts received\\s+(\\d+)")
                    .matcher(result.getOutput());
            assertTrue(heard.find() && Long.parseLong(heard.group(1)) > 0, result.getOutput());
        }
    }

    @Test
    void aVotersUserThatMayNotDeclareTheExchangesRunsAndFollows(QuarkusMainLauncher launcher) throws Exception {
        try (ServerProcess server = ServerProcess.start("loadtest-least", Map.of("VOTACAO_DURACAO", "600s"));
                VotersUser voters = VotersUser.create()) {
            LaunchResult result = launcher.launch(voters.arguments("--clients", "300", "--per-connection", "100",
                    "--subscribe", "--run-id", VoterProbe.uniqueUser("least")));
            assertEquals(0, result.exitCode(), result.getOutput() + result.getErrorOutput());
            assertTrue(result.getOutput().contains("PASS: every vote answered and the tally agrees"), result.getOutput());
        }
    }

    @Test
    void inSignedModeTheVotersCarryCredentialsItSigns(QuarkusMainLauncher launcher) throws Exception {
        Path keys = Files.createDirectories(Path.of("target", "signed-keys-" + java.util.UUID.randomUUID()));
        java.security.KeyPair authority = AuthorityKeys.generate();
        AuthorityKeys.write(keys.resolve("chave.pem"), authority.getPrivate());
        AuthorityKeys.write(keys.resolve("chave-publica.pem"), authority.getPublic());
        try (ServerProcess server = ServerProcess.start("loadtest-signed", Map.of("VOTACAO_DURACAO", "600s",
                "VOTACAO_IDENTIDADE", "assinada", "VOTACAO_ENQUETE", "carga",
                "VOTACAO_CHAVE_PUBLICA", keys.resolve("chave-publica.pem").toString()))) {
            LaunchResult signed = launcher.launch("--clients", "300", "--per-connection", "100",
                    "--run-id", VoterProbe.uniqueUser("signed"), "--chave", keys.resolve("chave.pem").toString(),
                    "--enquete", "carga");
            assertEquals(0, signed.exitCode(), signed.getOutput() + signed.getErrorOutput());
            LaunchResult unsigned = launcher.launch("--clients", "10", "--per-connection", "10",
                    "--run-id", VoterProbe.uniqueUser("unsigned"));
            assertEquals(1, unsigned.exitCode(), unsigned.getOutput());
            assertTrue(unsigned.getOutput().contains(Texts.INVALID_CREDENTIAL), unsigned.getOutput());
        }
    }

    @Test
    void withoutAServerTheRunFailsWithTheUnansweredVotes(QuarkusMainLauncher launcher) throws Exception {
        try {
            LaunchResult result = launcher.launch("--clients", "300", "--per-connection", "100", "--timeout", "3",
                    "--run-id", VoterProbe.uniqueUser("orphan"));
            assertEquals(1, result.exitCode(), result.getOutput());
            assertTrue(result.getOutput().contains("FAIL: 300 of 300 votes got no answer"), result.getOutput());
        } finally {
            try (var connection = VoterProbe.factory().newConnection()) {
                VoterProbe.purgeVotes(connection);
            }
        }
    }

    @Test
    void anUnreachableBrokerIsOneClearLine(QuarkusMainLauncher launcher) {
        // Twenty connections, opened at once: each fails, and only one line may say so (no stack trace).
        LaunchResult result = launcher.launch("--clients", "20000", "--per-connection", "1000", "--host", "localhost",
                "--port", "1");
        assertEquals(2, result.exitCode());
        assertTrue(result.getErrorOutput().startsWith("Error: cannot use RabbitMQ at admin@localhost:1"),
                result.getErrorOutput());
        assertEquals(1, result.getErrorOutput().strip().lines().count(), result.getErrorOutput());
    }

    @Test
    void aPerConnectionBeyondTheProtocolLimitIsRefused(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("--clients", "10", "--per-connection", "5000");
        assertEquals(2, result.exitCode());
        assertTrue(result.getErrorOutput().contains("--per-connection"), result.getErrorOutput());
    }

    @Test
    void aClusterListGoesToTheFirstNodeThatAnswers(QuarkusMainLauncher launcher) throws Exception {
        BrokerSettings broker = TestBroker.settings();
        try (ServerProcess server = ServerProcess.start("loadtest-hosts", Map.of("VOTACAO_DURACAO", "600s"))) {
            LaunchResult result = launcher.launch("--clients", "20", "--per-connection", "10", "--hosts",
                    "127.0.0.1:1," + broker.host() + ":" + broker.port(), "--server-url", server.http("/").toString());
            assertEquals(0, result.exitCode(), result.getOutput() + result.getErrorOutput());
            assertTrue(result.getOutput().contains("PASS"), result.getOutput());
        }
    }

    @Test
    void aClusterListThatIsNotOneIsOneClearLine(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("--clients", "10", "--hosts", "mq1:5672,:5673");
        assertEquals(2, result.exitCode());
        assertTrue(result.getErrorOutput().startsWith("--hosts (or RABBITMQ_HOSTS): not a host[:port]: ':5673'"),
                result.getErrorOutput());
    }

    @Test
    void aBrokerRestartMidRunLeavesNoVoteUnanswered(QuarkusMainLauncher launcher) throws Exception {
        try (ServerProcess server = ServerProcess.start("loadtest-restart", Map.of("VOTACAO_DURACAO", "600s"))) {
            // The server is frozen from a tenth of the run until the broker is back: whatever the machine's
            // speed, votes sent before the restart are still unanswered when it comes, and must be sent again.
            CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> {
                try {
                    server.awaitVotesAccepted(2000, Duration.ofSeconds(120));
                    server.freeze();
                    assertEquals(0, TestBroker.rabbitmqctl("stop_app"));
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    assertEquals(0, TestBroker.rabbitmqctl("start_app"));
                    assertEquals(0, TestBroker.rabbitmqctl("await_startup"));
                    try {
                        server.thaw();
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            // A broker stopping with 20,000 channels open took 46 s on a busy machine: the votes it held up
            // came after the default 60 s. Patience is all a longer --timeout adds; a lost vote still fails.
            LaunchResult result = launcher.launch("--clients", "20000", "--per-connection", "1000", "--timeout", "180",
                    "--run-id", VoterProbe.uniqueUser("restart"));
            restart.join();
            assertPassedSaying(result, "votes sent again (same message_id) after their connection was lost",
                    "the broker restart came mid-run");
        }
    }

    /**
     * Without publisher confirms a vote the broker drops is seen by no one but its missing answer: here the
     * vote queue is bounded small and its consumer frozen, so votes beyond the bound are dropped
     * ({@code reject-publish} to a publisher without confirms). Once the server is back, later votes are
     * answered and each dropped one goes again, same message_id: nothing lost, nothing counted twice.
     */
    @Test
    void votesTheBrokerDropsUnseenAreSentAgain(QuarkusMainLauncher launcher) throws Exception {
        deleteTheVoteQueue(); // declared afresh, bounded, by the server below
        try (ServerProcess server = ServerProcess.start("loadtest-dropped", Map.of("VOTACAO_DURACAO", "600s",
                "VOTACAO_FILA_MAX_VOTOS", "50"))) {
            CompletableFuture<Void> freeze = CompletableFuture.runAsync(() -> {
                try {
                    server.awaitVotesAccepted(200, Duration.ofSeconds(60));
                    server.freeze();
                    Thread.sleep(6000);
                    server.thaw();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            LaunchResult result = launcher.launch("--clients", "4000", "--per-connection", "1000", "--rate", "300",
                    "--timeout", "90", "--server-url", server.http("/").toString(),
                    "--run-id", VoterProbe.uniqueUser("dropped"));
            freeze.join();
            assertPassedSaying(result, "unanswered while later votes were answered",
                    "votes were dropped while the server was frozen");
        } finally {
            deleteTheVoteQueue(); // for the tests that follow to declare it with the default bound
        }
    }

    /** The run passed, and its output says {@code said}: what the test made happen, {@code why}. */
    private static void assertPassedSaying(LaunchResult result, String said, String why) {
        String output = result.getOutput() + result.getErrorOutput();
        assertEquals(0, result.exitCode(), output);
        assertTrue(output.contains("PASS: every vote answered and the tally agrees"), output);
        assertTrue(output.contains(said), why + ": " + output);
    }

    private static void deleteTheVoteQueue() throws Exception {
        try (var connection = VoterProbe.factory().newConnection("votacao-test-bounds")) {
            connection.createChannel().queueDelete(Protocol.VOTES_QUEUE);
            connection.createChannel().queueDelete(Protocol.VOTES_QUEUE + ".dlq");
        }
    }
}
