package knetsim.core.selftest;

import knetsim.core.engine.Payload;

/** A token hopping between LPs; {@code value} mixes in every draw made on its way. */
public record Token(long id, int hopsLeft, long value) implements Payload {
    @Override
    public long fingerprint() {
        return SelftestScenario.mix(SelftestScenario.mix(id * 31 + hopsLeft) ^ value);
    }
}
