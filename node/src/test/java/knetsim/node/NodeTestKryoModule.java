package knetsim.node;

import java.util.List;
import knetsim.core.serial.KryoModule;

/** Test scenarios shipped between ActorSystems in the node tests. */
public final class NodeTestKryoModule implements KryoModule {
    @Override
    public int firstId() {
        return 9300;
    }

    @Override
    public List<Class<?>> classes() {
        return List.of(WireScenario.class);
    }
}
