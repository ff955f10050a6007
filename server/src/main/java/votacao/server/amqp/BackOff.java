package votacao.server.amqp;

/**
 * The pause before trying again what failed while the broker was away: doubling from the first pause
 * with each attempt, up to the last, so that a short loss is ridden out quickly and a long one does not
 * keep the broker busy with attempts.
 */
record BackOff(long firstMillis, long lastMillis) {

    /** The pause before attempt {@code attempt + 1} (0: the first failure). */
    long pauseMillis(int attempt) {
        // Past 2^16 the doubling can only exceed any last pause: cap the shift, not the result alone.
        return Math.min(lastMillis, firstMillis << Math.min(attempt, 16));
    }
}
