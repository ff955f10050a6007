package votacao.server;

import votacao.shared.testing.VoterProbe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import votacao.shared.ServerMessage;
import votacao.shared.Texts;

/** A short voting window: the final result at the close, and nothing accepted after it. */
@QuarkusTest
@TestProfile(PollWindowTest.ShortWindow.class)
class PollWindowTest {

    public static class ShortWindow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("votacao.duracao", "4s", "votacao.opcoes", "Sim,Não");
        }
    }

    @Test
    void theFinalResultComesAtTheCloseAndLateVotesAreRefused() throws Exception {
        try (VoterProbe probe = new VoterProbe()) {
            String early = VoterProbe.uniqueUser("early");
            probe.votePlain(early, "Não");
            assertEquals(ServerMessage.CONFIRMACAO, probe.answerTo(early).tipo());

            ServerMessage result = probe.result(m -> ServerMessage.FINAL.equals(m.tipo()));
            assertEquals(Map.of("Sim", 0L, "Não", 1L), result.resultado());

            String late = VoterProbe.uniqueUser("late");
            probe.votePlain(late, "Sim");
            ServerMessage refusal = probe.answerTo(late);
            assertEquals(ServerMessage.ERRO, refusal.tipo());
            assertEquals(Texts.POLL_CLOSED, refusal.mensagem());

            // The final result keeps coming for clients that join late, unchanged.
            try (VoterProbe latecomer = new VoterProbe()) {
                ServerMessage again = latecomer.result(m -> ServerMessage.FINAL.equals(m.tipo()));
                assertEquals(result.resultado(), again.resultado());
            }
            await().during(java.time.Duration.ofSeconds(2)).atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> probe.answersTo(late).size() == 1);
        }
    }
}
