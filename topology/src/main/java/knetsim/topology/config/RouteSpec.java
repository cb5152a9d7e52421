package knetsim.topology.config;

/** A static route: {@code to/prefixLength} via the gateway {@code via} out of interface {@code dev}. */
public record RouteSpec(int to, int prefixLength, int via, String dev, int metric, Source source) {

    /** Where the route came from: written in the file, a gateway's default route, or computed (routing = auto). */
    public enum Source { WRITTEN, GATEWAY, AUTO }

    public boolean matches(int address) {
        return (address & Ipv4s.mask(prefixLength)) == to;
    }
}
