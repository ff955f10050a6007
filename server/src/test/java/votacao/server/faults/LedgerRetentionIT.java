package votacao.server.faults;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import votacao.shared.testing.ServerProcess;
import votacao.shared.testing.TestBroker;

/** The ledger stream is bounded by age, and never so tightly that it could trim the running poll. */
class LedgerRetentionIT {

    @Test
    void theLedgerKeepsItsRecordForTheConfiguredTime() throws Exception {
        try (ServerProcess server = ServerProcess.start("retention", Map.of("VOTACAO_LEDGER_RETENCAO", "7d"))) {
            String queues = TestBroker.rabbitmqctlOutput("list_queues", "--no-table-headers", "name", "arguments");
            String line = queues.lines().filter(l -> l.startsWith(server.ledgerStream())).findFirst().orElseThrow();
            assertTrue(line.contains("{\"x-max-age\",\"604800s\"}"), line);
        }
    }

    @Test
    void aRetentionThatCouldTrimTheRunningPollIsRefusedAtStart() throws Exception {
        assertThrows(IllegalStateException.class, () -> ServerProcess.start("short-retention",
                Map.of("VOTACAO_DURACAO", "180s", "VOTACAO_LEDGER_RETENCAO", "1h")).close());
        String log = Files.readString(Path.of("target", "server-short-retention.log"));
        assertTrue(log.contains("votacao.ledger.retencao (PT1H) must exceed votacao.duracao (PT3M) by a day at least"),
                log);
    }
}
