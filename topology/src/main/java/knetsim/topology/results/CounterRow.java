package knetsim.topology.results;

import java.util.Objects;

/**
 * One counter at the end of a run. {@code scope} is where it was counted ({@code h1}, {@code h1.eth0},
 * {@code h1.eth0.rx0}, {@code h1.cpu0}, {@code r1}, {@code link.h1.eth0-sw1}); {@code name} is the
 * kernel's name for it, so results can be compared with {@code ip -s link} or {@code ethtool -S}.
 */
public record CounterRow(String scope, String name, long value) {
    public CounterRow {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(name, "name");
    }
}
