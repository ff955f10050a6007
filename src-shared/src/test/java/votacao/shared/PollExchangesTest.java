package votacao.shared;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Connection;

import votacao.shared.testing.TestBroker;
import votacao.shared.testing.VoterProbe;
import votacao.shared.testing.VotersUser;

/**
 * A voter's program declares the protocol's exchanges, or, as a voters' user that may not, checks that a
 * server has. Each test on a virtual host of its own on the tests' private broker, deleted after it.
 */
class PollExchangesTest {

    private String virtualHost;

    @BeforeEach
    void newVirtualHost() {
        virtualHost = VoterProbe.uniqueUser("votacao-test");
        TestBroker.rabbitmqctlOutput("add_vhost", virtualHost);
        TestBroker.rabbitmqctlOutput("set_permissions", "-p", virtualHost, TestBroker.USERNAME, ".*", ".*", ".*");
    }

    @AfterEach
    void deleteVirtualHost() {
        TestBroker.rabbitmqctlOutput("delete_vhost", virtualHost);
    }

    @Test
    void aVotersUserFindsTheExchangesAServerDeclared() throws Exception {
        try (Connection server = VoterProbe.factory(TestBroker.USERNAME, TestBroker.PASSWORD, virtualHost)
                .newConnection()) {
            PollExchanges.declareOrCheck(server);
        }
        try (VotersUser voters = VotersUser.create(virtualHost);
                Connection voter = voters.factory().newConnection()) {
            assertDoesNotThrow(() -> PollExchanges.declareOrCheck(voter));
            assertDoesNotThrow(() -> PollExchanges.declareOrCheck(voter), "the connection survives the refusal");
        }
    }

    @Test
    void aVotersUserOnABrokerNoServerRanOnIsToldSo() throws Exception {
        try (VotersUser voters = VotersUser.create(virtualHost);
                Connection voter = voters.factory().newConnection()) {
            assertThrows(PollExchanges.Missing.class, () -> PollExchanges.declareOrCheck(voter));
        }
    }
}
