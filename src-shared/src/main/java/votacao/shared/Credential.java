package votacao.shared;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A voter's credential in signed mode: the poll's authority says, with its Ed25519 key, that this
 * voter may vote in this poll until this instant. A vote carries it as the text of the AMQP header
 * {@value #HEADER}; the server checks it with the public key only, and keeps it in the ledger so that
 * anyone with that public key can check every counted vote again ({@code recontar --chave-publica}).
 *
 * <p>Text form: {@code v1.<voter>.<poll>.<expiry>.<signature>}, voter, poll and signature in unpadded
 * base64url, expiry in seconds since the epoch. The signature covers {@link #signedBytes}: the three
 * fields on lines of their own after a fixed first line, so that no field can be shifted into another
 * (voter ids hold no line breaks: see VoterId).
 */
public record Credential(String voter, String poll, Instant expires, byte[] signature) {

    /** The AMQP header a vote carries its credential in. */
    public static final String HEADER = "x-votacao-credencial";
    /** Longer than any credential this code issues: a longer header is refused unread. */
    public static final int MAX_LENGTH = 2048;
    private static final String VERSION = "v1";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** Signs a credential for this voter and poll, valid until {@code expires}. */
    public static Credential issue(PrivateKey key, String voter, String poll, Instant expires) {
        byte[] message = signedBytes(voter, poll, expires);
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(AuthorityKeys.raw(key), 0, message, 0, message.length, signature, 0);
        return new Credential(voter, poll, Instant.ofEpochSecond(expires.getEpochSecond()), signature);
    }

    /** Reads the text form; null when it is not one. */
    public static Credential parse(String text) {
        if (text == null || text.length() > MAX_LENGTH) {
            return null;
        }
        String[] parts = text.strip().split("\\.", -1);
        if (parts.length != 5 || !VERSION.equals(parts[0])) {
            return null;
        }
        try {
            return new Credential(new String(DECODER.decode(parts[1]), StandardCharsets.UTF_8),
                    new String(DECODER.decode(parts[2]), StandardCharsets.UTF_8),
                    Instant.ofEpochSecond(Long.parseLong(parts[3])), DECODER.decode(parts[4]));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return null;
        }
    }

    /** The text form, for the header and for the organiser's list. */
    public String text() {
        return VERSION + "." + ENCODER.encodeToString(voter.getBytes(StandardCharsets.UTF_8)) + "."
                + ENCODER.encodeToString(poll.getBytes(StandardCharsets.UTF_8)) + "." + expires.getEpochSecond() + "."
                + ENCODER.encodeToString(signature);
    }

    /** Whether the authority whose public key this is signed exactly these fields. */
    public boolean signedBy(VerifyingKey key) {
        return key.verifies(signature, signedBytes(voter, poll, expires));
    }

    /**
     * Whether this credential lets {@code voter} vote in {@code poll} at {@code when}: signed by the
     * key, for this voter and this poll, not expired.
     */
    public boolean admits(VerifyingKey key, String voter, String poll, Instant when) {
        return this.voter.equals(voter) && this.poll.equals(poll) && when.isBefore(expires) && signedBy(key);
    }

    static byte[] signedBytes(String voter, String poll, Instant expires) {
        return ("votacao credencial " + VERSION + "\n" + voter + "\n" + poll + "\n" + expires.getEpochSecond())
                .getBytes(StandardCharsets.UTF_8);
    }
}
