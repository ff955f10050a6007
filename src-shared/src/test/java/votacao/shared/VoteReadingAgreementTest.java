package votacao.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@link Codec#readVote} reads a vote token by token; reading the body as a tree, as it did before, is
 * the plainer statement of the same rules. The two must say the same of every body: the valid vote, or
 * the same reason and voter. The bodies are hand-made edge cases and every one-character cut, deletion
 * and insertion of a few votes.
 */
class VoteReadingAgreementTest {

    private static final ObjectMapper TREES = new ObjectMapper();

    private static final List<String> SEEDS = List.of(
            "{\"userId\":\"ana\",\"opcao\":\"B\"}",
            "{\"opcao\":\"A\",\"extra\":{\"userId\":7,\"list\":[1,{\"opcao\":[]}]},\"userId\":\"bia\"}",
            "{\"userId\":\"c\\u00e9u\",\"opcao\":\"\\\"\",\"n\":-1.5e3,\"t\":true,\"z\":null}",
            "  {\"userId\":\"x\",\"userId\":\"y\",\"opcao\":\"C\"}  ",
            "[{\"userId\":\"ana\",\"opcao\":\"B\"}]");

    private static final List<String> EDGES = List.of(" ", "{", "}", "[", "[1,2", "\"abc", "\"a\\q\"", "42x",
            "nul", "null", "{\"userId\":\"a\"}xyz", "{\"userId\":\"a\",\"opcao\":\"A\",}", "{\"userId\":\"a\" \"opcao\":\"A\"}",
            "{\"userId\":{\"a\":1},\"opcao\":\"A\"}", "{\"userId\":\"a\",\"opcao\":\"A\",\"x\":\"\\q\"}",
            "{\"userId\":\"a\",\"userId\":3,\"opcao\":\"A\"}", "{\"userId\":\"a\",\"opcao\":\"A\",\"x\":01}",
            "{\"userId\":\"\\t\",\"opcao\":\"A\"}", "{\"userId\":\"a\",\"opcao\":\"A\"", "{\"userId\":\"a\",\"opcao\"");

    @Test
    void tokensAndTreeSayTheSameOfEveryBody() {
        Set<String> bodies = new LinkedHashSet<>(EDGES);
        for (String seed : SEEDS) {
            bodies.add(seed);
            for (int i = 0; i <= seed.length(); i++) {
                bodies.add(seed.substring(0, i));
                if (i < seed.length()) {
                    bodies.add(seed.substring(0, i) + seed.substring(i + 1));
                }
                for (char c : "{}[]\",:\\1a ".toCharArray()) {
                    bodies.add(seed.substring(0, i) + c + seed.substring(i));
                }
            }
        }
        List<String> disagreements = new ArrayList<>();
        int valid = 0;
        for (String body : bodies) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            VoteReading tokens = Codec.readVote(bytes);
            if (!tokens.equals(asTree(bytes))) {
                disagreements.add(body + " -> " + tokens + " / tree " + asTree(bytes));
            }
            if (tokens instanceof VoteReading.Valid) {
                valid++;
            }
        }
        assertEquals(List.of(), disagreements);
        assertTrue(valid > 10 && valid < bodies.size() / 2, valid + " valid of " + bodies.size());
    }

    /** The reading as it was: the whole body as a tree, then its fields. */
    private static VoteReading asTree(byte[] body) {
        if (body.length == 0) {
            return new VoteReading.Malformed("empty body", null);
        }
        JsonNode root;
        try {
            root = TREES.readTree(body);
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
}
