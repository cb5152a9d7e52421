/**
 * Channel models one Link direction applies to each frame: loss, corruption and delay. Plain stateful classes, one
 * instance per direction, drawing only from the {@link java.util.SplittableRandom} that direction owns.
 */
package knetsim.link.loss;
