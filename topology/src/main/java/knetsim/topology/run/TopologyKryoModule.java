package knetsim.topology.run;

import java.util.List;
import knetsim.core.serial.KryoModule;

/** The topology layer's messages between JVMs: the scenario shipped to members. Append only. */
public final class TopologyKryoModule implements KryoModule {
    @Override
    public int firstId() {
        return 400;
    }

    @Override
    public List<Class<?>> classes() {
        return List.of(TopologyScenario.class);
    }
}
