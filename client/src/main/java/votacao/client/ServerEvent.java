package votacao.client;

import votacao.shared.ServerMessage;

/** A message from the server as it reached the client's queue. */
public record ServerEvent(ServerMessage message, String correlationId) {
}
