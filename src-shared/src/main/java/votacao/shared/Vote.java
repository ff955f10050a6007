package votacao.shared;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A voter's choice, as published on {@code votacao.votos}: {@code {"userId":"...","opcao":"A"}}. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record Vote(String userId, String opcao) {
}
