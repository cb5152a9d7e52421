package knetsim.node.icmp;

import knetsim.core.engine.Counters;
import knetsim.node.inet.MibCounter;

/**
 * The Icmp and IcmpMsg lines of /proc/net/snmp, as nstat names them: IcmpInMsgs/IcmpOutMsgs, the per-type
 * IcmpMsgInTypeN/IcmpMsgOutTypeN, and the named per-type counters /proc/net/snmp derives from them
 * (IcmpInEchos is IcmpMsgInType8, IcmpOutDestUnreachs IcmpMsgOutType3, ...). Handles, so counting is a field
 * increment; the per-type tables are made at the first message.
 */
final class IcmpMib {
    /** NR_ICMP_TYPES: the types /proc/net/snmp names (0..18); others are counted by name lookup. */
    private static final int NR_ICMP_TYPES = 18;

    final MibCounter inMsgs, inErrors, inCsumErrors, outMsgs;
    private final Counters counters;
    private Counters.Counter[] inType, outType;

    IcmpMib(Counters counters) {
        this.counters = counters;
        inMsgs = new MibCounter(counters, "IcmpInMsgs");
        inErrors = new MibCounter(counters, "IcmpInErrors");
        inCsumErrors = new MibCounter(counters, "IcmpInCsumErrors");
        outMsgs = new MibCounter(counters, "IcmpOutMsgs");
    }

    // ICMPMSGIN_INC_STATS(): a message of a valid checksum, by type; the named counter with it
    void in(int type) {
        if (inType == null) inType = new Counters.Counter[2 * (NR_ICMP_TYPES + 1)];
        count(inType, type, "IcmpMsgInType", "IcmpIn");
    }

    // icmp_out_count(): ICMPMSGOUT_INC_STATS() and ICMP_MIB_OUTMSGS for a message handed to IP
    void out(int type) {
        outMsgs.increment();
        if (outType == null) outType = new Counters.Counter[2 * (NR_ICMP_TYPES + 1)];
        count(outType, type, "IcmpMsgOutType", "IcmpOut");
    }

    private void count(Counters.Counter[] table, int type, String msgPrefix, String namedPrefix) {
        if (type > NR_ICMP_TYPES) {
            counters.counter(msgPrefix + type).increment();
            return;
        }
        Counters.Counter byType = table[2 * type];
        if (byType == null) {
            byType = table[2 * type] = counters.counter(msgPrefix + type);
            String named = NAMES[type];
            if (named != null) table[2 * type + 1] = counters.counter(namedPrefix + named);
        }
        byType.increment();
        if (table[2 * type + 1] != null) table[2 * type + 1].increment();
    }

    /** icmpmibmap[] of net/ipv4/proc.c: the types /proc/net/snmp's Icmp line names. */
    private static final String[] NAMES = new String[NR_ICMP_TYPES + 1];

    static {
        NAMES[IcmpPacket.ICMP_DEST_UNREACH] = "DestUnreachs";
        NAMES[IcmpPacket.ICMP_TIME_EXCEEDED] = "TimeExcds";
        NAMES[12] = "ParmProbs";
        NAMES[4] = "SrcQuenchs";
        NAMES[5] = "Redirects";
        NAMES[IcmpPacket.ICMP_ECHO] = "Echos";
        NAMES[IcmpPacket.ICMP_ECHOREPLY] = "EchoReps";
        NAMES[13] = "Timestamps";
        NAMES[14] = "TimestampReps";
        NAMES[17] = "AddrMasks";
        NAMES[18] = "AddrMaskReps";
    }
}
