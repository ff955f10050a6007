package votacao.server;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Starts the server, or with the argument {@code recontar} only recounts the ledger, or with
 * {@code chaves}/{@code credenciais} runs the poll authority's commands (no Quarkus, no broker). A recount must
 * not take votes off the queue (a running server may be consuming it), so its consumer is disabled.
 * The server runs until it is told to stop (SIGTERM, Ctrl+C) and then exits with status 0 after a
 * graceful shutdown, or with the status of {@link #exit(int)}.
 */
@QuarkusMain
public class ServerMain implements QuarkusApplication {

    /**
     * The connector hands each delivery to the vote workers through a Mutiny {@code emitOn} buffer
     * (256 by default). After a reconnection its consumer ignores the stream's demand
     * (smallrye-reactive-messaging #1906, #2424): a burst larger than the buffer ends the stream and
     * the server stops taking votes. Room for a large backlog costs only an array of references.
     */
    static final int DELIVERY_BUFFER = 65_536;

    private static volatile int status;

    public static void main(String... args) {
        if (AuthorityCommands.handles(args)) {
            System.exit(new AuthorityCommands(System.out, System.err).run(args));
        }
        Infrastructure.setBufferSizeS(DELIVERY_BUFFER);
        if (args.length > 0 && ServerStartup.RECOUNT.equals(args[0])) {
            System.setProperty("mp.messaging.incoming.votos.enabled", "false");
            System.setProperty("quarkus.log.category.\"io.smallrye.reactive.messaging\".level", "ERROR");
            // Nor take the running server's HTTP port: any free one will do for the few seconds it runs.
            System.setProperty("quarkus.http.port", "0");
        }
        Quarkus.run(ServerMain.class, args);
    }

    /** Stops the application with this exit status. */
    static void exit(int code) {
        status = code;
        Quarkus.asyncExit(code);
    }

    @Override
    public int run(String... args) {
        Quarkus.waitForExit();
        return status;
    }
}
