package votacao.shared;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The poll authority's Ed25519 keys as PEM files (PKCS#8 private, X.509 public), the format openssl
 * reads and writes ({@code openssl pkey -in chave.pem -pubout} gives the public one).
 */
public final class AuthorityKeys {

    private static final String ALGORITHM = "Ed25519";
    private static final String PRIVATE = "PRIVATE KEY";
    private static final String PUBLIC = "PUBLIC KEY";
    private static final int RAW_LENGTH = 32;
    private static final int PUBLIC_PREFIX = 12;
    private static final int PRIVATE_PREFIX = 16;

    private AuthorityKeys() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java has no Ed25519", e);
        }
    }

    public static void write(Path file, PrivateKey key) throws IOException {
        Files.writeString(file, pem(PRIVATE, key.getEncoded()));
    }

    public static void write(Path file, PublicKey key) throws IOException {
        Files.writeString(file, pem(PUBLIC, key.getEncoded()));
    }

    public static PrivateKey readPrivate(Path file) throws IOException {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der(file, PRIVATE)));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " is not an Ed25519 private key (" + e.getMessage() + ")", e);
        }
    }

    public static PublicKey readPublic(Path file) throws IOException {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der(file, PUBLIC)));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " is not an Ed25519 public key (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The key's 32 raw bytes (RFC 8032), the form the signing code takes: the tail of its standard
     * encoding (X.509 SubjectPublicKeyInfo, PKCS#8 v1), whose prefix for Ed25519 is fixed.
     */
    static byte[] raw(java.security.Key key) {
        byte[] encoded = key.getEncoded();
        int prefix = key instanceof PublicKey ? PUBLIC_PREFIX : PRIVATE_PREFIX;
        if (!ALGORITHM.equals(key.getAlgorithm()) && !"EdDSA".equals(key.getAlgorithm()) || encoded == null
                || encoded.length != prefix + RAW_LENGTH) {
            throw new IllegalArgumentException("not an Ed25519 key: " + key.getAlgorithm());
        }
        return java.util.Arrays.copyOfRange(encoded, prefix, encoded.length);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(Path file, String type) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IOException(file + " holds no PEM " + type);
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": the PEM " + type + " is not valid base64", e);
        }
    }
}
