/** L2: MAC addresses and Ethernet ({@code ethernet}), links and their loss models, the learning bridge ({@code bridge}), pcap. */
package knetsim.link;
