package votacao.shared.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points the Quarkus tests (in-process, packaged or {@code @QuarkusMainTest}) at the tests' private
 * broker. A module registers it once, on any test class, with
 * {@code @QuarkusTestResource(TestBrokerResource.class)}: unrestricted, it applies to all of them.
 */
public final class TestBrokerResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return TestBroker.configuration();
    }

    @Override
    public void stop() {
        // the node outlives the test class: the build stops it (see TestBroker)
    }
}
