/**
 * net_device transmit side: the tx queue's queueing disciplines (pfifo_fast, pfifo, bfifo, tbf, noqueue, codel, fq_codel,
 * red, fq), CoDel and ECN marking, and their tc counters.
 */
package knetsim.node.dev;
