/** Placeholder until the wire/driver and kernel issues land. */
package knetsim.link;
