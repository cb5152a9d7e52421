package knetsim.topology.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormattingTest {
    @Test
    void csvNumbersArePlainShortestAndLocaleFree() {
        assertEquals("0", Csv.number(0.0));
        assertEquals("1500000", Csv.number(1.5e6));
        assertEquals("0.1", Csv.number(0.1));
        assertEquals("0.0000001", Csv.number(1e-7));
        assertEquals("", Csv.number(Double.NaN));
        assertEquals("inf", Csv.number(Double.POSITIVE_INFINITY));
        assertEquals("-12", Csv.number(-12L));
    }

    @Test
    void csvQuotesOnlyWhenNeeded() {
        assertEquals("h1.eth0", Csv.field("h1.eth0"));
        assertEquals("\"a,b\"", Csv.field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", Csv.field("say \"hi\""));
        assertEquals("\"two\nlines\"", Csv.field("two\nlines"));
    }

    @Test
    void naturalOrderReadsNumbersAsNumbers() {
        List<String> names = new ArrayList<>(List.of("h10", "h2.eth0", "h1.eth10", "h1.eth2", "h1", "h01", "link.h1.eth0-sw1"));
        names.sort(Csv.NATURAL);
        assertEquals(List.of("h01", "h1", "h1.eth2", "h1.eth10", "h2.eth0", "h10", "link.h1.eth0-sw1"), names);
    }

    @Test
    void plotNamesAreSafeAndReadable() {
        assertEquals("flow_h1-_h2_9000_udp-cbr_goodput_bps", Plots.sanitise("flow:h1->h2:9000 udp-cbr:goodput_bps"));
        assertEquals("_hidden", Plots.sanitise(".hidden"));
        assertEquals("series", Plots.sanitise(""));
        assertEquals("_.._", Plots.sanitise("/../"));
        assertEquals("h1->h2:9000 udp-cbr", Plots.flowOf("flow:h1->h2:9000 udp-cbr:goodput_bps"));
        assertEquals(null, Plots.flowOf("h1:tcp:1:cwnd"));
    }

    @Test
    void durationsAndRatesForPeople() {
        assertEquals("4.2s", Format.duration(4.2e9));
        assertEquals("10s", Format.duration(10e9));
        assertEquals("12.5ms", Format.duration(12.5e6));
        assertEquals("2.1M", Format.si(2_100_000));
        assertEquals("950", Format.si(950));
        assertEquals("19.1 Mbit/s", Format.si(19_104_000, "bit/s"));
        assertEquals("950 bit/s", Format.si(950, "bit/s"));
        assertEquals("1,234,567", Format.grouped(1_234_567));
    }

    @Test
    void thinningKeepsSpikes() {
        List<SeriesPoint> many = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            many.add(new SeriesPoint(i, "s", i == 54_321 ? 1e9 : 1));
        }
        List<SeriesPoint> thin = Plots.thin(many);
        assertEquals(true, thin.size() <= Plots.MAX_POINTS);
        assertEquals(1e9, thin.stream().mapToDouble(SeriesPoint::value).max().orElseThrow());
    }
}
