package votacao.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import votacao.shared.Codec;
import votacao.shared.ServerMessage;

/**
 * The server's {@code GET /api/resultado}: its tally now, in one round trip, instead of waiting for
 * the next broadcast (the server re-sends its latest result only every few seconds).
 */
final class ResultsEndpoint {

    private static final Duration PATIENCE = Duration.ofSeconds(3);

    private final URI resource;

    ResultsEndpoint(URI server) {
        this.resource = server.resolve("/api/resultado");
    }

    /** The server's result now; fails with a one-line reason when it cannot be had. */
    ServerMessage current() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(PATIENCE).build();
        HttpRequest request = HttpRequest.newBuilder(resource).timeout(PATIENCE).GET().build();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException(resource + " answered HTTP " + response.statusCode());
        }
        try {
            return Codec.decodeServerMessage(response.body());
        } catch (IllegalArgumentException e) {
            throw new IOException(resource + " did not answer with a result", e);
        }
    }

    @Override
    public String toString() {
        return resource.toString();
    }
}
