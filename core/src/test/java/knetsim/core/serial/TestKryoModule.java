package knetsim.core.serial;

import java.util.List;

/** Registers {@link TestMessages} from id 9000; listed in the test META-INF/services. */
public final class TestKryoModule implements KryoModule {
    @Override
    public int firstId() {
        return 9000;
    }

    @Override
    public List<Class<?>> classes() {
        return List.of(TestMessages.Point.class, TestMessages.Colour.class, TestMessages.Segment.class,
                TestMessages.Blob.class, TestMessages.Point[].class, TestMessages.Path.class, TestMessages.Reply.class,
                TestMessages.WithList.class, knetsim.core.cluster.PaddedScenario.class,
                knetsim.core.engine.UnitsOfScenario.class,
                knetsim.core.engine.ModelFailureTest.FailingModel.class, knetsim.core.engine.ModelFailureTest.Token.class,
                knetsim.core.cluster.ResultsAtScaleTest.ManyCounters.class, knetsim.core.cluster.ResultsAtScaleTest.Note.class,
                knetsim.core.cluster.TurnedAwayMemberTest.SlowBuild.class,
                knetsim.core.engine.CrossPartitionBurstTest.Burst.class, knetsim.core.engine.CrossPartitionBurstTest.Chunk.class,
                knetsim.core.cluster.UnserialisableMessageTest.Unwritable.class,
                knetsim.core.cluster.UnserialisableMessageTest.Tally.class,
                knetsim.core.cluster.UnserialisableMessageTest.Counted.class);
    }
}
