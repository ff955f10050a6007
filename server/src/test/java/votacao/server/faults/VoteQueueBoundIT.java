package votacao.server.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;

import votacao.shared.Codec;
import votacao.shared.Protocol;
import votacao.shared.Vote;
import votacao.shared.testing.ServerProcess;
import votacao.shared.testing.VoterProbe;

/**
 * The vote queue is bounded: with no server consuming, votes beyond {@code votacao.fila.max-votos}
 * are refused to their publisher (a nack), never dropped in silence, and the ones it took are all
 * counted once a server is back. The test bounds the queue small, so it declares it afresh (on the
 * tests' own broker) and removes it after, for the tests that follow to declare it with the default.
 */
class VoteQueueBoundIT {

    private static final int BOUND = 100;
    private static final int SENT = 150;

    @BeforeEach
    @AfterEach
    void theVoteQueueIsDeclaredAfresh() throws Exception {
        try (Connection connection = VoterProbe.factory().newConnection("votacao-test-bounds")) {
            connection.createChannel().queueDelete(Protocol.VOTES_QUEUE);
            connection.createChannel().queueDelete(Protocol.VOTES_QUEUE + ".dlq");
        }
    }

    @Test
    void votesBeyondTheBoundAreRefusedToTheirPublisherAndTheOthersCounted() throws Exception {
        try (ServerProcess server = ServerProcess.start("queue-bound", Map.of("VOTACAO_DURACAO", "600s",
                "VOTACAO_FILA_MAX_VOTOS", Integer.toString(BOUND)))) {
            server.kill(); // nothing consumes: the queue fills up
            AtomicInteger acked = new AtomicInteger();
            AtomicInteger nacked = new AtomicInteger();
            try (Connection connection = VoterProbe.factory().newConnection("votacao-test-bounds")) {
                Channel channel = connection.createChannel();
                channel.confirmSelect();
                channel.addConfirmListener(new ConfirmListener() {
                    @Override
                    public void handleAck(long tag, boolean multiple) {
                        acked.incrementAndGet();
                    }

                    @Override
                    public void handleNack(long tag, boolean multiple) {
                        nacked.incrementAndGet();
                    }
                });
                for (int i = 0; i < SENT; i++) {
                    // one at a time: a confirm per vote, so that the counts are exact
                    channel.basicPublish(Protocol.VOTES_EXCHANGE, Protocol.VOTE_ROUTING_KEY,
                            new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
                            Codec.encode(new Vote("bounded-" + i, "A")));
                    channel.waitForConfirms(10_000);
                }
            }
            // A quorum queue checks its length before it appends, so it may end one or two over the bound; the
            // killed server's baton (see the server's Baton) holds one place.
            assertTrue(acked.get() >= BOUND - 1 && acked.get() <= BOUND + 1, acked + " taken by the queue");
            assertEquals(SENT, acked.get() + nacked.get(), "every vote taken or refused to its publisher");
            long taken = acked.get();

            server.startAgain();
            try (VoterProbe probe = new VoterProbe()) {
                assertEquals(Map.of("A", taken), probe.result(r -> r.total() != null && r.total() == taken)
                        .resultado().entrySet().stream().filter(e -> e.getValue() > 0)
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
            }
        }
    }
}
