package knetsim.node.icmp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import knetsim.node.socket.Errno;
import org.junit.jupiter.api.Test;

/** icmp_err_convert[] of net/ipv4/icmp.c, code by code, and what its callers do outside it. */
class IcmpErrorsTest {
    @Test
    void destinationUnreachableCodesMapAsLinuxTableDoes() {
        IcmpErrors[] expected = {
            new IcmpErrors(Errno.ENETUNREACH, false), new IcmpErrors(Errno.EHOSTUNREACH, false),
            new IcmpErrors(Errno.ENOPROTOOPT, true), new IcmpErrors(Errno.ECONNREFUSED, true),
            new IcmpErrors(Errno.EMSGSIZE, false), new IcmpErrors(Errno.EOPNOTSUPP, false),
            new IcmpErrors(Errno.ENETUNREACH, true), new IcmpErrors(Errno.EHOSTDOWN, true),
            new IcmpErrors(Errno.ENONET, true), new IcmpErrors(Errno.ENETUNREACH, true),
            new IcmpErrors(Errno.EHOSTUNREACH, true), new IcmpErrors(Errno.ENETUNREACH, false),
            new IcmpErrors(Errno.EHOSTUNREACH, false), new IcmpErrors(Errno.EHOSTUNREACH, true),
            new IcmpErrors(Errno.EHOSTUNREACH, true), new IcmpErrors(Errno.EHOSTUNREACH, true)};
        for (int code = 0; code < expected.length; code++) {
            assertEquals(expected[code], IcmpErrors.of(IcmpPacket.ICMP_DEST_UNREACH, code), "code " + code);
        }
        // above NR_ICMP_UNREACH: __udp4_lib_err()/ping_err() keep EHOSTUNREACH, not fatal
        assertEquals(new IcmpErrors(Errno.EHOSTUNREACH, false), IcmpErrors.of(IcmpPacket.ICMP_DEST_UNREACH, 16));
    }
}
