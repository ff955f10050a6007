package votacao.client;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;

import votacao.shared.ServerMessage;

/**
 * Shows the live tally: on a terminal, one block of bars redrawn in place; elsewhere (a pipe, a
 * file), a plain line per change, so the output stays readable.
 */
public final class ResultsView {

    private final PrintStream out;
    private final boolean terminal;
    private int linesDrawn;
    private String lastLine;

    public ResultsView(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    public void show(ServerMessage result) {
        if (terminal) {
            redraw(TallyChart.bars(result, Instant.now()));
        } else {
            String line = TallyChart.line(result);
            if (!line.equals(lastLine)) {
                out.println(line);
                lastLine = line;
            }
        }
        out.flush();
    }

    private void redraw(List<String> lines) {
        if (linesDrawn > 0) {
            // Up to the first line of the previous block, and clear from there down.
            out.print("\033[" + linesDrawn + "F\033[J");
        }
        lines.forEach(out::println);
        linesDrawn = lines.size();
    }

    /** Text printed after this starts below the block instead of being overdrawn. */
    public void detach() {
        linesDrawn = 0;
    }
}
