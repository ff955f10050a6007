package votacao.server;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import votacao.server.poll.VoterId;
import votacao.shared.AuthorityKeys;
import votacao.shared.Credential;

/**
 * The poll authority's two commands, run by the server's executable without a broker:
 * {@code chaves} creates the Ed25519 key pair, {@code credenciais} signs one credential per voter.
 * Plain Java (no Quarkus start, no reflection): they run the same in a native executable.
 */
final class AuthorityCommands {

    static final String KEYS = "chaves";
    static final String CREDENTIALS = "credenciais";
    private static final Duration DEFAULT_VALIDITY = Duration.ofDays(30);

    private final PrintStream out;
    private final PrintStream err;

    AuthorityCommands(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    static boolean handles(String[] args) {
        return args.length > 0 && (KEYS.equals(args[0]) || CREDENTIALS.equals(args[0]));
    }

    /** Runs the command; its exit status (0 done, 2 bad usage or input). */
    int run(String... args) {
        try {
            Map<String, String> options = options(List.of(args).subList(1, args.length));
            return KEYS.equals(args[0]) ? keys(options) : credentials(options);
        } catch (IllegalArgumentException | IOException e) {
            err.println("Erro: " + e.getMessage());
            err.println(usage());
            return 2;
        }
    }

    private int keys(Map<String, String> options) throws IOException {
        Path dir = Path.of(required(options, "--saida"));
        Files.createDirectories(dir);
        Path privateKey = dir.resolve("chave.pem");
        Path publicKey = dir.resolve("chave-publica.pem");
        if (Files.exists(privateKey)) {
            throw new IllegalArgumentException(privateKey + " already exists: a poll's key is not replaced by accident");
        }
        KeyPair pair = AuthorityKeys.generate();
        AuthorityKeys.write(privateKey, pair.getPrivate());
        AuthorityKeys.write(publicKey, pair.getPublic());
        out.println("Chave privada: " + privateKey + " (guarde-a com quem emite as credenciais)");
        out.println("Chave pública: " + publicKey + " (para o servidor, votacao.chave-publica, e para os auditores)");
        return 0;
    }

    private int credentials(Map<String, String> options) throws IOException {
        PrivateKey key = AuthorityKeys.readPrivate(Path.of(required(options, "--chave")));
        String poll = required(options, "--enquete");
        Path voters = Path.of(required(options, "--eleitores"));
        Path output = Path.of(required(options, "--saida"));
        Duration validity = options.containsKey("--validade") ? parseDuration(options.get("--validade")) : DEFAULT_VALIDITY;
        Instant expires = Instant.now().plus(validity);
        Set<String> ids = new LinkedHashSet<>();
        List<String> lines = Files.readAllLines(voters, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String id = VoterId.canonical(lines.get(i));
            if (id == null || id.contains(",")) {
                throw new IllegalArgumentException(voters + ", line " + (i + 1) + ": not a usable voter id");
            }
            ids.add(id);
        }
        List<String> csv = new ArrayList<>(ids.size() + 1);
        csv.add("eleitor,credencial");
        for (String id : ids) {
            csv.add(id + "," + Credential.issue(key, id, poll, expires).text());
        }
        Files.write(output, csv, StandardCharsets.UTF_8);
        out.println(ids.size() + " credenciais para a enquete '" + poll + "', válidas até " + expires + ": " + output);
        return 0;
    }

    private static Map<String, String> options(List<String> args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            if (!args.get(i).startsWith("--") || i + 1 >= args.size()) {
                throw new IllegalArgumentException("argumento inesperado: " + args.get(i));
            }
            options.put(args.get(i), args.get(i + 1));
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("falta " + name);
        }
        return value;
    }

    /** {@code 30d}, {@code 12h}, {@code 90m}. */
    private static Duration parseDuration(String text) {
        try {
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (text.charAt(text.length() - 1)) {
                case 'd' -> Duration.ofDays(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'm' -> Duration.ofMinutes(amount);
                default -> throw new IllegalArgumentException("--validade: use 30d, 12h or 90m, not " + text);
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("--validade: use 30d, 12h or 90m, not " + text);
        }
    }

    private static String usage() {
        return "Uso: " + KEYS + " --saida DIR\n"
                + "     " + CREDENTIALS + " --chave DIR/chave.pem --enquete NOME --eleitores eleitores.txt"
                + " --saida credenciais.csv [--validade 30d]";
    }
}
