package votacao.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ReportPageTest {

    private static LoadReport report(Map<String, Long> tally, List<Double> rate) {
        LoadReport.Latency latency = new LoadReport.Latency(3, 1, 2, 3, 4,
                List.of(new LoadReport.Point(0, 0.5), new LoadReport.Point(99, 3), new LoadReport.Point(100, 4)));
        return new LoadReport("run-1", "answers", 3, 1, 3, 3, 3L, 3, 0, 0, 0, 0, 0, 0.3, 10,
                new LoadReport.Phases(0.6, 0.1, 0.05, 0.3, 0.4, 0.5), latency, latency, Map.of(), tally, tally, true,
                LoadReport.TALLY_OVER_HTTP, true,
                "every vote answered and the tally agrees", 0.1, rate, LoadReport.Memory.of(100L << 20, 150L << 20, 3));
    }

    @Test
    void optionNamesFromTheWireAreNeverMarkup() {
        String html = ReportPage.render(report(Map.of("<script>alert(1)</script>", 3L), List.of(10.0, 20.0)));
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html);
    }

    @Test
    void thePageNeedsNothingFromElsewhere() {
        String html = ReportPage.render(report(Map.of("A", 3L), List.of(10.0, 20.0)));
        assertFalse(html.contains("<script"), "no script at all");
        assertFalse(html.contains("<link"), "no stylesheet or font from elsewhere");
        assertFalse(html.replace("http://www.w3.org/2000/svg", "").contains("http"), "no address but SVG's namespace");
        assertTrue(html.contains("<polyline"), "the curves are drawn");
    }

    @Test
    void axesEndOnRoundNumbers() {
        assertEquals(1, ReportPage.niceCeiling(0), 1e-9);
        assertEquals(1.5, ReportPage.niceCeiling(1.3), 1e-9);
        assertEquals(300, ReportPage.niceCeiling(260), 1e-9);
        assertEquals(1000, ReportPage.niceCeiling(1000), 1e-9);
        assertEquals(6000, ReportPage.niceCeiling(5001), 1e-9);
        assertEquals(25, ReportPage.niceCeiling(22.5), 1e-9);
    }

    @Test
    void anEmptyTimelineStillRenders() {
        String html = ReportPage.render(report(Map.of("A", 3L), List.of()));
        assertTrue(html.contains("Answers per second"), html);
    }
}
