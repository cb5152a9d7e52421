/**
 * net_device transmit side: the tx queue's queueing disciplines (pfifo_fast, pfifo, bfifo, tbf) and their tc counters.
 */
package knetsim.node.dev;
