package votacao.shared;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON on the wire: UTF-8, the field names of the protocol, unknown fields ignored. */
public final class Codec {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Codec() {
    }

    public static byte[] encode(Object message) {
        try {
            return MAPPER.writeValueAsBytes(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T decode(byte[] body, Class<T> type) {
        try {
            return MAPPER.readValue(body, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    public static ServerMessage decodeServerMessage(byte[] body) {
        return decode(body, ServerMessage.class);
    }

    /**
     * Reads a vote strictly: a UTF-8 JSON object, no larger than {@link Protocol#MAX_VOTE_BYTES}, with a
     * non-empty string {@code userId} and a string {@code opcao}. Never throws.
     */
    public static VoteReading readVote(byte[] body) {
        if (body == null || body.length == 0) {
            return new VoteReading.Malformed("empty body", null);
        }
        if (body.length > Protocol.MAX_VOTE_BYTES) {
            return new VoteReading.Malformed(
                    "body of " + body.length + " bytes exceeds the limit of " + Protocol.MAX_VOTE_BYTES, null);
        }
        if (!isUtf8(body)) {
            return new VoteReading.Malformed("body is not valid UTF-8", null);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            return new VoteReading.Malformed("body is not JSON", null);
        }
        if (root == null || !root.isObject()) {
            return new VoteReading.Malformed("body is not a JSON object", null);
        }
        JsonNode userId = root.get("userId");
        if (userId == null || !userId.isTextual()) {
            return new VoteReading.Malformed("userId is missing or not a string", null);
        }
        if (userId.textValue().isBlank()) {
            return new VoteReading.Malformed("userId is empty", null);
        }
        JsonNode option = root.get("opcao");
        if (option == null || !option.isTextual()) {
            return new VoteReading.Malformed("opcao is missing or not a string", userId.textValue());
        }
        return new VoteReading.Valid(new Vote(userId.textValue(), option.textValue()));
    }

    private static boolean isUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
