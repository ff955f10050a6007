package votacao.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import votacao.shared.BrokerOptions;
import votacao.shared.BrokerSettings;
import votacao.shared.Failures;
import votacao.shared.PollExchanges;
import votacao.shared.Protocol;
import votacao.shared.ServerMessage;
import votacao.shared.Vote;

/** The voter's command: ask, vote, show the answer, then follow the tally to the final result. */
@TopCommand
@Command(name = "client", mixinStandardHelpOptions = true, version = "votacao client 1.0.0",
        sortOptions = false, usageHelpAutoWidth = true,
        description = { "Vota numa enquete do votacao e acompanha o resultado ao vivo.",
                "Sem --user-id e --option, pergunta os dois. As opções oferecidas são as que o servidor anuncia." },
        exitCodeListHeading = "%nCódigos de saída:%n",
        exitCodeList = { "0:voto confirmado (e, acompanhando, resultado final recebido)",
                "1:sem conexão com o RabbitMQ, ou sem resposta dentro do --timeout",
                "2:voto recusado pelo servidor (já votou, opção inválida, votação encerrada) ou entrada inválida" },
        footer = { "%nExemplos:", "  client --user-id alice --option B", "  client --user-id alice --no-follow",
                "  client --user-id alice --option B --credencial @alice.credencial   (votação assinada)",
                "%nA conexão também pode vir do ambiente: RABBITMQ_HOST, RABBITMQ_PORT, RABBITMQ_USERNAME,"
                        + " RABBITMQ_PASSWORD." })
public class VoteCommand implements Callable<Integer> {

    private static final long RESEND_EVERY_MS = 5_000;
    /** How long a vote the broker refused waits before it goes again. */
    private static final long REFUSED_PAUSE_MS = 1_000;

    @Option(names = { "-u", "--user-id" }, paramLabel = "ID", description = "Quem vota (perguntado se ausente).")
    String userId;

    @Option(names = { "-o", "--option" }, paramLabel = "OPÇÃO", description = "A opção escolhida (perguntada se ausente).")
    String option;

    @Mixin
    BrokerOptions broker;

    @Option(names = "--credencial", paramLabel = "CREDENCIAL",
            description = "Em votações assinadas: a credencial recebida da organização, ou @ARQUIVO que a contém "
                    + "(também VOTACAO_CREDENCIAL).")
    String credential;

    @Option(names = "--no-follow", description = "Sai logo após a resposta ao voto, sem acompanhar o resultado.")
    boolean noFollow;

    @Option(names = "--timeout", paramLabel = "SEGUNDOS", defaultValue = "30",
            description = "Quanto esperar pela resposta ao voto e, acompanhando, por notícias do servidor "
                    + "(padrão: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;
    private final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    private final boolean terminal = System.console() != null;

    @Override
    public Integer call() throws Exception {
        if (timeoutSeconds <= 0) {
            err.println("Erro: --timeout deve ser maior que zero.");
            return ExitCode.REFUSED;
        }
        String voter = userId != null ? userId : ask("Digite seu ID de usuário: ");
        if (voter == null || voter.isBlank()) {
            err.println("Erro: o ID de usuário não pode ser vazio.");
            return ExitCode.REFUSED;
        }
        if (credential == null) {
            credential = System.getenv("VOTACAO_CREDENCIAL");
        }
        if (credential != null && credential.startsWith("@")) {
            try {
                credential = Files.readString(Path.of(credential.substring(1)), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                err.println("Erro: não foi possível ler a credencial de " + credential.substring(1) + " ("
                        + Failures.rootCause(e) + ").");
                return ExitCode.REFUSED;
            }
        }
        BrokerSettings settings = broker.settings();
        try (PollConnection poll = PollConnection.open(settings, patience -> err.println("O RabbitMQ em "
                + settings.describe() + " ainda não respondeu (ocupado?); tentando de novo por até "
                + patience.toSeconds() + " s…"))) {
            return new Session(poll, voter.strip()).run();
        } catch (PollExchanges.Missing e) {
            err.println("Erro: nenhum servidor de votação rodou ainda no RabbitMQ em " + settings.describe()
                    + " (as exchanges '" + Protocol.VOTES_EXCHANGE + "' e '" + Protocol.BROADCAST_EXCHANGE
                    + "' não existem, e este usuário não pode declará-las). O servidor de votação está rodando?");
            return ExitCode.UNREACHABLE;
        } catch (IOException | TimeoutException e) {
            err.println("Erro: não foi possível falar com o RabbitMQ em " + settings.describe() + " ("
                    + Failures.rootCause(e)
                    + "). Verifique --host/--port/--username/--password ou RABBITMQ_HOST.");
            return ExitCode.UNREACHABLE;
        }
    }

    /** One run of the client against an open connection. */
    private final class Session {
        private final PollConnection poll;
        private final String voter;
        private final ResultsView view = new ResultsView(out, terminal);
        private ServerMessage latest;

        Session(PollConnection poll, String voter) {
            this.poll = poll;
            this.voter = voter;
        }

        int run() throws IOException, InterruptedException, TimeoutException {
            String choice = option != null ? option : chooseOption();
            if (choice == null) {
                err.println("Erro: nenhuma opção escolhida.");
                return ExitCode.REFUSED;
            }
            ServerMessage answer = vote(new Vote(voter, choice));
            if (answer == null) {
                return ExitCode.UNREACHABLE;
            }
            if (!ServerMessage.CONFIRMACAO.equals(answer.tipo())) {
                err.println("✘ " + answer.mensagem());
                return ExitCode.REFUSED;
            }
            out.println("✔ " + answer.mensagem());
            return noFollow ? ExitCode.CONFIRMED : follow();
        }

        private String chooseOption() throws IOException, InterruptedException {
            awaitAnyResult(1500);
            List<String> offered = latest != null ? List.copyOf(latest.resultado().keySet()) : Protocol.DEFAULT_OPTIONS;
            if (latest != null) {
                view.show(latest);
                view.detach();
            }
            while (true) {
                String typed = ask("Escolha uma opção (" + String.join(", ", offered) + "): ");
                if (typed == null) {
                    return null;
                }
                String match = match(typed.strip(), offered);
                if (match != null) {
                    return match;
                }
                err.println("Opção inválida. As opções são: " + String.join(", ", offered) + ".");
            }
        }

        /** Publishes the vote, re-sending it (same message id) while no answer comes. */
        private ServerMessage vote(Vote vote) throws IOException, InterruptedException, TimeoutException {
            String messageId = PollConnection.newId();
            String correlationId = PollConnection.newId();
            long deadline = System.currentTimeMillis() + timeoutSeconds * 1000L;
            long nextSend = 0;
            boolean refused = false;
            while (System.currentTimeMillis() < deadline) {
                if (System.currentTimeMillis() >= nextSend) {
                    if (nextSend > 0 && !refused) {
                        err.println("Sem resposta ainda; reenviando o voto…");
                    }
                    // A refusal (nack) passes: a full queue drains, a quorum queue elects a new leader. So the
                    // vote goes again, same message id, until the timeout; the server counts it once.
                    boolean wasRefused = refused;
                    refused = !poll.vote(vote, messageId, correlationId, credential);
                    if (refused && !wasRefused) {
                        err.println("O RabbitMQ recusou o voto (a fila '" + Protocol.VOTES_QUEUE
                                + "' está cheia ou sem líder); tentando de novo…");
                    }
                    nextSend = System.currentTimeMillis() + (refused ? REFUSED_PAUSE_MS : RESEND_EVERY_MS);
                }
                if (poll.voteUnroutable()) {
                    err.println("Erro: nenhum servidor recebeu o voto (a fila '" + Protocol.VOTES_QUEUE
                            + "' não existe). O servidor de votação está rodando?");
                    return null;
                }
                ServerEvent event = poll.next(Math.min(250, Math.max(1, deadline - System.currentTimeMillis())));
                if (event == null) {
                    continue;
                }
                ServerMessage message = event.message();
                if (message.isResult()) {
                    latest = message;
                } else if (message.isAnswer() && voter.equals(message.userId())
                        && (event.correlationId() == null || correlationId.equals(event.correlationId()))) {
                    return message;
                }
            }
            if (refused) {
                err.println("Erro: o RabbitMQ recusou o voto durante " + timeoutSeconds + " s: a fila '"
                        + Protocol.VOTES_QUEUE + "' está cheia ou indisponível (o servidor não está dando conta)."
                        + " Tente de novo em instantes.");
            } else {
                err.println("Erro: sem resposta do servidor em " + timeoutSeconds + " s. O voto pode não ter sido contado.");
            }
            return null;
        }

        private int follow() throws InterruptedException {
            if (latest != null) {
                view.show(latest);
            }
            long silentSince = System.currentTimeMillis();
            while (System.currentTimeMillis() - silentSince < timeoutSeconds * 1000L) {
                ServerEvent event = poll.next(1000);
                if (event == null) {
                    if (terminal && latest != null) {
                        view.show(latest);
                    }
                    continue;
                }
                silentSince = System.currentTimeMillis();
                if (event.message().isResult()) {
                    latest = event.message();
                    view.show(latest);
                    if (ServerMessage.FINAL.equals(latest.tipo())) {
                        return ExitCode.CONFIRMED;
                    }
                }
            }
            err.println("Erro: nenhuma notícia do servidor em " + timeoutSeconds + " s; o resultado final não chegou.");
            return ExitCode.UNREACHABLE;
        }

        private void awaitAnyResult(long millis) throws InterruptedException {
            long deadline = System.currentTimeMillis() + millis;
            while (latest == null && System.currentTimeMillis() < deadline) {
                ServerEvent event = poll.next(Math.max(1, deadline - System.currentTimeMillis()));
                if (event != null && event.message().isResult()) {
                    latest = event.message();
                }
            }
        }
    }

    /** The option as configured, accepting a different letter case when that is unambiguous. */
    static String match(String typed, List<String> offered) {
        if (offered.contains(typed)) {
            return typed;
        }
        List<String> caseless = offered.stream().filter(o -> o.equalsIgnoreCase(typed)).toList();
        return caseless.size() == 1 ? caseless.get(0) : null;
    }

    private String ask(String prompt) throws IOException {
        out.print(prompt);
        out.flush();
        return in.readLine();
    }

}
