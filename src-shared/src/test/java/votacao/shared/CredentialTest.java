package votacao.shared;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialTest {

    private static final KeyPair AUTHORITY = AuthorityKeys.generate();
    private static final VerifyingKey KEY = VerifyingKey.of(AUTHORITY.getPublic());
    private static final Instant EXPIRES = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2029-06-01T12:00:00Z");

    private static String issued(String voter, String poll) {
        return Credential.issue(AUTHORITY.getPrivate(), voter, poll, EXPIRES).text();
    }

    @Test
    void anIssuedCredentialAdmitsItsVoterInItsPollUntilItExpires() {
        Credential credential = Credential.parse(issued("ana", "eleicao-2030"));
        assertTrue(credential.admits(KEY, "ana", "eleicao-2030", NOW));
        assertFalse(credential.admits(KEY, "ana", "eleicao-2030", EXPIRES), "expired");
        assertFalse(credential.admits(KEY, "bia", "eleicao-2030", NOW), "another voter");
        assertFalse(credential.admits(KEY, "ana", "outra", NOW), "another poll");
        assertFalse(credential.admits(VerifyingKey.of(AuthorityKeys.generate().getPublic()), "ana", "eleicao-2030", NOW),
                "another authority");
    }

    @Test
    void aTamperedCredentialDoesNotVerify() {
        String text = issued("ana", "p");
        String[] parts = text.split("\\.");
        // the same signature over another voter
        String otherVoter = String.join(".", parts[0], Credential.parse(issued("bia", "p")).text().split("\\.")[1],
                parts[2], parts[3], parts[4]);
        assertFalse(Credential.parse(otherVoter).signedBy(KEY));
        // a later expiry
        String later = String.join(".", parts[0], parts[1], parts[2], Long.toString(EXPIRES.getEpochSecond() + 1), parts[4]);
        assertFalse(Credential.parse(later).signedBy(KEY));
    }

    @Test
    void garbageIsNoCredential() {
        assertNull(Credential.parse(null));
        assertNull(Credential.parse(""));
        assertNull(Credential.parse("v1.a.b.c"));
        assertNull(Credential.parse("v2.YQ.Yg.1.YQ"));
        assertNull(Credential.parse("v1.YQ.Yg.notanumber.YQ"));
        assertNull(Credential.parse("v1.!!.Yg.1.YQ"));
        assertNull(Credential.parse("v1." + "A".repeat(Credential.MAX_LENGTH) + ".Yg.1.YQ"));
    }

    @Test
    void theTextFormRoundTrips() {
        Credential credential = Credential.issue(AUTHORITY.getPrivate(), "José da Silva", "eleição", EXPIRES);
        Credential read = Credential.parse(credential.text());
        assertEquals("José da Silva", read.voter());
        assertEquals("eleição", read.poll());
        assertEquals(EXPIRES, read.expires());
        assertArrayEquals(credential.signature(), read.signature());
    }

    @Test
    void keysSurviveTheirPemFiles(@TempDir Path dir) throws Exception {
        AuthorityKeys.write(dir.resolve("chave.pem"), AUTHORITY.getPrivate());
        AuthorityKeys.write(dir.resolve("chave-publica.pem"), AUTHORITY.getPublic());
        assertTrue(Files.readString(dir.resolve("chave.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));
        Credential credential = Credential.issue(AuthorityKeys.readPrivate(dir.resolve("chave.pem")), "ana", "p", EXPIRES);
        assertTrue(credential.signedBy(VerifyingKey.read(dir.resolve("chave-publica.pem"))));
    }
}
