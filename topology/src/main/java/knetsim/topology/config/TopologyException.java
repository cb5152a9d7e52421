package knetsim.topology.config;

import java.util.List;
import java.util.stream.Collectors;

/** Every problem found in a topology, so the user can fix them all in one go; nothing runs. */
public final class TopologyException extends Exception {
    private final transient List<ConfigProblem> problems;

    public TopologyException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
