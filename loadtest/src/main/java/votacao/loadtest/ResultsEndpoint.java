package votacao.loadtest;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
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

    /**
     * The server's result now; fails with a one-line reason when it cannot be had. A plain
     * {@link HttpURLConnection}, not the JDK's {@code HttpClient}: that one leaves a selector thread
     * waiting in native code, and the JVM's exit waits up to 300 ms for such threads (measured: the
     * command's exit went from 0.36 s to 0.07 s after its table).
     */
    ServerMessage current() throws IOException {
        HttpURLConnection request = (HttpURLConnection) resource.toURL().openConnection();
        request.setConnectTimeout((int) PATIENCE.toMillis());
        request.setReadTimeout((int) PATIENCE.toMillis());
        request.setRequestProperty("Accept", "application/json");
        try {
            if (request.getResponseCode() != 200) {
                throw new IOException(resource + " answered HTTP " + request.getResponseCode());
            }
            try (InputStream body = request.getInputStream()) {
                return Codec.decodeServerMessage(body.readAllBytes());
            } catch (IllegalArgumentException e) {
                throw new IOException(resource + " did not answer with a result", e);
            }
        } finally {
            request.disconnect();
        }
    }

    @Override
    public String toString() {
        return resource.toString();
    }
}
