package votacao.server.web;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import votacao.shared.Codec;
import votacao.shared.ServerMessage;
import votacao.shared.testing.VoterProbe;

/** The HTTP side of the server, with votes cast through the real broker. */
@QuarkusTest
public class ResultsEndpointsTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void theSnapshotFollowsTheVotes() throws Exception {
        ServerMessage before = snapshot();
        assertEquals(ServerMessage.PARCIAL, before.tipo());
        assertEquals(before.resultado().values().stream().mapToLong(Long::longValue).sum(), before.total());

        try (VoterProbe probe = new VoterProbe()) {
            String user = VoterProbe.uniqueUser("http");
            probe.votePlain(user, "B");
            assertEquals(ServerMessage.CONFIRMACAO, probe.answerTo(user).tipo());
        }
        ServerMessage after = snapshot();
        assertEquals(before.total() + 1, after.total());
        assertEquals(VoterProbe.count(before.resultado(), "B") + 1, VoterProbe.count(after.resultado(), "B"));
        assertEquals(before.encerraEm(), after.encerraEm());
    }

    @Test
    void theEventStreamStartsWithTheCurrentTallyAndPushesTheNextOne() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(root.toURI().resolve("api/resultado/eventos"))
                .header("Accept", "text/event-stream").build();
        HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> readTwoSnapshots(events));
        }
    }

    private void readTwoSnapshots(BufferedReader events) throws Exception {
        ServerMessage first = nextEvent(events);
        assertEquals(snapshot().total(), first.total(), "a late viewer sees the tally at once");
        try (VoterProbe probe = new VoterProbe()) {
            String user = VoterProbe.uniqueUser("sse");
            probe.votePlain(user, "C");
            probe.answerTo(user);
        }
        ServerMessage next;
        do {
            next = nextEvent(events);
        } while (next.total() <= first.total());
        assertEquals(first.total() + 1, next.total());
    }

    @Test
    void theCountersMoveWithTheVotes() throws Exception {
        double accepted = metric("votacao_votes_accepted_total");
        double refused = metric("votacao_votes_refused_total{motivo=\"opcao_invalida\"}");
        double processed = metric("votacao_vote_processing_seconds_count");
        double appended = metric("votacao_ledger_append_seconds_count");
        double tallyA = metric("votacao_tally{opcao=\"A\"}");
        try (VoterProbe probe = new VoterProbe()) {
            String voter = VoterProbe.uniqueUser("metrics");
            String wrong = VoterProbe.uniqueUser("metrics-wrong");
            probe.votePlain(voter, "A");
            probe.votePlain(wrong, "Z");
            probe.answerTo(voter);
            probe.answerTo(wrong);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertEquals(accepted + 1, metric("votacao_votes_accepted_total"));
            assertEquals(refused + 1, metric("votacao_votes_refused_total{motivo=\"opcao_invalida\"}"));
            assertEquals(processed + 2, metric("votacao_vote_processing_seconds_count"));
            assertEquals(appended + 1, metric("votacao_ledger_append_seconds_count"));
            assertEquals(tallyA + 1, metric("votacao_tally{opcao=\"A\"}"));
        });
        await().atMost(Duration.ofSeconds(10))
                .until(() -> metric("votacao_broadcasts_sent_total{tipo=\"parcial\"}") > 0);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("votacao_votes_dead_lettered_total"))
                .body(containsString("votacao_vote_processing_seconds_bucket"));
    }

    @Test
    void readyOnceTheLedgerIsReplayedAndTheBrokerIsUp() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'votacao' }.data.broker", equalTo("conectado"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void thePageIsServedSelfContained() {
        String page = given().get("/").then().statusCode(200)
                .header("content-type", containsString("text/html"))
                .body(containsString("api/resultado/eventos"))
                .extract().asString();
        assertTrue(!page.contains("http://") && !page.contains("https://"), "no external resource: works offline");
        given().get("/api/resultado").then().statusCode(200).body("encerraEm", notNullValue());
    }

    private static ServerMessage snapshot() {
        return given().get("/api/resultado").then().statusCode(200).extract().as(ServerMessage.class);
    }

    private static ServerMessage nextEvent(BufferedReader events) throws Exception {
        String line;
        while ((line = events.readLine()) != null) {
            if (line.startsWith("data:")) {
                return Codec.decode(line.substring(5).trim().getBytes(StandardCharsets.UTF_8), ServerMessage.class);
            }
        }
        throw new AssertionError("the event stream ended");
    }

    private static final Pattern SAMPLE = Pattern.compile("^(\\S+) (\\S+)$", Pattern.MULTILINE);

    /** The value of one Prometheus sample (0 when absent), name and labels written as the registry writes them. */
    private static double metric(String sample) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher matcher = SAMPLE.matcher(text);
        while (matcher.find()) {
            if (matcher.group(1).equals(sample)) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        return 0;
    }
}
