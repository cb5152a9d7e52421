package knetsim.node.tcp.cong;

/**
 * The TcpExt counters (/proc/net/netstat) that congestion-control modules themselves bump with
 * NET_INC_STATS/NET_ADD_STATS, by their kernel name. The protocol maps each to its own MIB once
 * (an array indexed by ordinal), so nothing is looked up by string per ACK.
 */
public enum CaMib {
    /** LINUX_MIB_TCPHYSTARTTRAINDETECT: HyStart's ACK-train heuristic ended slow start. */
    TCP_HYSTART_TRAIN_DETECT("TCPHystartTrainDetect"),
    /** LINUX_MIB_TCPHYSTARTTRAINCWND: the sum of cwnd at those exits. */
    TCP_HYSTART_TRAIN_CWND("TCPHystartTrainCwnd"),
    /** LINUX_MIB_TCPHYSTARTDELAYDETECT: HyStart's delay-increase heuristic ended slow start. */
    TCP_HYSTART_DELAY_DETECT("TCPHystartDelayDetect"),
    /** LINUX_MIB_TCPHYSTARTDELAYCWND: the sum of cwnd at those exits. */
    TCP_HYSTART_DELAY_CWND("TCPHystartDelayCwnd");

    private final String kernelName;

    CaMib(String kernelName) {
        this.kernelName = kernelName;
    }

    /** The name nstat prints after "TcpExt". */
    public String kernelName() {
        return kernelName;
    }
}
