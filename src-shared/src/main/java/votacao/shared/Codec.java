package votacao.shared;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
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
        try (JsonParser parser = MAPPER.createParser(body)) {
            return voteIn(parser);
        } catch (IOException e) {
            return new VoteReading.Malformed("body is not JSON", null);
        }
    }

    /**
     * Reads the vote token by token: a tree of the body would cost the server more than deciding the vote.
     * What it says of a body is what reading the body as a tree says (VoteReadingAgreementTest holds the
     * two side by side): a later field of the same name wins, fields after the object's end are not read.
     */
    private static VoteReading voteIn(JsonParser parser) throws IOException {
        JsonToken root = parser.nextToken();
        if (root != JsonToken.START_OBJECT) {
            if (root != null) {
                parser.skipChildren(); // a broken array or value is "not JSON", as a whole reading would say
                parser.finishToken();
            }
            return new VoteReading.Malformed("body is not a JSON object", null);
        }
        String userId = null;
        String option = null;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            boolean text = parser.nextToken() == JsonToken.VALUE_STRING;
            if (field.equals("userId")) {
                userId = text ? parser.getText() : null;
            } else if (field.equals("opcao")) {
                option = text ? parser.getText() : null;
            }
            parser.skipChildren();
        }
        if (token != JsonToken.END_OBJECT) {
            return new VoteReading.Malformed("body is not JSON", null); // it ended inside the object
        }
        if (userId == null) {
            return new VoteReading.Malformed("userId is missing or not a string", null);
        }
        if (userId.isBlank()) {
            return new VoteReading.Malformed("userId is empty", null);
        }
        if (option == null) {
            return new VoteReading.Malformed("opcao is missing or not a string", userId);
        }
        return new VoteReading.Valid(new Vote(userId, option));
    }

    private static boolean isUtf8(byte[] body) {
        for (byte b : body) {
            if (b < 0) {
                return decodes(body); // not ASCII alone: the decoder judges the multi-byte sequences
            }
        }
        return true;
    }

    private static boolean decodes(byte[] body) {
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
