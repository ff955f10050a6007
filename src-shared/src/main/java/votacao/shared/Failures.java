package votacao.shared;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;

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

    /**
     * The reply code of the channel error behind this failure ({@link AMQP#ACCESS_REFUSED},
     * {@link AMQP#NOT_FOUND}, {@link AMQP#PRECONDITION_FAILED} …), or 0 when the broker did not close a
     * channel over it.
     */
    public static int channelErrorCode(Throwable failure) {
        Throwable cause = failure instanceof ShutdownSignalException ? failure : failure.getCause();
        return cause instanceof ShutdownSignalException signal && signal.getReason() instanceof AMQP.Channel.Close close
                ? close.getReplyCode()
                : 0;
    }

    private static Throwable root(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
