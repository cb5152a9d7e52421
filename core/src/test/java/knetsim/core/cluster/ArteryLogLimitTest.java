package knetsim.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shipped logback.xml, in a context of its own, fed the lines Artery writes for junk frames. */
class ArteryLogLimitTest {
    private LoggerContext context;
    private ListAppender<ILoggingEvent> lines;

    @BeforeEach
    void configure() throws Exception {
        context = new LoggerContext();
        URL shipped = ArteryLogLimit.class.getClassLoader().getResource("logback.xml");
        assertNotNull(shipped, "logback.xml is on the classpath");
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(shipped);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders(); // keep the test's stderr quiet; count lines instead
        lines = new ListAppender<>();
        lines.setContext(context);
        lines.start();
        root.addAppender(lines);
    }

    private List<String> messages() {
        return lines.list.stream().map(e -> e.getLoggerName() + " " + e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    @Test
    void junkFramesLogAFewLinesThenOnePerPowerOfTen() {
        Logger deserializer = context.getLogger("akka.remote.artery.Deserializer");
        for (int i = 1; i <= 1000; i++) {
            // Akka's Slf4jLogger asks first, then writes the line it formatted
            assertTrue(deserializer.isWarnEnabled());
            deserializer.warn("Failed to deserialize message from [unknown] with serializer id [7000001] and manifest []. #" + i);
        }
        List<String> out = messages();
        assertEquals(5 + 3, out.size(), String.join("\n", out));
        for (int i = 1; i <= 5; i++) assertTrue(out.get(i - 1).endsWith("#" + i), out.get(i - 1));
        String prefix = ArteryLogLimit.SUMMARY_LOGGER + " WARN akka.remote.artery.Deserializer has logged ";
        assertEquals(prefix + "10 WARN lines (the first 5 are shown, then one line per power of ten); the latest:"
                + " Failed to deserialize message from [unknown] with serializer id [7000001] and manifest []. #10", out.get(5));
        assertTrue(out.get(6).startsWith(prefix + "100 WARN lines") && out.get(6).endsWith("#100"), out.get(6));
        assertTrue(out.get(7).startsWith(prefix + "1000 WARN lines") && out.get(7).endsWith("#1000"), out.get(7));
    }

    @Test
    void eachArteryLoggerIsCountedOnItsOwnAndErrorsStayErrors() {
        Logger framing = context.getLogger("akka.remote.artery.tcp.TcpFraming");
        Logger decoder = context.getLogger("akka.remote.artery.Decoder");
        for (int i = 1; i <= 10; i++) {
            framing.error("Stream didn't start with expected magic bytes {}", i);
            decoder.warn("Dropping message due to: {}", "junk " + i);
        }
        List<String> out = messages();
        assertEquals(2 * 6, out.size(), String.join("\n", out));
        assertEquals(ArteryLogLimit.SUMMARY_LOGGER + " ERROR akka.remote.artery.tcp.TcpFraming has logged 10 ERROR lines"
                + " (the first 5 are shown, then one line per power of ten); the latest:"
                + " Stream didn't start with expected magic bytes 10", out.get(out.size() - 2));
    }

    @Test
    void otherLoggersAndInfoLinesAreNotLimited() {
        Logger mine = context.getLogger("knetsim.core.run.RunCoordinator");
        Logger association = context.getLogger("akka.remote.artery.Association");
        association.setLevel(Level.INFO);
        for (int i = 0; i < 50; i++) {
            mine.warn("a warning of the model {}", i);
            association.info("an info line {}", i);
        }
        assertEquals(100, lines.list.size());
    }
}
