package votacao.shared;

/** Failures told to a person in one line: the innermost cause, without a stack trace. */
public final class Failures {

    private Failures() {
    }

    /** The innermost cause's message (its type when it has none): what a person can act on. */
    public static String rootCause(Throwable failure) {
        Throwable root = root(failure);
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** The innermost cause's type and message, for a log line. */
    public static String describe(Throwable failure) {
        Throwable root = root(failure);
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static Throwable root(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
