package votacao.shared;

/**
 * The fixed Portuguese texts that travel on the wire. The first three are the original system's,
 * letter for letter; clients may compare against them.
 */
public final class Texts {

    public static final String VOTE_RECORDED = "Voto registrado com sucesso.";
    public static final String ALREADY_VOTED = "Você já votou.";
    public static final String INVALID_OPTION = "Opção inválida.";
    public static final String POLL_CLOSED = "Votação encerrada.";
    /** Answer to a vote whose userId could be read but whose option could not. */
    public static final String MALFORMED_VOTE = "Voto malformado: falta a opção.";
    /** Answer to a vote whose userId is not a usable voter id (control characters, too long). */
    public static final String INVALID_VOTER = "Identificador de eleitor inválido.";
    /**
     * Answer, in signed mode, to a vote whose credential is missing, for another voter or poll, expired,
     * or not signed by the poll's authority.
     */
    public static final String INVALID_CREDENTIAL = "Credencial inválida.";

    private Texts() {
    }
}
