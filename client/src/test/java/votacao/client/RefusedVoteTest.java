package votacao.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import votacao.shared.Protocol;
import votacao.shared.ServerMessage;
import votacao.shared.testing.VoterProbe;

/**
 * The broker refuses a vote (a nack) while a queue it routes to is full, or while a quorum queue has no
 * leader: that passes, so the client sends the vote again (same message id) until its timeout instead of
 * giving up at the first refusal.
 */
@QuarkusMainTest
class RefusedVoteTest {

    @Test
    void aVoteRefusedForAWhileIsSentAgainAndAnswered(QuarkusMainLauncher launcher) throws Exception {
        try (Connection connection = VoterProbe.factory().newConnection("refusing-broker")) {
            // A queue that takes nothing: once bound (below), every vote published to the exchange is nacked.
            Channel admin = connection.createChannel();
            String full = admin.queueDeclare("", false, true, true,
                    Map.of("x-max-length", 0, "x-overflow", "reject-publish")).getQueue();
            Runnable stopRefusing = () -> {
                try {
                    admin.queueDelete(full);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
            // A server that answers only the votes that were not refused. The refused vote reaches its queue
            // all the same: a second after that, the queue that refused it goes.
            AtomicBoolean refusing = new AtomicBoolean(true);
            AtomicBoolean stopping = new AtomicBoolean();
            FanoutAnsweringServer server = new FanoutAnsweringServer(connection, vote -> {
                if (refusing.get()) {
                    if (stopping.compareAndSet(false, true)) { // once, however often the vote is sent meanwhile
                        CompletableFuture.runAsync(stopRefusing, CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS))
                                .thenRun(() -> refusing.set(false));
                    }
                    return new ServerMessage[0];
                }
                return new ServerMessage[] { ServerMessage.confirmation(vote.userId()) };
            });
            admin.queueBind(full, Protocol.VOTES_EXCHANGE, Protocol.VOTE_ROUTING_KEY);
            LaunchResult result = server.run(() -> launcher.launch("--user-id", VoterProbe.uniqueUser("refused"),
                    "--option", "A", "--no-follow", "--timeout", "15"));
            assertEquals(ExitCode.CONFIRMED, result.exitCode(), result.getErrorOutput());
            assertTrue(result.getErrorOutput().contains("recusou o voto"), result.getErrorOutput());
            assertTrue(result.getOutput().contains("Voto registrado com sucesso."), result.getOutput());
        }
    }
}
