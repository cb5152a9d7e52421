package knetsim.core.selftest;

import knetsim.core.engine.Counters;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.Payload;

/**
 * An LP of the selftest graph: it starts some tokens and forwards every token it receives along a
 * random out-edge with a random extra delay, both drawn from its own stream, until the token's
 * hops run out.
 */
final class TokenLp extends LogicalProcess {
    private final SelftestScenario scenario;
    private Counters.Counter forwarded;
    private Counters.Counter retired;

    TokenLp(SelftestScenario scenario) {
        this.scenario = scenario;
    }

    @Override
    protected void onStart() {
        forwarded = counters().counter("tokens_forwarded");
        retired = counters().counter("tokens_retired");
        for (int t = 0; t < scenario.tokensPerLp(); t++) {
            long id = (long) id() * scenario.tokensPerLp() + t;
            schedule(random().nextLong(scenario.maxEdgeDelay()), new Token(id, scenario.hopsPerToken(), id));
        }
    }

    @Override
    protected void onEvent(Payload payload) {
        Token token = (Token) payload;
        if (token.hopsLeft() == 0) {
            retired.increment();
            return;
        }
        int[] targets = edgeTargets();
        int edge = random().nextInt(targets.length);
        long delay = edgeMinDelay(edge) + random().nextLong(scenario.jitter() + 1);
        long value = SelftestScenario.mix(token.value() ^ random().nextLong());
        send(targets[edge], delay, new Token(token.id(), token.hopsLeft() - 1, value));
        forwarded.increment();
    }
}
