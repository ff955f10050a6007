package votacao.server.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import votacao.shared.ServerMessage;
import votacao.shared.testing.VoterProbe;

/** The votes from votos are acknowledged many at a time, and every one of them is. */
@QuarkusTest
class VoteAcksTest {

    private static final int VOTES = 600;

    @Inject
    MeterRegistry registry;

    @Test
    void aBurstOfVotesIsAcknowledgedInFewAcknowledgements() throws Exception {
        DistributionSummary batches = registry.get("votacao.ack.batch.votes").summary();
        long acknowledgementsBefore = batches.count();
        double votesBefore = batches.totalAmount();
        List<String> voters = new ArrayList<>();
        try (VoterProbe probe = new VoterProbe()) {
            for (int i = 0; i < VOTES; i++) {
                String voter = VoterProbe.uniqueUser("acks");
                voters.add(voter);
                probe.votePlain(voter, "B");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> probe.received(r -> r.message().isAnswer()).size() >= VOTES);
            for (String voter : voters) {
                assertEquals(List.of(ServerMessage.CONFIRMACAO), probe.answersTo(voter).stream().map(ServerMessage::tipo).toList());
            }
        }
        // Every vote is settled (the old baton, let go when a new one is put in, may be one more).
        await().atMost(Duration.ofSeconds(20))
                .until(() -> batches.totalAmount() - votesBefore >= VOTES);
        long acknowledgements = batches.count() - acknowledgementsBefore;
        assertTrue(acknowledgements <= VOTES / 8,
                acknowledgements + " acknowledgements for " + VOTES + " votes: not acknowledged together");
    }
}
