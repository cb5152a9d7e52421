package knetsim.topology.cli;

import akka.actor.Address;
import java.time.Duration;
import knetsim.core.cluster.MemberMain;
import knetsim.topology.config.Units;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters for the cluster options; a bad value is bad input (exit 2). */
final class Converters {
    private Converters() {}

    /** "30s", "2m", "500ms": a positive duration. */
    static final class PositiveDuration implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            long ns;
            try {
                ns = Units.durationNs(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
            if (ns <= 0) throw new TypeConversionException("expected a duration above 0, got \"" + value + "\"");
            return Duration.ofNanos(ns);
        }
    }

    /** "HOST:PORT" with a port from 0 to 65535. */
    static final class HostPort implements ITypeConverter<Address> {
        @Override
        public Address convert(String value) {
            try {
                return MemberMain.parseAddress(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static String hostPort(Address address) {
        return address.getHost().get() + ":" + address.getPort().get();
    }
}
