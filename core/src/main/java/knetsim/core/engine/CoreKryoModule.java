package knetsim.core.engine;

import java.util.List;
import knetsim.core.run.MemberAgent;
import knetsim.core.run.RunCoordinator;
import knetsim.core.selftest.SelftestScenario;
import knetsim.core.selftest.Token;
import knetsim.core.serial.KryoModule;

/** The engine's messages between JVMs. Append only: the position of a class is its wire id. */
public final class CoreKryoModule implements KryoModule {
    @Override
    public int firstId() {
        return 100;
    }

    @Override
    public List<Class<?>> classes() {
        return List.of(
                Event.class, Event[].class,
                PartitionScheduler.PeerRef.class, PartitionScheduler.PeerRef[].class,
                PartitionScheduler.Begin.class, PartitionScheduler.Abort.class,
                PartitionScheduler.EventBatch.class, PartitionScheduler.EndOfWindow.class,
                RunCoordinator.MemberJoined.class, RunCoordinator.PartitionReady.class,
                RunCoordinator.LpDigests.class, RunCoordinator.PartitionFinished.class,
                RunCoordinator.PartitionFailed.class,
                MemberAgent.CreatePartition.class, MemberAgent.Shutdown.class,
                LpGraph.class, int[][].class, long[][].class, byte[][].class,
                SelftestScenario.class, Token.class,
                RunCoordinator.LpCounters.class, RunCoordinator.LpReport.class,
                SeriesChunk.class,
                MemberAgent.ScenarioChunk.class, RunCoordinator.PartReceived.class,
                PartitionScheduler.ResultsTaken.class,
                RunCoordinator.MessageUndeliverable.class, RunCoordinator.Settled.class, MemberAgent.Settle.class);
    }
}
