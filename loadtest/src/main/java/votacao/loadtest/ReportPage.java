package votacao.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A run as one self-contained page ({@code --report run.html}): the verdict, the figures, the latency
 * distributions as a percentile plot, the answers per second over time with the phases marked. Plain
 * HTML and inline SVG drawn here: no script, no stylesheet or font from elsewhere, so the page opens
 * the same offline, attached to a ticket, years later.
 */
final class ReportPage {

    private static final String CONFIRM_COLOUR = "#1f77b4";
    private static final String ANSWER_COLOUR = "#d62728";
    private static final double MAX_NINES = 5; // the plot's right edge: 99.999 %
    private static final int TIMELINE_POINTS = 80;

    private ReportPage() {
    }

    static String render(LoadReport report) {
        StringBuilder html = new StringBuilder(32_768);
        html.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>votacao load test ").append(escape(report.runId())).append("</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em;color:#222}")
                .append("table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{padding:.2em .8em;text-align:right;")
                .append("border-bottom:1px solid #ddd}th:first-child,td:first-child{text-align:left}")
                .append(".verdict{padding:.6em 1em;border-radius:.3em;font-weight:bold;color:#fff}")
                .append(".pass{background:#2a7d2a}.fail{background:#b22222}svg{max-width:100%;height:auto}")
                .append("svg text{font-size:12px;fill:#333}.legend span{margin-right:1.5em}")
                .append("</style></head><body>\n");
        html.append("<h1>votacao load test <code>").append(escape(report.runId())).append("</code></h1>\n");
        html.append("<p class=\"verdict ").append(report.passed() ? "pass\">PASS: " : "fail\">FAIL: ")
                .append(escape(report.verdict())).append("</p>\n");
        figures(html, report);
        html.append("<h2>Latency distribution</h2>\n");
        html.append("<p class=\"legend\">");
        if (report.publishToConfirm() != null) {
            html.append("<span style=\"color:").append(CONFIRM_COLOUR)
                    .append("\">&#9632; publish &rarr; broker confirm</span>");
        }
        html.append("<span style=\"color:").append(ANSWER_COLOUR)
                .append("\">&#9632; publish &rarr; answer</span></p>\n");
        html.append(percentilePlot(report.publishToConfirm(), report.publishToAnswer()));
        html.append("<h2>Answers per second</h2>\n");
        html.append(timeline(report));
        phases(html, report.phases());
        tally(html, report);
        html.append("</body></html>\n");
        return html.toString();
    }

    private static void figures(StringBuilder html, LoadReport report) {
        html.append("<table id=\"figures\">");
        row(html, "mode", report.mode());
        row(html, "clients", report.clients());
        row(html, "connections", report.connections());
        row(html, "votes sent", report.sent());
        if (report.brokerConfirmed() != null) {
            row(html, "broker-confirmed", report.brokerConfirmed());
        }
        row(html, "answered: confirmed", report.answeredConfirmed());
        row(html, "answered: refused", report.answeredRefused());
        row(html, "unanswered", report.unanswered());
        if (report.duplicates() > 0) {
            row(html, "duplicates refused", report.duplicatesRefused() + " of " + report.duplicates());
        }
        if (report.broadcastsReceived() > 0) {
            row(html, "broadcasts received", report.broadcastsReceived());
        }
        row(html, "wall time (first connection → last answer)", format("%.3f s", report.wallSeconds()));
        row(html, "votes/s", format("%.0f", report.votesPerSecond()));
        if (report.memory() != null) {
            row(html, "resident memory (MiB): at start · peak · per 10,000 voters above the start",
                    format("%.0f · %.0f · %.1f", report.memory().startMiB(), report.memory().peakMiB(),
                            report.memory().perTenThousandVotersMiB()));
        }
        for (Map.Entry<String, Long> refusal : report.refusals().entrySet()) {
            row(html, "refused: " + refusal.getKey(), refusal.getValue());
        }
        html.append("</table>\n<table><tr><th>latency (ms)</th><th>p50</th><th>p90</th><th>p99</th><th>max</th></tr>");
        if (report.publishToConfirm() != null) {
            latencyRow(html, "publish → confirm", report.publishToConfirm());
        }
        latencyRow(html, "publish → answer", report.publishToAnswer());
        html.append("</table>\n");
    }

    private static void phases(StringBuilder html, LoadReport.Phases phases) {
        html.append("<h2>Phases</h2>\n<table><tr><th>phase</th><th>ended at (s from the first connection)</th></tr>");
        row(html, "program started (before the first connection)", format("-%.2f", phases.started()));
        row(html, "every channel open", format("%.2f", phases.channelsOpen()));
        row(html, "server's tally known (votes wait for it)", format("%.2f", phases.baselineKnown()));
        row(html, "last answer (the headline)", format("%.2f", phases.lastAnswer()));
        row(html, "tally verified", format("%.2f", phases.verified()));
        row(html, "connections closed", format("%.2f", phases.closed()));
        html.append("</table>\n");
    }

    private static void tally(StringBuilder html, LoadReport report) {
        if (report.tallyAgrees() == null) {
            return;
        }
        html.append("<h2>Tally</h2>\n<table><tr><th>option</th><th>expected</th><th>server</th></tr>");
        TreeSet<String> options = new TreeSet<>(report.expectedTally().keySet());
        options.addAll(report.serverTally().keySet());
        for (String option : options) {
            html.append("<tr><td>").append(escape(option)).append("</td><td>")
                    .append(report.expectedTally().getOrDefault(option, 0L)).append("</td><td>")
                    .append(report.serverTally().getOrDefault(option, 0L)).append("</td></tr>");
        }
        html.append("</table>\n<p>").append(report.tallyAgrees() ? "The server's tally agrees" : "The tally DISAGREES")
                .append(" (the server's, ").append(escape(report.tallyFrom())).append(").</p>\n");
    }

    /**
     * Percentiles on a "nines" axis (90 %, 99 %, 99.9 % … equally spaced), milliseconds upwards.
     * {@code confirm} is null when the broker was not asked to confirm the votes.
     */
    static String percentilePlot(LoadReport.Latency confirm, LoadReport.Latency answer) {
        double top = niceCeiling(Math.max(confirm == null ? 0 : confirm.max(), answer.max()));
        Chart chart = new Chart(0, MAX_NINES, 0, top);
        StringBuilder svg = chart.open("latency percentiles");
        String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
        for (int nines = 0; nines <= MAX_NINES; nines++) {
            chart.xTick(svg, nines, labels[nines]);
        }
        chart.yTicks(svg, top, "ms");
        if (confirm != null) {
            chart.line(svg, curve(confirm), CONFIRM_COLOUR);
        }
        chart.line(svg, curve(answer), ANSWER_COLOUR);
        return svg.append("</svg>\n").toString();
    }

    private static List<double[]> curve(LoadReport.Latency latency) {
        List<double[]> points = new ArrayList<>();
        for (LoadReport.Point point : latency.distribution()) {
            double nines = point.percentile() >= 100 ? MAX_NINES
                    : Math.min(MAX_NINES, -Math.log10(1 - point.percentile() / 100));
            points.add(new double[] {nines, point.millis()});
        }
        return points;
    }

    /**
     * The answers' rate over time, with the phases as vertical lines. The report keeps it by tenths of a
     * second; the plot averages those over wider steps (at most about {@value #TIMELINE_POINTS} points), which
     * reads better than a hundred spikes a second.
     */
    static String timeline(LoadReport report) {
        List<Double> fine = report.answersPerSecond();
        int merged = Math.max(1, (int) Math.ceil(fine.size() / (double) TIMELINE_POINTS));
        List<Double> rate = new ArrayList<>();
        for (int from = 0; from < fine.size(); from += merged) {
            List<Double> group = fine.subList(from, Math.min(fine.size(), from + merged));
            rate.add(group.stream().mapToDouble(Double::doubleValue).sum() / group.size());
        }
        double step = report.timelineStepSeconds() * merged;
        double right = Math.max(report.phases().lastAnswer(), rate.size() * step);
        right = niceCeiling(Math.max(right, 1));
        double peak = rate.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double top = niceCeiling(Math.max(peak, 1));
        Chart chart = new Chart(0, right, 0, top);
        StringBuilder svg = chart.open("answers per second over time");
        for (int tick = 0; tick <= 5; tick++) {
            double seconds = right * tick / 5;
            chart.xTick(svg, seconds, format("%.0f s", seconds));
        }
        chart.yTicks(svg, top, "/s");
        List<double[]> points = new ArrayList<>(rate.size());
        for (int i = 0; i < rate.size(); i++) {
            points.add(new double[] {(i + 0.5) * step, rate.get(i)});
        }
        chart.line(svg, points, ANSWER_COLOUR);
        chart.marker(svg, report.phases().baselineKnown(), "tally known", 0);
        chart.marker(svg, report.phases().channelsOpen(), "channels open", 1);
        chart.marker(svg, report.phases().lastAnswer(), "last answer", 2);
        return svg.append("</svg>\n").toString();
    }

    /** A round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten) at or above the value: axis ends. */
    static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double factor : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (factor * power >= value) {
                return factor * power;
            }
        }
        return 10 * power;
    }

    /** One plot area with linear axes, in SVG user units. */
    private record Chart(double xMin, double xMax, double yMin, double yMax) {

        private static final int WIDTH = 800;
        private static final int HEIGHT = 320;
        private static final int LEFT = 70;
        private static final int RIGHT = 40;
        private static final int TOP = 20;
        private static final int BOTTOM = 40;

        StringBuilder open(String title) {
            StringBuilder svg = new StringBuilder(8192);
            svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                    .append(HEIGHT).append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                    .append("\" role=\"img\" aria-label=\"").append(title).append("\">");
            svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
                    .append(WIDTH - LEFT - RIGHT).append("\" height=\"").append(HEIGHT - TOP - BOTTOM)
                    .append("\" fill=\"#fafafa\" stroke=\"#999\"/>");
            return svg;
        }

        double x(double value) {
            return LEFT + (value - xMin) / (xMax - xMin) * (WIDTH - LEFT - RIGHT);
        }

        double y(double value) {
            return HEIGHT - BOTTOM - (value - yMin) / (yMax - yMin) * (HEIGHT - TOP - BOTTOM);
        }

        void xTick(StringBuilder svg, double value, String label) {
            double at = x(value);
            svg.append(format("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>", at, TOP, at,
                    HEIGHT - BOTTOM));
            svg.append(format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", at, HEIGHT - BOTTOM + 16,
                    escape(label)));
        }

        void yTicks(StringBuilder svg, double top, String unit) {
            for (int tick = 0; tick <= 4; tick++) {
                double value = top * tick / 4;
                double at = y(value);
                svg.append(format("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>", LEFT, at,
                        WIDTH - RIGHT, at));
                svg.append(format("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s %s</text>", LEFT - 6, at + 4,
                        value >= 100 || value == 0 ? format("%.0f", value) : format("%.3g", value), unit));
            }
        }

        void line(StringBuilder svg, List<double[]> points, String colour) {
            if (points.isEmpty()) {
                return;
            }
            svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour).append("\" points=\"");
            for (double[] point : points) {
                svg.append(format("%.1f,%.1f ", x(point[0]), y(Math.min(point[1], yMax))));
            }
            svg.append("\"/>");
        }

        /** A dashed vertical line; its label on line {@code row} from the top, so that close ones do not overlap. */
        void marker(StringBuilder svg, double value, String label, int row) {
            if (value <= xMin || value > xMax) {
                return;
            }
            double at = x(value);
            svg.append(format("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#555\" "
                    + "stroke-dasharray=\"4 3\"/>", at, TOP, at, HEIGHT - BOTTOM));
            boolean leftOfLine = at > (LEFT + WIDTH - RIGHT) / 2.0;
            svg.append(format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>", leftOfLine ? at - 4 : at + 4,
                    TOP + 14 * (row + 1), leftOfLine ? "end" : "start", escape(label)));
        }
    }

    private static void row(StringBuilder html, String name, Object value) {
        html.append("<tr><td>").append(escape(name)).append("</td><td>").append(escape(String.valueOf(value)))
                .append("</td></tr>");
    }

    private static void latencyRow(StringBuilder html, String name, LoadReport.Latency latency) {
        html.append("<tr><td>").append(escape(name)).append("</td>");
        for (double value : new double[] {latency.p50(), latency.p90(), latency.p99(), latency.max()}) {
            html.append("<td>").append(format("%.2f", value)).append("</td>");
        }
        html.append("</tr>");
    }

    private static String format(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }

    /** Option names and refusal texts come from the wire: never markup. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
