package knetsim.link.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ParsedTest {

    @Test
    void okCarriesItsValueAndHasNoReason() {
        Parsed<String> parsed = Parsed.ok("frame");
        assertTrue(parsed.isOk());
        assertEquals("frame", parsed.value());
        assertEquals(new Parsed.Ok<>("frame"), parsed);
        IllegalStateException e = assertThrows(IllegalStateException.class, parsed::reason);
        assertTrue(e.getMessage().contains("frame"), e.getMessage());
    }

    @Test
    void malformedCarriesItsReasonAndRefusesValue() {
        Parsed<String> parsed = Parsed.malformed("truncated: 3 bytes, header needs 4");
        assertFalse(parsed.isOk());
        assertEquals("truncated: 3 bytes, header needs 4", parsed.reason());
        IllegalStateException e = assertThrows(IllegalStateException.class, parsed::value);
        assertEquals("malformed: truncated: 3 bytes, header needs 4", e.getMessage());
    }

    @Test
    void nullsAreRefused() {
        assertThrows(NullPointerException.class, () -> Parsed.ok(null));
        assertThrows(NullPointerException.class, () -> Parsed.malformed(null));
    }

    @Test
    void mapTransformsOkAndKeepsTheReasonOfMalformed() {
        assertEquals(Parsed.ok(5), Parsed.ok("frame").map(String::length));
        Parsed<Integer> failed = Parsed.<String>malformed("bad").map(String::length);
        assertEquals(Parsed.malformed("bad"), failed);
    }
}
