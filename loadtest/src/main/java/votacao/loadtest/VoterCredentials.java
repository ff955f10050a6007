package votacao.loadtest;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;

import votacao.shared.AuthorityKeys;
import votacao.shared.Credential;

/**
 * For a poll in signed mode, the load generator plays the authority too: it signs each virtual
 * voter's credential itself with a test key ({@code --chave}), so the server's cost of checking them
 * shows in the run's figures.
 */
final class VoterCredentials {

    private static final Duration VALIDITY = Duration.ofDays(1);

    private final PrivateKey key;
    private final String poll;
    private final Instant expires = Instant.now().plus(VALIDITY);

    private VoterCredentials(PrivateKey key, String poll) {
        this.key = key;
        this.poll = poll;
    }

    /** Credentials signed with the private key in this PEM file, for the poll of this name. */
    static VoterCredentials signedWith(Path privateKey, String poll) throws IOException {
        return new VoterCredentials(AuthorityKeys.readPrivate(privateKey), poll);
    }

    String issue(String voter) {
        return Credential.issue(key, voter, poll, expires).text();
    }
}
