package votacao.shared;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The poll authority's public key, decoded once into the point Ed25519 verification works with. In
 * signed mode the server checks every vote against it: decoding the key's 32 bytes into a curve point
 * (a square root) for each vote would repeat work that never changes.
 */
public final class VerifyingKey {

    private final Ed25519.PublicPoint point;

    private VerifyingKey(Ed25519.PublicPoint point) {
        this.point = point;
    }

    /** @throws IllegalArgumentException when the key is not a valid Ed25519 public key */
    public static VerifyingKey of(PublicKey key) {
        Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(AuthorityKeys.raw(key), 0);
        if (point == null) {
            throw new IllegalArgumentException("not a valid Ed25519 public key");
        }
        return new VerifyingKey(point);
    }

    /** The public key in this PEM file ({@link AuthorityKeys#readPublic}). */
    public static VerifyingKey read(Path pem) throws IOException {
        try {
            return of(AuthorityKeys.readPublic(pem));
        } catch (IllegalArgumentException e) {
            throw new IOException(pem + ": " + e.getMessage(), e);
        }
    }

    boolean verifies(byte[] signature, byte[] message) {
        return signature.length == Ed25519.SIGNATURE_SIZE
                && Ed25519.verify(signature, 0, point, message, 0, message.length);
    }
}
