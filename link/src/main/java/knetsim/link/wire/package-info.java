/**
 * What every codec of the project shares: {@code parse} returns {@link knetsim.link.wire.Parsed} and never throws on
 * bad bytes, {@code emit} writes exactly {@code length()} bytes, and only a range outside the array throws.
 */
package knetsim.link.wire;
