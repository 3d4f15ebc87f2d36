package io.wave.testnet.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgChartTest {
    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    /** The series groups of a chart, by the name each carries. */
    static List<String> seriesNames(Document d) {
        NodeList gs = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < gs.getLength(); i++) {
            Element g = (Element) gs.item(i);
            if (g.getAttribute("class").equals("series")) {
                names.add(g.getAttribute("data-name"));
            }
        }
        return names;
    }

    @Test
    void render_isWellFormedSvg_withOneLineOfAPointPerXForEachSeries() throws Exception {
        int[] xs = {1, 2, 3, 4};
        List<SvgChart.Series> series = List.of(
                new SvgChart.Series("A & B <fast>", "#1f5fbf", false, new double[] {0.3, 0.5, 0.9, 1.4}),
                new SvgChart.Series("slow", "#d9731a", true, new double[] {900, 1800, 2700, 3600}));
        Document d = parse(SvgChart.render("t < u", "x", "y", xs, series, List.of("caption & more")));
        assertEquals("svg", d.getDocumentElement().getLocalName());
        assertEquals(List.of("A & B <fast>", "slow"), seriesNames(d));
        NodeList lines = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline");
        assertEquals(2, lines.getLength());
        for (int i = 0; i < lines.getLength(); i++) {
            assertEquals(4, ((Element) lines.item(i)).getAttribute("points").split(" ").length);
        }
        assertEquals(8, d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "circle").getLength());
    }

    @Test
    void render_refusesWhatALogScaleCannotShow() {
        assertThrows(IllegalArgumentException.class,
                () -> new SvgChart.Series("zero", "#000000", false, new double[] {1, 0}));
        assertThrows(IllegalArgumentException.class, () -> SvgChart.render("t", "x", "y", new int[] {1, 2},
                List.of(new SvgChart.Series("short", "#000000", false, new double[] {1})), List.of()));
    }

    @Test
    void micros_readsAsATickLabel() {
        assertEquals("0.1 µs", SvgChart.micros(0.1));
        assertEquals("10 µs", SvgChart.micros(10));
        assertEquals("1 ms", SvgChart.micros(1000));
        assertEquals("2.5 ms", SvgChart.micros(2500));
    }
}
