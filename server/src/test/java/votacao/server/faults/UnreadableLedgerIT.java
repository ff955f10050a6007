package votacao.server.faults;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import votacao.server.amqp.Ledger;
import votacao.server.poll.LedgerEntry;
import votacao.shared.testing.ServerProcess;
import votacao.shared.testing.VoterProbe;

/**
 * A stream cannot be edited: a message in the ledger that is not a ledger entry (an answer a hostile
 * reply_to once steered there, say) must not stop every later start, nor the audit.
 */
class UnreadableLedgerIT {

    @Test
    void theServerStartsAndTheRecountNamesWhatItSkipped() throws Exception {
        String stream = "votacao.teste.unreadable." + UUID.randomUUID();
        try (Connection connection = VoterProbe.factory().newConnection("votacao-test-ledger-writer");
                Ledger ledger = new Ledger(connection, stream)) {
            String poll = UUID.randomUUID().toString();
            ledger.append(LedgerEntry.opening(poll, List.of("A", "B", "C"), Instant.now().plusSeconds(600).toString()))
                    .get(30, TimeUnit.SECONDS);
            ledger.append(LedgerEntry.vote(poll, "ana", "B", "m-ana", null)).get(30, TimeUnit.SECONDS);
            Channel raw = connection.createChannel();
            raw.confirmSelect();
            raw.basicPublish("", stream, null, ("{\"tipo\":\"confirmacao\",\"userId\":\"intruso\","
                    + "\"mensagem\":\"Voto registrado com sucesso.\"}").getBytes(StandardCharsets.UTF_8));
            raw.basicPublish("", stream, null, "not json at all".getBytes(StandardCharsets.UTF_8));
            raw.waitForConfirmsOrDie(10_000);
            ledger.append(LedgerEntry.vote(poll, "bia", "C", "m-bia", null)).get(30, TimeUnit.SECONDS);
        }

        try (ServerProcess server = ServerProcess.start("unreadable", Map.of("VOTACAO_LEDGER_STREAM", stream))) {
            String log = server.log();
            assertTrue(log.contains("resumed with 2 votes"), log);
            assertTrue(log.contains("is not a ledger entry; skipped"), log);
            String recount = server.recount();
            assertTrue(recount.contains("Unreadable messages skipped, at offsets: ["), recount);
            assertTrue(recount.contains("Voters: 2"), recount);
        }
    }
}
