package votacao.server.poll;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * What counts as one voter: the id as sent, without surrounding white space, in Unicode NFC, so that
 * "ana", "ana " and the two ways of writing "Ána" are one voter. An id with control characters, or
 * longer than {@value #MAX_BYTES} bytes in UTF-8, is no voter's: it would only grow the poll's memory
 * and ledger (and the ledger is replayed at every start).
 */
public final class VoterId {

    public static final int MAX_BYTES = 128;

    private VoterId() {
    }

    /** The voter's canonical id, or null when the id is not acceptable. */
    public static String canonical(String raw) {
        if (raw == null) {
            return null;
        }
        String id = Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
        if (id.isEmpty() || id.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return null;
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                return null;
            }
        }
        return id;
    }
}
