package knetsim.link;

import java.util.List;
import knetsim.core.serial.KryoModule;

/** The link layer's messages between JVMs: frames cross partitions on the link-to-receiver edge. Append only. */
public final class LinkKryoModule implements KryoModule {
    @Override
    public int firstId() {
        return 200;
    }

    @Override
    public List<Class<?>> classes() {
        return List.of(Frame.class,
                knetsim.link.pcap.CaptureRecord.class, knetsim.link.pcap.CaptureRecord[].class,
                knetsim.link.pcap.CaptureChunk.class, knetsim.link.drop.FlowDropReport.class);
    }
}
