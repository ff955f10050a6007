package votacao.client.it;

import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import votacao.client.VoteCommandTest;

/** The client tests again, launching the packaged client (the JVM jar, or the native executable with -Dnative). */
@QuarkusMainIntegrationTest
class VoteCommandIT extends VoteCommandTest {
}
