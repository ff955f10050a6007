package votacao.server.poll;

/** CDI event: a vote was counted. Fired only when every counted vote is announced (interval 0). */
public record TallyChanged(long version) {
}
