package votacao.server;

import io.quarkus.test.common.QuarkusTestResource;
import votacao.shared.testing.TestBrokerResource;

/** Every Quarkus test of this module talks to the tests' private broker, never to a user's (see TestBroker). */
@QuarkusTestResource(TestBrokerResource.class)
public final class UsesTestBroker {

    private UsesTestBroker() {
    }
}
