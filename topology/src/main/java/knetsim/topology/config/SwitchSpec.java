package knetsim.topology.config;

/** A learning switch; its ports are the links ending at it, numbered 0.. in link order; {@code queue} frames wait per egress port. */
public record SwitchSpec(String name, long ageingNs, int ports, int queue) {
}
