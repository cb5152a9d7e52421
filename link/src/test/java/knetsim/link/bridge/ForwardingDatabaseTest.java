package knetsim.link.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import knetsim.link.ethernet.MacAddress;
import org.junit.jupiter.api.Test;

class ForwardingDatabaseTest {
    @Test
    void learnsMovesAndAgesOut() {
        ForwardingDatabase fdb = new ForwardingDatabase(300_000_000_000L);
        long mac = 0x0200_0000_0001L;
        assertEquals(-1, fdb.lookup(mac, 0));
        fdb.learn(mac, 2, 1_000);
        assertEquals(2, fdb.lookup(mac, 1_000 + 299_999_999_999L));
        fdb.learn(mac, 3, 5_000); // the station moved to another port
        assertEquals(3, fdb.lookup(mac, 6_000));
        assertEquals(-1, fdb.lookup(mac, 5_000 + 300_000_000_000L), "aged out after ageing_time without traffic");
        assertEquals(0, fdb.size());
    }

    @Test
    void readsMacsFromFramesAndKnowsGroupAddresses() {
        byte[] frame = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                0x02, 0x00, 0x5e, 0x10, 0x00, 0x01};
        assertEquals(0xffff_ffff_ffffL, MacAddress.bitsAt(frame, 0));
        assertEquals(0x0200_5e10_0001L, MacAddress.bitsAt(frame, 6));
        assertTrue(MacAddress.isGroup(0xffff_ffff_ffffL));
        assertTrue(MacAddress.isGroup(0x0100_5e00_00fbL), "IPv4 multicast");
        assertFalse(MacAddress.isGroup(0x0200_5e10_0001L));
    }
}
