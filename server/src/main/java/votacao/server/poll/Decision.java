package votacao.server.poll;

/** What the rules say about one vote. */
public sealed interface Decision {

    /** A new vote: record {@link #ballot()} in the ledger, then confirm. */
    record Accepted(Ballot ballot) implements Decision {
    }

    /** The same vote again (a retry or a redelivery): confirm once {@link #ballot()} is recorded, count nothing. */
    record Repeated(Ballot ballot) implements Decision {
    }

    /** Refused, with the text the voter is told. */
    record Refused(String reason) implements Decision {
    }
}
