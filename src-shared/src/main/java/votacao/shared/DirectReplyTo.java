package votacao.shared;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * RabbitMQ's direct reply-to names, as the broker writes them into the {@code reply_to} of a message
 * published by a client consuming {@code amq.rabbitmq.reply-to}:
 * {@code amq.rabbitmq.reply-to.<base64 of the channel's Erlang pid>.<key>}.
 *
 * <p>Why a server must look before it publishes to one: the broker decodes the pid of every name it is
 * sent to, and a name it did not write (not base64, not a pid, a pid on a node outside its cluster) crashes
 * the publishing channel and closes its whole connection with INTERNAL_ERROR (RabbitMQ 3.10; the decoding
 * falls back to the same code in later versions). One forged {@code reply_to} would take the server's
 * answers, and the votes in flight with them, down at every redelivery. This class reads a name as the
 * broker would, without trusting it; which nodes are the broker's own is for the caller to know.
 */
public final class DirectReplyTo {

    /** What every name the broker writes starts with. */
    public static final String PREFIX = Protocol.DIRECT_REPLY_TO + ".";

    // Erlang's external term format: a version byte, then a pid (old or new form) whose node is an atom.
    private static final int VERSION = 131;
    private static final int NEW_PID_EXT = 88;
    private static final int PID_EXT = 103;
    private static final int ATOM_EXT = 100;
    private static final int SMALL_ATOM_EXT = 115;
    private static final int ATOM_UTF8_EXT = 118;
    private static final int SMALL_ATOM_UTF8_EXT = 119;
    /** Bytes after a pid's node: id and serial (4 each), then its creation (4 in the new form, 1 in the old). */
    private static final int NEW_PID_TAIL = 12;
    private static final int PID_TAIL = 9;

    private DirectReplyTo() {
    }

    /**
     * The node that a direct reply-to name's channel is on, spelt as in the name (RabbitMQ 3.10 writes
     * {@code reply@<hash of the node>}), or empty when the name is not exactly of the broker's form: one
     * pid, well-formed, and a non-empty key, separated by the only dot after the prefix.
     */
    public static Optional<String> node(String replyTo) {
        if (replyTo == null || !replyTo.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String suffix = replyTo.substring(PREFIX.length());
        int dot = suffix.indexOf('.');
        if (dot <= 0 || dot == suffix.length() - 1 || suffix.indexOf('.', dot + 1) >= 0) {
            return Optional.empty();
        }
        String pid = suffix.substring(0, dot);
        if (pid.length() % 4 != 0) {
            return Optional.empty(); // the broker pads its base64; Java's decoder would accept less
        }
        try {
            return pidNode(Base64.getDecoder().decode(pid));
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    private static Optional<String> pidNode(byte[] term) {
        if (term.length < 4 || (term[0] & 0xff) != VERSION) {
            return Optional.empty();
        }
        int tail = switch (term[1] & 0xff) {
            case NEW_PID_EXT -> NEW_PID_TAIL;
            case PID_EXT -> PID_TAIL;
            default -> -1;
        };
        int atom = term[2] & 0xff;
        int start;
        int length;
        if (atom == ATOM_EXT || atom == ATOM_UTF8_EXT) {
            start = 5;
            length = term.length < start ? -1 : (term[3] & 0xff) << 8 | term[4] & 0xff;
        } else if (atom == SMALL_ATOM_EXT || atom == SMALL_ATOM_UTF8_EXT) {
            start = 4;
            length = term[3] & 0xff;
        } else {
            return Optional.empty();
        }
        if (tail < 0 || length <= 0 || term.length != start + length + tail) {
            return Optional.empty();
        }
        boolean latin1 = atom == ATOM_EXT || atom == SMALL_ATOM_EXT;
        return Optional.of(new String(term, start, length, latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
    }
}
