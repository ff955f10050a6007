package votacao.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CodecTest {

    @Test
    void encodesAVoteWithTheProtocolFieldNames() {
        String json = new String(Codec.encode(new Vote("usuario123", "A")), StandardCharsets.UTF_8);
        assertEquals("{\"userId\":\"usuario123\",\"opcao\":\"A\"}", json);
    }

    @Test
    void readsAValidVoteIgnoringUnknownFields() {
        VoteReading reading = Codec.readVote(bytes("{\"userId\":\"ana\",\"opcao\":\"B\",\"extra\":1}"));
        assertEquals(new VoteReading.Valid(new Vote("ana", "B")), reading);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "not json", "[1,2]", "\"text\"", "42", "{}", "{\"opcao\":\"A\"}",
            "{\"userId\":\"\",\"opcao\":\"A\"}", "{\"userId\":\"  \",\"opcao\":\"A\"}",
            "{\"userId\":7,\"opcao\":\"A\"}", "{\"userId\":null,\"opcao\":\"A\"}" })
    void refusesBodiesWithoutAReadableVoter(String body) {
        VoteReading.Malformed malformed = assertInstanceOf(VoteReading.Malformed.class, Codec.readVote(bytes(body)));
        assertFalse(malformed.hasVoter());
        assertFalse(malformed.reason().isBlank());
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"userId\":\"ana\"}", "{\"userId\":\"ana\",\"opcao\":1}",
            "{\"userId\":\"ana\",\"opcao\":[\"A\"]}", "{\"userId\":\"ana\",\"opcao\":null}" })
    void keepsTheVoterWhenOnlyTheOptionIsBad(String body) {
        VoteReading.Malformed malformed = assertInstanceOf(VoteReading.Malformed.class, Codec.readVote(bytes(body)));
        assertEquals("ana", malformed.userId());
    }

    @Test
    void refusesInvalidUtf8() {
        byte[] body = { '{', '"', 'u', (byte) 0xC3, (byte) 0x28, '"', '}' };
        VoteReading.Malformed malformed = assertInstanceOf(VoteReading.Malformed.class, Codec.readVote(body));
        assertTrue(malformed.reason().contains("UTF-8"));
    }

    @Test
    void refusesOversizedBodies() {
        String big = "{\"userId\":\"" + "x".repeat(Protocol.MAX_VOTE_BYTES) + "\",\"opcao\":\"A\"}";
        VoteReading.Malformed malformed = assertInstanceOf(VoteReading.Malformed.class, Codec.readVote(bytes(big)));
        assertTrue(malformed.reason().contains("exceeds"));
        assertNull(malformed.userId());
    }

    @Test
    void answersCarryOnlyTheirOwnFields() {
        String json = new String(Codec.encode(ServerMessage.error("ana", Texts.ALREADY_VOTED)), StandardCharsets.UTF_8);
        assertEquals("{\"tipo\":\"erro\",\"userId\":\"ana\",\"mensagem\":\"Você já votou.\"}", json);
    }

    @Test
    void resultsListEveryOptionInOrderWithTheirTotal() {
        Map<String, Long> result = new LinkedHashMap<>();
        result.put("A", 2L);
        result.put("B", 0L);
        result.put("C", 1L);
        Instant closesAt = Instant.parse("2026-01-01T10:00:00Z");
        ServerMessage decoded = Codec.decodeServerMessage(Codec.encode(ServerMessage.partial(result, closesAt)));
        assertEquals(ServerMessage.PARCIAL, decoded.tipo());
        assertEquals(result, decoded.resultado());
        assertEquals(3L, decoded.total());
        assertEquals("2026-01-01T10:00:00Z", decoded.encerraEm());
    }

    @Test
    void readsServerMessagesWithUnknownFieldsAndKinds() {
        ServerMessage m = Codec.decodeServerMessage(bytes("{\"tipo\":\"novo\",\"seq\":9,\"userId\":\"x\"}"));
        assertEquals("novo", m.tipo());
        assertFalse(m.isAnswer());
        assertFalse(m.isResult());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
