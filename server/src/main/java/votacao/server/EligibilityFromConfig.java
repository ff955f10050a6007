package votacao.server;

import java.io.IOException;
import java.nio.file.Path;

import votacao.server.poll.Eligibility;
import votacao.server.poll.PollSettings;
import votacao.shared.VerifyingKey;

/** Who may vote, as configured: {@code votacao.identidade}, and in signed mode the poll's name and key. */
final class EligibilityFromConfig {

    static final String OPEN = "aberta";
    static final String SIGNED = "assinada";

    private EligibilityFromConfig() {
    }

    /** The configured eligibility; a one-line reason when the configuration is incomplete or the key unreadable. */
    static Eligibility read(PollSettings settings) {
        String mode = settings.identidade().strip();
        if (OPEN.equals(mode)) {
            return Eligibility.open();
        }
        if (!SIGNED.equals(mode)) {
            throw new IllegalArgumentException("votacao.identidade must be " + OPEN + " or " + SIGNED + ", not '" + mode + "'");
        }
        String poll = settings.enquete().filter(name -> !name.isBlank()).orElseThrow(() -> new IllegalArgumentException(
                "signed mode (votacao.identidade=" + SIGNED + ") needs votacao.enquete, the poll's name its credentials carry"));
        String key = settings.chavePublica().filter(path -> !path.isBlank()).orElseThrow(() -> new IllegalArgumentException(
                "signed mode (votacao.identidade=" + SIGNED + ") needs votacao.chave-publica, the authority's public key (PEM)"));
        try {
            return Eligibility.signed(VerifyingKey.read(Path.of(key)), poll.strip());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read votacao.chave-publica: " + e.getMessage(), e);
        }
    }
}
