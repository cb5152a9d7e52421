package knetsim.node;

import java.util.List;
import knetsim.core.serial.KryoModule;

/**
 * What the node layer sends between JVMs. A machine's LPs always share a partition, so only
 * frames (link layer) cross between machines; what crosses from here are the end-of-run reports
 * of the applications. Append only: ids are positions.
 */
public final class NodeKryoModule implements KryoModule {
    @Override
    public int firstId() {
        return 300;
    }

    @Override
    public List<Class<?>> classes() {
        return List.of(knetsim.node.app.PingReport.class, knetsim.node.app.UdpSenderReport.class,
                knetsim.node.app.UdpFlowReport.class, knetsim.node.app.TcpFlowReport.class,
                knetsim.node.app.TcpSinkReport.class, knetsim.node.neigh.NeighReport.class,
                knetsim.node.script.SyscallChunk.class, knetsim.node.script.ScriptReport.class,
                knetsim.node.app.TcpFlowsReport.class);
    }
}
