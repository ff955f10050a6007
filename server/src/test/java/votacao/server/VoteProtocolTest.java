package votacao.server;

import votacao.shared.testing.VoterProbe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;

import io.quarkus.test.junit.QuarkusTest;
import votacao.shared.Protocol;
import votacao.shared.ServerMessage;
import votacao.shared.Texts;

/** Every row of the protocol, driven through the real broker as an independent client would. */
@QuarkusTest
public class VoteProtocolTest {

    private VoterProbe probe;

    @BeforeEach
    void connect() throws Exception {
        probe = new VoterProbe();
    }

    @AfterEach
    void disconnect() throws Exception {
        probe.close();
    }

    @Test
    void aPlainVoteIsConfirmedOnTheFanout() throws Exception {
        String user = VoterProbe.uniqueUser("plain");
        probe.votePlain(user, "A");
        ServerMessage answer = probe.answerTo(user);
        assertEquals(ServerMessage.CONFIRMACAO, answer.tipo());
        assertEquals(Texts.VOTE_RECORDED, answer.mensagem());
    }

    @Test
    void aSecondVoteOfTheSameUserIsRefused() throws Exception {
        String user = VoterProbe.uniqueUser("twice");
        probe.votePlain(user, "A");
        probe.answerTo(user);
        probe.votePlain(user, "B");
        ServerMessage refusal = probe.await(r -> user.equals(r.message().userId())
                && ServerMessage.ERRO.equals(r.message().tipo())).message();
        assertEquals(Texts.ALREADY_VOTED, refusal.mensagem());
    }

    @Test
    void anInvalidOptionIsRefused() throws Exception {
        String user = VoterProbe.uniqueUser("invalid");
        probe.votePlain(user, "Z");
        ServerMessage refusal = probe.answerTo(user);
        assertEquals(ServerMessage.ERRO, refusal.tipo());
        assertEquals(Texts.INVALID_OPTION, refusal.mensagem());
    }

    @Test
    void aVoterIdWithControlCharactersIsRefusedAndASpacedIdIsTheSameVoter() throws Exception {
        String user = VoterProbe.uniqueUser("ctl");
        String hostile = user + "\u0007";
        probe.publish(bytes("{\"userId\":\"" + user + "\\u0007\",\"opcao\":\"A\"}"), new AMQP.BasicProperties());
        ServerMessage refusal = probe.answerTo(hostile);
        assertEquals(Texts.INVALID_VOTER, refusal.mensagem());

        String spaced = VoterProbe.uniqueUser("spaced");
        probe.votePlain(spaced, "A");
        assertEquals(ServerMessage.CONFIRMACAO, probe.answerTo(spaced).tipo());
        probe.votePlain(spaced + " ", "B");
        assertEquals(Texts.ALREADY_VOTED, probe.answerTo(spaced + " ").mensagem());
    }

    @Test
    void aVoteWithReplyToIsAnsweredOnThatQueueWithItsCorrelationId() throws Exception {
        try (VoterProbe bystander = new VoterProbe()) {
            String user = VoterProbe.uniqueUser("reply");
            probe.publish(vote(user, "B"), VoterProbe.withReply(probe.queue(), "msg-" + user, "corr-" + user));
            VoterProbe.Received answer = probe.await(r -> user.equals(r.message().userId()));
            assertEquals(ServerMessage.CONFIRMACAO, answer.message().tipo());
            assertEquals("corr-" + user, answer.properties().getCorrelationId());
            // Direct answers are not broadcast: another client never sees it.
            probe.result(m -> true);
            assertTrue(bystander.answersTo(user).isEmpty());
        }
    }

    @Test
    void aReplyToNamingAQueueTheVoterDidNotDeclareIsIgnoredAndTheAnswerGoesToTheFanout() throws Exception {
        // A stranger's reply_to could name the server's own ledger, votos or votos.dlq: the server answers
        // only into queues the broker named for a client (amq.gen-...) or RabbitMQ's direct reply-to.
        String target = "votacao.teste.alvo-" + UUID.randomUUID();
        probe.declareOwnQueue(target);
        String user = VoterProbe.uniqueUser("hostile-reply");
        probe.publish(vote(user, "A"), VoterProbe.withReply(target, "msg-" + user, "corr-" + user));
        VoterProbe.Received answer = probe.await(r -> user.equals(r.message().userId()));
        assertEquals(ServerMessage.CONFIRMACAO, answer.message().tipo());
        assertEquals("corr-" + user, answer.properties().getCorrelationId());
        assertEquals(0, probe.depth(target));
    }

    @Test
    void aVoteSentAgainWithTheSameMessageIdGetsTheSameAnswerAndCountsOnce() throws Exception {
        String user = VoterProbe.uniqueUser("retry");
        AMQP.BasicProperties props = VoterProbe.withReply(probe.queue(), "msg-" + user, "c1");
        probe.publish(vote(user, "C"), props);
        probe.publish(vote(user, "C"), props);
        await().atMost(VoterProbe.PATIENCE).until(() -> probe.answersTo(user).size() == 2);
        for (ServerMessage answer : probe.answersTo(user)) {
            assertEquals(ServerMessage.CONFIRMACAO, answer.tipo());
        }
        // A different message id is a second vote.
        probe.publish(vote(user, "C"), VoterProbe.withReply(probe.queue(), "other-" + user, "c2"));
        await().atMost(VoterProbe.PATIENCE).until(() -> probe.answersTo(user).size() == 3);
        assertEquals(Texts.ALREADY_VOTED, probe.answersTo(user).get(2).mensagem());
    }

    @Test
    void badInputIsSetAsideAndValidVotesKeepFlowing() throws Exception {
        String voter = VoterProbe.uniqueUser("no-option");
        List<byte[]> garbage = List.of(
                bytes("this is not json"),
                bytes("[\"A\"]"),
                bytes("{\"opcao\":\"A\"}"),
                bytes("{\"userId\":\"\",\"opcao\":\"A\"}"),
                bytes("{\"userId\":42,\"opcao\":\"A\"}"),
                bytes("{\"userId\":\"" + voter + "\"}"),
                bytes("{\"userId\":\"" + voter + "\",\"opcao\":7}"),
                new byte[] { '{', '"', 'u', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}' },
                bytes("{\"userId\":\"" + "x".repeat(Protocol.MAX_VOTE_BYTES) + "\",\"opcao\":\"A\"}"),
                new byte[0]);
        for (byte[] body : garbage) {
            probe.publish(body, new AMQP.BasicProperties.Builder().messageId("garbage").build());
        }
        String user = VoterProbe.uniqueUser("after-garbage");
        probe.votePlain(user, "A");
        assertEquals(ServerMessage.CONFIRMACAO, probe.answerTo(user).tipo());

        // The voter whose option was unreadable is told so, once per bad vote.
        await().atMost(VoterProbe.PATIENCE).until(() -> probe.answersTo(voter).size() == 2);
        assertEquals(Texts.MALFORMED_VOTE, probe.answersTo(voter).get(0).mensagem());

        // Every bad body reached the dead-letter queue with the reason.
        AtomicReference<Integer> setAside = new AtomicReference<>(0);
        await().atMost(VoterProbe.PATIENCE).until(() -> {
            GetResponse letter;
            while ((letter = probe.take(Protocol.DEAD_LETTER_QUEUE)) != null) {
                if ("garbage".equals(letter.getProps().getMessageId())) {
                    assertNotNull(letter.getProps().getHeaders().get(Protocol.DEAD_LETTER_REASON_HEADER));
                    setAside.set(setAside.get() + 1);
                }
            }
            return setAside.get() >= garbage.size();
        });
    }

    @Test
    void partialResultsAgreeWithTheAcceptedVotes() throws Exception {
        ServerMessage before = probe.result(m -> ServerMessage.PARCIAL.equals(m.tipo()));
        Map<String, Long> start = before.resultado();
        assertEquals(List.of("A", "B", "C"), List.copyOf(start.keySet()));
        String[] options = { "A", "B", "B", "C", "C", "C" };
        for (String option : options) {
            String user = VoterProbe.uniqueUser("tally");
            probe.votePlain(user, option);
            assertEquals(ServerMessage.CONFIRMACAO, probe.answerTo(user).tipo());
        }
        ServerMessage after = probe.result(m -> ServerMessage.PARCIAL.equals(m.tipo())
                && m.total() == before.total() + options.length);
        assertEquals(VoterProbe.count(start, "A") + 1, VoterProbe.count(after.resultado(), "A"));
        assertEquals(VoterProbe.count(start, "B") + 2, VoterProbe.count(after.resultado(), "B"));
        assertEquals(VoterProbe.count(start, "C") + 3, VoterProbe.count(after.resultado(), "C"));
        assertNull(after.userId());
        assertNotNull(after.encerraEm());
    }

    private static byte[] vote(String user, String option) {
        return bytes("{\"userId\":\"" + user + "\",\"opcao\":\"" + option + "\"}");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
