package knetsim.core.cluster;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ClusterEvent;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.cluster.typed.SelfUp;
import akka.cluster.typed.Subscribe;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import knetsim.core.run.MemberAgent;
import knetsim.core.run.RunCoordinator;

/**
 * A member JVM forked by {@link ClusterRun}: one ActorSystem per partition it hosts, each joining
 * the coordinator's cluster. It exits when its systems stop, when the coordinator becomes
 * unreachable, or when its parent dies (standard input closes), so no member outlives its run.
 * Usage: {@code --join HOST:PORT --coordinator PATH --partitions 1,3 --name jvm-1}.
 */
public final class MemberMain {
    private MemberMain() {}

    public static void main(String[] args) throws Exception {
        String join = null, coordinator = null, name = "member", partitions = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--join" -> join = args[i + 1];
                case "--coordinator" -> coordinator = args[i + 1];
                case "--partitions" -> partitions = args[i + 1];
                case "--name" -> name = args[i + 1];
                default -> usage("unknown option " + args[i]);
            }
        }
        if (join == null || coordinator == null || partitions == null) usage("missing option");
        // Initialise logging before Akka's threads race to it (SLF4J would print a replay notice).
        org.slf4j.LoggerFactory.getILoggerFactory();
        Thread parentWatch = new Thread(MemberMain::exitWhenParentDies, "parent-watch");
        parentWatch.setDaemon(true);
        parentWatch.start();
        List<ActorSystem<?>> systems = new ArrayList<>();
        for (String p : partitions.split(",")) {
            systems.add(start(Integer.parseInt(p.trim()), name + " pid " + ProcessHandle.current().pid(),
                    parseAddress(join), coordinator, ConfigFactory.empty()));
        }
        for (ActorSystem<?> system : systems) system.getWhenTerminated().toCompletableFuture().join();
        System.exit(0);
    }

    private static void usage(String problem) {
        System.err.println("knetsim member: " + problem
                + "; usage: --join HOST:PORT --coordinator PATH --partitions 1,3 [--name NAME]");
        System.exit(2);
    }

    private static void exitWhenParentDies() {
        try {
            while (System.in.read() >= 0) {
                // the parent never writes; reading only waits for end of file
            }
        } catch (java.io.IOException ignored) {
            // a broken pipe means the parent is gone, as end of file does
        }
        System.err.println("knetsim member: launcher is gone, exiting");
        Runtime.getRuntime().halt(3);
    }

    static Address parseAddress(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("expected HOST:PORT, got \"" + hostPort + "\"");
        return new Address("akka", AkkaConfig.SYSTEM_NAME, hostPort.substring(0, colon),
                Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** Starts one member ActorSystem for {@code partition}; used in forked JVMs and in-process. */
    public static ActorSystem<?> start(int partition, String member, Address seed, String coordinatorPath,
                                          Config overrides) {
        Config config = AkkaConfig.clustered(seed.getHost().get(), 0, overrides);
        return ActorSystem.create(guardian(partition, member, seed, coordinatorPath), AkkaConfig.SYSTEM_NAME, config);
    }

    private sealed interface Event {}
    private record Up() implements Event {}
    private record Reachability(ClusterEvent.ReachabilityEvent event) implements Event {}

    private static Behavior<Event> guardian(int partition, String member, Address seed, String coordinatorPath) {
        return Behaviors.<Event>setup(context -> {
            Cluster cluster = Cluster.get(context.getSystem());
            cluster.subscriptions().tell(Subscribe.create(context.messageAdapter(SelfUp.class, up -> new Up()), SelfUp.class));
            cluster.subscriptions().tell(Subscribe.create(
                    context.messageAdapter(ClusterEvent.ReachabilityEvent.class, Reachability::new),
                    ClusterEvent.ReachabilityEvent.class));
            cluster.manager().tell(Join.create(seed));
            return Behaviors.receive(Event.class)
                    .onMessage(Up.class, up -> {
                        ActorRef<RunCoordinator.Command> coordinator =
                                ActorRefResolver.get(context.getSystem()).resolveActorRef(coordinatorPath);
                        context.spawn(MemberAgent.create(partition, member, coordinator), "agent");
                        return Behaviors.same();
                    })
                    .onMessage(Reachability.class, r -> {
                        if (r.event() instanceof ClusterEvent.UnreachableMember lost
                                && lost.member().address().equals(seed)) {
                            context.getLog().error("coordinator {} became unreachable; stopping", seed);
                            context.getSystem().terminate();
                        }
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}
