package votacao.server.poll;

import votacao.shared.ServerMessage;

/** CDI event: a result ({@code parcial} or {@code final}) went out on the broadcast; the live page shows it too. */
public record ResultAnnounced(ServerMessage result) {
}
