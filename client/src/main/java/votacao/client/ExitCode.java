package votacao.client;

/** What the client's exit status means; scripts may rely on these. */
public final class ExitCode {

    /** The vote was confirmed (and, when following, the final result arrived). */
    public static final int CONFIRMED = 0;
    /** No broker, or no answer in time: the vote may not have been counted. */
    public static final int UNREACHABLE = 1;
    /** The server refused the vote (already voted, invalid option, poll closed), or the input was unusable. */
    public static final int REFUSED = 2;

    private ExitCode() {
    }
}
