package votacao.server;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the server, or with the argument {@code recontar} only recounts the ledger. A recount must
 * not take votes off the queue (a running server may be consuming it), so its consumer is disabled.
 */
@QuarkusMain
public class ServerMain {

    public static void main(String... args) {
        if (args.length > 0 && ServerStartup.RECOUNT.equals(args[0])) {
            System.setProperty("mp.messaging.incoming.votos.enabled", "false");
            System.setProperty("quarkus.log.category.\"io.smallrye.reactive.messaging\".level", "ERROR");
        }
        Quarkus.run(args);
    }
}
