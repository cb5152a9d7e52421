/**
 * Classic libpcap capture files with nanosecond timestamps, so that a run's frames can be opened in
 * Wireshark or tshark and compared byte for byte between runs.
 */
package knetsim.link.pcap;
