package votacao.server.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Connection;

import votacao.shared.ServerMessage;
import votacao.shared.testing.Command;
import votacao.shared.testing.ServerProcess;
import votacao.shared.testing.VoterProbe;

/** The audit only reads: it writes no mark into the ledger it audits and never creates one. */
class RecountIT {

    private static final Pattern READ = Pattern.compile("(\\d+) entries read");

    @Test
    void aRecountWritesNothingAndCountsTheSameTwice() throws Exception {
        try (ServerProcess server = ServerProcess.start("recount", Map.of("VOTACAO_DURACAO", "600s"));
                VoterProbe probe = new VoterProbe()) {
            String user = VoterProbe.uniqueUser("audited");
            probe.votePlain(user, "C");
            assertEquals(ServerMessage.CONFIRMACAO, probe.answerTo(user).tipo());
            String first = server.recount();
            String second = server.recount();
            assertEquals(entriesRead(first), entriesRead(second), "a recount wrote into the ledger:\n" + first + second);
            assertTrue(second.contains("Voters: 1"), second);
        }
    }

    @Test
    void aMissingLedgerIsAnErrorAndIsNotCreated() throws Exception {
        String stream = "votacao.teste.missing." + UUID.randomUUID();
        Command.Result missing = ServerProcess.recount(Map.of("VOTACAO_LEDGER_STREAM", stream));
        String output = missing.output();
        assertEquals(1, missing.exitStatus(), output);
        assertTrue(output.contains("Cannot recount the ledger " + stream + ": the ledger stream " + stream
                + " does not exist"), output);
        try (Connection connection = VoterProbe.factory().newConnection("votacao-test-recount")) {
            assertThrows(IOException.class, () -> connection.createChannel().queueDeclarePassive(stream));
        }
    }

    private static long entriesRead(String recount) {
        Matcher matcher = READ.matcher(recount);
        assertTrue(matcher.find(), recount);
        return Long.parseLong(matcher.group(1));
    }
}
