package votacao.loadtest;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import votacao.shared.BrokerOptions;
import votacao.shared.Failures;
import votacao.shared.PollExchanges;
import votacao.shared.BrokerSettings;
import votacao.shared.Codec;
import votacao.shared.Protocol;

/** The load generator's command line. */
@TopCommand
@Command(name = "loadtest", mixinStandardHelpOptions = true, version = "votacao loadtest 1.0.0", sortOptions = false,
        usageHelpAutoWidth = true,
        description = { "Simulates many voters at once against a running votacao server and checks, end to end, that",
                "every vote was answered and counted. Voters are multiplexed as AMQP channels over a pool of",
                "connections; the time runs from the first vote to the last answer." },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = { "0:every vote answered and the server's tally agrees (legacy: every vote published)",
                "1:a vote was unanswered or refused, duplicates were accepted, or the tally disagrees",
                "2:bad options, or the broker cannot be reached" },
        footer = { "%nExamples:", "  loadtest --clients 20000 --per-connection 1000",
                "  loadtest --clients 2000 --subscribe --duplicates 100 --report run.json --report run.html",
                "  loadtest --clients 20000 --legacy" })
public class LoadTestCommand implements Callable<Integer> {

    @Option(names = "--clients", defaultValue = "1000", description = "Virtual voters (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--per-connection", defaultValue = "1000",
            description = "Voters (AMQP channels) per connection, at most 2046 (default ${DEFAULT-VALUE}).")
    int perConnection;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "VOTES/S",
            description = "Cap on votes per second; 0 = as fast as possible (default).")
    int rate;

    @Option(names = "--ramp-up", defaultValue = "0", paramLabel = "SECONDS",
            description = "Spread the voters' start over this many seconds (default 0).")
    double rampUpSeconds;

    @Option(names = "--subscribe",
            description = "Each voter also binds its own exclusive queue to the broadcast, as a real client does.")
    boolean subscribe;

    @Option(names = "--options", defaultValue = Protocol.DEFAULT_OPTIONS_TEXT, split = ",",
            description = "Options voted (default ${DEFAULT-VALUE}).")
    List<String> options;

    @Option(names = "--weights", paramLabel = "W1,W2,…",
            description = "Relative share of each option, e.g. 50,30,20 (default: equal).")
    String weights;

    @Option(names = "--duplicates", defaultValue = "0", paramLabel = "N",
            description = "N voters vote a second time; the run checks that the server refused them.")
    int duplicates;

    @Option(names = "--legacy",
            description = "Behave like the original load generator: bare votes, no answer awaited, publish time only.")
    boolean legacy;

    @Option(names = "--broker-confirms",
            description = "Each voter also asks the broker to confirm its vote (publisher confirms) and the report times"
                    + " publish → confirm: a round trip more per voter. Without it the server's answer is the"
                    + " confirmation, and a vote unanswered while later ones are answered is sent again.")
    boolean brokerConfirms;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "How long a voter waits for its answer (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Also write the run to this file: FILE.html a self-contained page (latency plot, answers per"
                    + " second, phases, verdict), any other name JSON with every figure. Repeatable.")
    List<Path> reports = new ArrayList<>();

    @Option(names = "--chave", paramLabel = "CHAVE.pem",
            description = "A poll in signed mode: sign each voter's credential with this private key (PEM, from the"
                    + " server's 'chaves' command), for the poll named by --enquete.")
    Path key;

    @Option(names = "--enquete", paramLabel = "NOME", description = "The poll's name the credentials carry (with --chave).")
    String pollName;

    @Option(names = "--server-url", paramLabel = "URL",
            description = "The server's HTTP address (e.g. http://localhost:8080): its tally before and after the run "
                    + "is asked there instead of awaited on the broadcast, which the server re-sends only every few "
                    + "seconds.")
    URI serverUrl;

    @Option(names = "--run-id", description = "Prefix of the voters' user ids (default: loadtest-<time>).")
    String runId;

    @Mixin
    BrokerOptions broker;

    @Override
    public Integer call() throws InterruptedException {
        PrintStream out = System.out;
        LoadPlan plan;
        try {
            plan = new LoadPlan(clients, perConnection, rate, Duration.ofMillis((long) (rampUpSeconds * 1000)),
                    subscribe, options.stream().map(String::strip).filter(o -> !o.isEmpty()).toList(),
                    LoadPlan.parseWeights(weights), duplicates, legacy, brokerConfirms,
                    Duration.ofSeconds(timeoutSeconds),
                    runId != null ? runId : "loadtest-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss")));
            if (timeoutSeconds < 1) {
                throw new IllegalArgumentException("--timeout must be at least 1 second");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("Error: " + e.getMessage());
            return 2;
        }
        VoterCredentials credentials = null;
        if (key != null || pollName != null) {
            if (key == null || pollName == null || pollName.isBlank()) {
                System.err.println("Error: --chave and --enquete go together (a poll in signed mode)");
                return 2;
            }
            try {
                credentials = VoterCredentials.signedWith(key, pollName.strip());
            } catch (IOException e) {
                System.err.println("Error: cannot read --chave " + key + ": " + Failures.rootCause(e));
                return 2;
            }
        }
        BrokerSettings settings = broker.settings();
        LoadReport result;
        try {
            result = new LoadRun(plan, settings, serverUrl, credentials, out, System.console() != null).execute();
        } catch (IllegalArgumentException e) {
            System.err.println("Error: " + e.getMessage());
            return 2;
        } catch (PollExchanges.Missing e) {
            System.err.println("Error: no voting server has run on RabbitMQ at " + settings.describe() + " yet ("
                    + e.getMessage() + "); start the server first");
            return 2;
        } catch (IOException | TimeoutException e) {
            System.err.println("Error: cannot use RabbitMQ at " + settings.describe() + " (" + Failures.rootCause(e)
                    + "); is it running? (--host/--port, or RABBITMQ_HOST)");
            return 2;
        }
        result.table().forEach(out::println);
        for (Path report : reports) {
            try {
                Files.write(report, isPage(report) ? ReportPage.render(result).getBytes(StandardCharsets.UTF_8)
                        : Codec.encode(result));
                out.println("Report written to " + report);
            } catch (IOException e) {
                System.err.println("Error: cannot write the report to " + report + ": " + Failures.rootCause(e));
                return 2;
            }
        }
        return result.passed() ? 0 : 1;
    }

    private static boolean isPage(Path report) {
        String name = report.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".html") || name.endsWith(".htm");
    }


}
