/** One Linux machine: sk_buff ({@code skb}), net_device and qdiscs ({@code dev}), driver rings ({@code nic}), NAPI ({@code softirq}). */
package knetsim.node;
