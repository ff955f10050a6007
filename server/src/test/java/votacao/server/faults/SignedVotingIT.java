package votacao.server.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;

import votacao.server.amqp.Ledger;
import votacao.server.poll.LedgerEntry;
import votacao.server.poll.PollHistory;
import votacao.shared.AuthorityKeys;
import votacao.shared.Codec;
import votacao.shared.Credential;
import votacao.shared.ServerMessage;
import votacao.shared.Texts;
import votacao.shared.Vote;
import votacao.shared.testing.Command;
import votacao.shared.testing.ServerProcess;
import votacao.shared.testing.VoterProbe;

/**
 * Signed mode: a vote counts only with a credential from the poll's authority for its voter and
 * poll, unexpired; the ledger keeps each counted vote's credential, and {@code recontar --chave-publica}
 * verifies them all from the ledger alone and flags one that was altered.
 */
class SignedVotingIT {

    private static final String POLL = "eleicao-teste";
    private static final KeyPair AUTHORITY = AuthorityKeys.generate();
    private static final Instant LATER = Instant.now().plus(Duration.ofDays(1));

    @Test
    void onlyVotesWithAValidCredentialCountAndTheAuditVerifiesThem() throws Exception {
        Path keys = Files.createDirectories(Path.of("target", "signed-" + UUID.randomUUID()));
        Path publicKey = keys.resolve("chave-publica.pem");
        AuthorityKeys.write(publicKey, AUTHORITY.getPublic());
        try (ServerProcess server = ServerProcess.start("signed", Map.of("VOTACAO_DURACAO", "600s",
                "VOTACAO_IDENTIDADE", "assinada", "VOTACAO_ENQUETE", POLL,
                "VOTACAO_CHAVE_PUBLICA", publicKey.toString()));
                VoterProbe probe = new VoterProbe()) {
            String ana = "ana-" + UUID.randomUUID();
            vote(probe, ana, "A", credential(ana, POLL, LATER));
            assertEquals(ServerMessage.CONFIRMACAO, probe.answerTo(ana).tipo(), "an issued credential");

            String bia = "bia-" + UUID.randomUUID();
            vote(probe, bia, "B", null);
            assertRefused(probe, bia, "no credential");
            String caio = "caio-" + UUID.randomUUID();
            vote(probe, caio, "B", credential(ana, POLL, LATER));
            assertRefused(probe, caio, "another voter's credential");
            String davi = "davi-" + UUID.randomUUID();
            vote(probe, davi, "B", credential(davi, "outra-enquete", LATER));
            assertRefused(probe, davi, "another poll's credential");
            String eva = "eva-" + UUID.randomUUID();
            vote(probe, eva, "B", credential(eva, POLL, Instant.now().minusSeconds(60)));
            assertRefused(probe, eva, "an expired credential");
            String fabio = "fabio-" + UUID.randomUUID();
            vote(probe, fabio, "B", tampered(credential(fabio, POLL, LATER)));
            assertRefused(probe, fabio, "a tampered signature");
            String gil = "gil-" + UUID.randomUUID();
            vote(probe, gil, "C", Credential.issue(AuthorityKeys.generate().getPrivate(), gil, POLL, LATER).text());
            assertRefused(probe, gil, "another authority's credential");

            server.stop();
            Command.Result audit = server.audit("--chave-publica", publicKey.toString());
            assertEquals(0, audit.exitStatus(), audit.output());
            assertTrue(audit.output().contains("Credentials for poll '" + POLL + "': 1 counted votes verified, none failed"),
                    audit.output());

            // Someone with write access to the stream adds a vote whose credential was altered.
            String intruder = "intruso-" + UUID.randomUUID();
            try (Connection connection = VoterProbe.factory().newConnection("votacao-test-tamper");
                    Ledger ledger = new Ledger(connection, server.ledgerStream())) {
                // with the running server's fencing token, or the recount leaves it out before any audit
                PollHistory history = LedgerAudit.read(server.ledgerStream());
                ledger.append(LedgerEntry.vote(history.latest().pollId(), intruder, "C", "m-" + intruder,
                        Instant.now().toString(), tampered(credential(intruder, POLL, LATER)), history.activation()))
                        .get(30, TimeUnit.SECONDS);
            }
            Command.Result flagged = server.audit("--chave-publica", publicKey.toString());
            assertEquals(1, flagged.exitStatus(), flagged.output());
            assertTrue(flagged.output().contains("1 DO NOT VERIFY: [" + intruder + "]"), flagged.output());
        }
    }

    private static String credential(String voter, String poll, Instant expires) {
        return Credential.issue(AUTHORITY.getPrivate(), voter, poll, expires).text();
    }

    /** The same credential with one bit of its signature flipped. */
    private static String tampered(String credential) {
        Credential read = Credential.parse(credential);
        byte[] signature = read.signature().clone();
        signature[0] ^= 1;
        return new Credential(read.voter(), read.poll(), read.expires(), signature).text();
    }

    private static void vote(VoterProbe probe, String voter, String option, String credential) throws Exception {
        Map<String, Object> headers = new HashMap<>();
        if (credential != null) {
            headers.put(Credential.HEADER, credential);
        }
        AMQP.BasicProperties properties = VoterProbe.withReply(probe.queue(), UUID.randomUUID().toString(), null)
                .builder().headers(headers).build();
        probe.publish(Codec.encode(new Vote(voter, option)), properties);
    }

    private static void assertRefused(VoterProbe probe, String voter, String why) {
        ServerMessage answer = probe.answerTo(voter);
        assertEquals(ServerMessage.ERRO, answer.tipo(), why);
        assertEquals(Texts.INVALID_CREDENTIAL, answer.mensagem(), why);
    }
}
