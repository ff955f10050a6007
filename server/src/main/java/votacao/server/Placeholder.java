package votacao.server; public class Placeholder {}
