package votacao.server.it;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import votacao.server.VoteProtocolTest;

/** The protocol tests again, against the packaged server (the JVM jar, or the native executable with -Dnative). */
@QuarkusIntegrationTest
class VoteProtocolIT extends VoteProtocolTest {
}
