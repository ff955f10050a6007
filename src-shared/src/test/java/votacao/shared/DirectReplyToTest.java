package votacao.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class DirectReplyToTest {

    /** A name RabbitMQ 3.10 wrote for a consumer of amq.rabbitmq.reply-to (2026-12-04). */
    private static final String WRITTEN_BY_THE_BROKER =
            "amq.rabbitmq.reply-to.g1h2AA1yZXBseUA5MjQ4ODg0AAANjwAAACVrEojt.bpikVZ02vEhS9vtuhGibKg==";

    @Test
    void aNameTheBrokerWroteNamesItsNode() {
        assertEquals(Optional.of("reply@9248884"), DirectReplyTo.node(WRITTEN_BY_THE_BROKER));
        assertTrue(Protocol.isClientReplyQueue(WRITTEN_BY_THE_BROKER));
    }

    @Test
    void everyPidFormAndAtomFormIsRead() {
        assertEquals(Optional.of("rabbit@elsewhere"), DirectReplyTo.node(name(pid(88, 118, "rabbit@elsewhere", 12))));
        assertEquals(Optional.of("rabbit@elsewhere"), DirectReplyTo.node(name(pid(103, 100, "rabbit@elsewhere", 9))));
        assertEquals(Optional.of("rabbit@é"), DirectReplyTo.node(name(pid(88, 119, "rabbit@é", 12))));
        assertEquals(Optional.of("rabbit@x"), DirectReplyTo.node(name(pid(103, 115, "rabbit@x", 9))));
    }

    @Test
    void whatTheBrokerWouldChokeOnIsNotADirectReplyToName() {
        String key = ".k";
        for (String forged : new String[] {
                "amq.rabbitmq.reply-to", // bare: the broker rewrites it, a server never sees it
                "amq.rabbitmq.reply-to.",
                "amq.rabbitmq.reply-to.AAAA.x", // base64, not a term
                "amq.rabbitmq.reply-to.!!!.k", // not base64
                "amq.rabbitmq.reply-to.g2gCZAADZm9vZAADYmFy.k", // a term, {foo, bar}, not a pid
                "amq.rabbitmq.reply-to.g1h2AA1yZXBseUA5MjQ4ODg0AAANjwAAACVrEog.k", // unpadded base64
                WRITTEN_BY_THE_BROKER + ".more", // a third part
                WRITTEN_BY_THE_BROKER.substring(0, WRITTEN_BY_THE_BROKER.lastIndexOf('.') + 1), // no key
                "amq.rabbitmq.reply-to" + key, // no pid
                name(pid(88, 118, "rabbit@elsewhere", 11)), // one byte short
                name(pid(88, 118, "rabbit@elsewhere", 13)), // one byte too many
                name(pid(89, 118, "rabbit@elsewhere", 12)), // not a pid tag
                name(pid(88, 97, "rabbit@elsewhere", 12)), // node not an atom
                name(pid(88, 118, "", 12)), // empty node
                "amq.gen-but.amq.rabbitmq.reply-to.x.y" }) {
            assertEquals(Optional.empty(), DirectReplyTo.node(forged), forged);
        }
        assertFalse(Protocol.isClientReplyQueue("amq.rabbitmq.reply-to.AAAA.x"));
        assertTrue(Protocol.isClientReplyQueue("amq.gen-abc"));
    }

    /** An Erlang pid in the external term format: version, pid tag, node atom, then tail bytes of zeros. */
    static byte[] pid(int pidTag, int atomTag, String node, int tail) {
        byte[] nodeBytes = node.getBytes(atomTag == 100 || atomTag == 115 ? StandardCharsets.ISO_8859_1
                : StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(131);
        out.write(pidTag);
        out.write(atomTag);
        if (atomTag == 115 || atomTag == 119) {
            out.write(nodeBytes.length);
        } else {
            out.write(nodeBytes.length >> 8);
            out.write(nodeBytes.length & 0xff);
        }
        out.writeBytes(nodeBytes);
        out.writeBytes(new byte[tail]);
        return out.toByteArray();
    }

    static String name(byte[] pid) {
        return DirectReplyTo.PREFIX + Base64.getEncoder().encodeToString(pid) + ".a2V5";
    }
}
