package knetsim.core.cluster;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ClusterEvent;
import akka.cluster.Member;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.JoinSeedNodes;
import akka.cluster.typed.SelfUp;
import akka.cluster.typed.Subscribe;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.StreamSupport;
import knetsim.core.run.MemberAgent;
import knetsim.core.run.RunCoordinator;

/**
 * The member side of a run: one ActorSystem per partition, each joining the coordinator's cluster
 * and serving what the coordinator asks through a {@link MemberAgent}. Three callers share it:
 * in-process partitions and JVMs forked by {@link ClusterRun} (which know their partition and the
 * coordinator's path) and {@code knetsim member} (which joins on its own, finds the coordinator by
 * its cluster role and is given a partition). A member ends when the coordinator shuts it down,
 * when the coordinator becomes unreachable, or, if it has a join timeout, when it is not given a
 * partition in time.
 *
 * <p>{@link #main} is the forked JVM: {@code --join HOST:PORT --coordinator PATH --partitions 1,3
 * --name jvm-1}. It also exits when its parent dies (standard input closes), so no forked member
 * outlives its run.
 */
public final class MemberMain {
    private MemberMain() {}

    /**
     * How a member system starts.
     *
     * @param partition       the partition to announce, or {@link MemberAgent#ANY_PARTITION}
     * @param name            names this member in the coordinator's messages; null: its address and pid
     * @param seed            the coordinator's address, joined as the cluster's seed
     * @param coordinatorPath the coordinator's actor path, or null to find it by {@link AkkaConfig#COORDINATOR_ROLE}
     * @param host            the address this system binds to (remoting is bound to it)
     * @param port            the port to bind; 0 picks a free one
     * @param joinTimeout     give up when no partition was given within it; null waits forever
     * @param log             one line per step (joined, partition given); never the model
     */
    public record Settings(int partition, String name, Address seed, String coordinatorPath, String host, int port,
                           Duration joinTimeout, Config overrides, Consumer<String> log) {}

    /** Why a member ended: {@code completed} only when it served a run that finished with a result. */
    public record Ending(boolean completed, String message) {}

    /** A started member system and how it ends. */
    public record Running(ActorSystem<?> system, CompletableFuture<Ending> ending) {
        /** The host:port this member is bound to. */
        public String address() {
            Address a = system.address();
            return a.getHost().get() + ":" + a.getPort().get();
        }
    }

    /** Set when the launcher has ended the run (or this member gave up): the launcher going away is then expected. */
    static volatile boolean runEnded;

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
        try {
            for (String p : partitions.split(",")) {
                systems.add(start(Integer.parseInt(p.trim()), name + " pid " + ProcessHandle.current().pid(),
                        parseAddress(join), coordinator, ConfigFactory.empty()));
            }
        } catch (RuntimeException e) {
            // the systems already started would keep this JVM alive, and the launcher would only see its set-up time out
            System.err.println("knetsim member: cannot start the member system for partitions " + partitions + ": " + e);
            for (ActorSystem<?> system : systems) system.terminate();
            System.exit(1);
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
        String line = parentGoneLine();
        if (line != null) System.err.println(line);
        Runtime.getRuntime().halt(3);
    }

    /** What a forked member prints when its launcher's pipe closes: null once the run has ended, as that is no news. */
    static String parentGoneLine() {
        // after a run the launcher exits first, closing the pipe before the member has stopped
        return runEnded ? null : "knetsim member: launcher is gone, exiting";
    }

    /** Parses {@code HOST:PORT} into the address of a knetsim system; IllegalArgumentException if malformed. */
    public static Address parseAddress(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("expected HOST:PORT, got \"" + hostPort + "\"");
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected HOST:PORT with a numeric port, got \"" + hostPort + "\"");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        return new Address("akka", AkkaConfig.SYSTEM_NAME, hostPort.substring(0, colon), port);
    }

    /** Starts one member ActorSystem for {@code partition}; used in forked JVMs and in-process. */
    public static ActorSystem<?> start(int partition, String member, Address seed, String coordinatorPath,
                                       Config overrides) {
        return start(new Settings(partition, member, seed, coordinatorPath, seed.getHost().get(), 0, null, overrides,
                line -> {})).system();
    }

    /** Starts one member ActorSystem; {@link Running#ending()} completes when it has ended (or is ending). */
    public static Running start(Settings settings) {
        CompletableFuture<Ending> ending = new CompletableFuture<>();
        Config config = AkkaConfig.clustered(settings.host(), settings.port(), settings.overrides());
        ActorSystem<?> system = ActorSystem.create(guardian(settings, ending), AkkaConfig.SYSTEM_NAME, config);
        system.getWhenTerminated().thenRun(() -> ending.complete(new Ending(false, "the member system stopped")));
        return new Running(system, ending);
    }

    private sealed interface Event {}
    private record Up(SelfUp up) implements Event {}
    private record Reachability(ClusterEvent.ReachabilityEvent event) implements Event {}
    private record JoinTimeout() implements Event {}
    private record PartitionGiven(int partition, int partitions) implements Event {}

    private static Behavior<Event> guardian(Settings settings, CompletableFuture<Ending> ending) {
        Address seed = settings.seed();
        return Behaviors.<Event>setup(context -> Behaviors.withTimers(timers -> {
            Cluster cluster = Cluster.get(context.getSystem());
            cluster.subscriptions().tell(Subscribe.create(context.messageAdapter(SelfUp.class, Up::new), SelfUp.class));
            cluster.subscriptions().tell(Subscribe.create(
                    context.messageAdapter(ClusterEvent.ReachabilityEvent.class, Reachability::new),
                    ClusterEvent.ReachabilityEvent.class));
            // Joining through the seed-node process retries until the seed answers, so a member may
            // also be started a little before its launcher.
            cluster.manager().tell(new JoinSeedNodes(List.of(seed)));
            if (settings.joinTimeout() != null) timers.startSingleTimer(new JoinTimeout(), settings.joinTimeout());
            ActorRef<Event> self = context.getSelf();
            MemberAgent.Listener listener = new MemberAgent.Listener() {
                @Override
                public void partitionAssigned(int partition, int partitions) {
                    self.tell(new PartitionGiven(partition, partitions));
                }

                @Override
                public void shutdown(String reason, boolean completed) {
                    runEnded = true;
                    ending.complete(new Ending(completed, completed ? reason : "the launcher says: " + reason));
                }
            };
            Address[] coordinator = {seed};
            boolean[] given = {false};
            return Behaviors.receive(Event.class)
                    .onMessage(Up.class, up -> {
                        String path = settings.coordinatorPath();
                        if (path == null) {
                            Optional<Member> found = StreamSupport.stream(
                                            up.up().currentClusterState().getMembers().spliterator(), false)
                                    .filter(m -> m.hasRole(AkkaConfig.COORDINATOR_ROLE)).findFirst();
                            if (found.isEmpty()) {
                                return fail(context.getSystem(), settings, ending, "joined the cluster at " + hostPort(seed)
                                        + ", but no launcher is in it");
                            }
                            coordinator[0] = found.get().address();
                            path = coordinator[0] + "/user";
                        }
                        settings.log().accept("joined the cluster of the launcher at " + hostPort(coordinator[0]));
                        ActorRef<RunCoordinator.Command> ref =
                                ActorRefResolver.get(context.getSystem()).resolveActorRef(path);
                        String name = settings.name() != null ? settings.name()
                                : hostPort(context.getSystem().address()) + " (pid "
                                        + ProcessHandle.current().pid() + ")";
                        // watched: an agent that stopped would leave this member reachable and the run waiting for it
                        context.watch(context.spawn(MemberAgent.create(settings.partition(), name, ref, listener), "agent"));
                        return Behaviors.same();
                    })
                    .onMessage(PartitionGiven.class, g -> {
                        given[0] = true;
                        timers.cancel(new JoinTimeout());
                        settings.log().accept("running partition " + g.partition() + " of " + g.partitions());
                        return Behaviors.same();
                    })
                    .onMessage(JoinTimeout.class, t -> {
                        if (given[0]) return Behaviors.same();
                        long seconds = settings.joinTimeout().toSeconds();
                        String why = cluster.selfMember().status() == akka.cluster.MemberStatus.up()
                                ? "joined the cluster at " + hostPort(seed) + ", but its launcher gave this member no"
                                        + " partition within " + seconds + " s (does it run the same knetsim version?)"
                                : "could not join the cluster at " + hostPort(seed) + " within " + seconds
                                        + " s (is a launcher waiting there with --listen, and can this machine reach it?"
                                        + " Join at the address its 'waiting for' line prints: a launcher listening on"
                                        + " 0.0.0.0 answers only at the address it advertises, which --advertise sets;"
                                        + " and does this member have the launcher's key, --secret FILE, or --insecure"
                                        + " when the launcher runs with --insecure?)";
                        return fail(context.getSystem(), settings, ending, why);
                    })
                    .onMessage(Reachability.class, r -> {
                        if (r.event() instanceof ClusterEvent.UnreachableMember lost
                                && lost.member().address().equals(coordinator[0])) {
                            return fail(context.getSystem(), settings, ending, "the launcher at " + hostPort(coordinator[0])
                                    + " became unreachable");
                        }
                        return Behaviors.same();
                    })
                    .onSignal(akka.actor.typed.ChildFailed.class, f -> fail(context.getSystem(), settings, ending,
                            "its member agent stopped: " + f.cause()))
                    .onSignal(akka.actor.typed.Terminated.class, t -> Behaviors.same()) // after Shutdown, with the system
                    .build();
        }));
    }

    private static Behavior<Event> fail(ActorSystem<?> system, Settings settings, CompletableFuture<Ending> ending,
                                        String why) {
        runEnded = true;
        // A forked member has no one else to say why it stopped; knetsim member prints its ending itself.
        if (ending.complete(new Ending(false, why)) && settings.coordinatorPath() != null) {
            system.log().error("{}; stopping", why);
        }
        system.terminate();
        return Behaviors.same();
    }

    private static String hostPort(Address address) {
        return address.getHost().orElse("?") + ":" + address.getPort().map(String::valueOf).orElse("?");
    }
}
