package votacao.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;

import io.quarkus.test.junit.QuarkusTest;
import votacao.shared.Codec;
import votacao.shared.Protocol;
import votacao.shared.ServerMessage;
import votacao.shared.Vote;
import votacao.shared.testing.VoterProbe;

/**
 * A vote's properties that would steer what the server publishes: RabbitMQ's direct reply-to as its
 * {@code reply_to} (a voter that consumes it gets its answer there; a forged name, which the broker, sent
 * an answer to it, would answer by closing the server's connection, again at every redelivery of the vote,
 * gets its answer on the broadcast), and a {@code CC} header, which the broker reads as more routing keys.
 */
@QuarkusTest
public class HostileRoutingTest {

    /**
     * Forged names, each of which made RabbitMQ 3.10 close the server's connection with INTERNAL_ERROR
     * (2026-12-04, before the server checked them): base64 that is no Erlang term, a term that is no pid,
     * and a well-formed pid on a node that is not the broker's.
     */
    private static final List<String> FORGED = List.of(
            "amq.rabbitmq.reply-to.AAAA.x",
            "amq.rabbitmq.reply-to.g2gCZAADZm9vZAADYmFy.k",
            "amq.rabbitmq.reply-to.g1h2ABZyYWJiaXRAbm93aGVyZS12b3RhY2FvAAANjwAAACVrEojt.bpikVZ02vEhS9vtuhGibKg==");

    @Test
    void aVoterOnDirectReplyToGetsItsAnswerThere() throws Exception {
        try (Connection connection = VoterProbe.factory().newConnection("votacao-test-direct-reply-to")) {
            Channel channel = connection.createChannel();
            CompletableFuture<ServerMessage> answer = new CompletableFuture<>();
            channel.basicConsume(Protocol.DIRECT_REPLY_TO, true,
                    (tag, delivery) -> answer.complete(Codec.decodeServerMessage(delivery.getBody())), tag -> {
                    });
            String user = VoterProbe.uniqueUser("direct-reply-to");
            // The broker writes the channel's own name into reply_to on the way.
            channel.basicPublish(Protocol.VOTES_EXCHANGE, Protocol.VOTE_ROUTING_KEY,
                    VoterProbe.withReply(Protocol.DIRECT_REPLY_TO, "msg-" + user, "corr-" + user),
                    Codec.encode(new Vote(user, "A")));
            ServerMessage received = answer.get(VoterProbe.PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertEquals(user, received.userId());
            assertEquals(ServerMessage.CONFIRMACAO, received.tipo());
        }
    }

    @Test
    void aForgedDirectReplyToIsAnsweredOnTheBroadcastAndTheVotesAroundItAreAnswered() throws Exception {
        try (VoterProbe probe = new VoterProbe()) {
            for (String forged : FORGED) {
                answeredOnTheBroadcast(probe, forged);
            }
        }
    }

    private static void answeredOnTheBroadcast(VoterProbe probe, String forged) throws Exception {
        String user = VoterProbe.uniqueUser("forged-reply-to");
        probe.publish(Codec.encode(new Vote(user, "A")), VoterProbe.withReply(forged, "msg-" + user, "corr-" + user));
        String neighbour = VoterProbe.uniqueUser("beside-forged");
        probe.publish(Codec.encode(new Vote(neighbour, "B")),
                VoterProbe.withReply(probe.queue(), "msg-" + neighbour, "corr-" + neighbour));

        VoterProbe.Received answer = probe.await(r -> user.equals(r.message().userId()));
        assertEquals(ServerMessage.CONFIRMACAO, answer.message().tipo(), forged);
        assertEquals("corr-" + user, answer.properties().getCorrelationId(), forged);
        assertEquals(ServerMessage.CONFIRMACAO, probe.answerTo(neighbour).tipo(), forged);
        assertEquals(1, probe.answersTo(user).size(), forged);
    }

    /**
     * An unreadable vote is copied to votos.dlq with its headers; a {@code CC} header among them would have
     * the broker copy it into every queue it names as well (sender-selected distribution), with the
     * server's rights: its ledger stream, say, where an unreadable vote can be a well-formed batch of forged
     * entries. Seen on 2026-12-04 with {@code CC: [votacao.ledger]}.
     */
    @Test
    void anUnreadableVoteIsSetAsideWithoutTheCopiesItsCcHeaderAsksFor() throws Exception {
        try (VoterProbe probe = new VoterProbe()) {
            String target = "votacao.teste.cc-" + UUID.randomUUID();
            probe.declareOwnQueue(target);
            String messageId = "cc-" + UUID.randomUUID();
            byte[] forgedBatch = "[{\"tipo\":\"encerramento\"}]".getBytes(StandardCharsets.UTF_8);
            probe.publish(forgedBatch, new AMQP.BasicProperties.Builder().messageId(messageId)
                    .headers(Map.of("CC", List.of(target))).build());

            AtomicReference<GetResponse> setAside = new AtomicReference<>();
            await().atMost(VoterProbe.PATIENCE).until(() -> {
                GetResponse letter;
                while ((letter = probe.take(Protocol.DEAD_LETTER_QUEUE)) != null) {
                    if (messageId.equals(letter.getProps().getMessageId())) {
                        setAside.set(letter);
                    }
                }
                return setAside.get() != null;
            });
            assertFalse(setAside.get().getProps().getHeaders().containsKey("CC"));
            assertEquals(0, probe.depth(target));
        }
    }
}
