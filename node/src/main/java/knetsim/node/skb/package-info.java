/** The sk_buff and the kernel's drop reasons: what every stage of the modelled packet path passes along. */
package knetsim.node.skb;
