package knetsim.node.udp;

import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.socket.DatagramSock;

/** A UDP socket: its local address and port once bound, and its peer once connected. */
public final class UdpSocket extends DatagramSock {
    private Ipv4Address localAddress = Ipv4Address.ANY;
    private int localPort; // 0: not bound yet
    private Ipv4Address remoteAddress; // null: not connected
    private int remotePort;

    public UdpSocket(int id) {
        super(id);
    }

    public Ipv4Address localAddress() {
        return localAddress;
    }

    public int port() {
        return localPort;
    }

    public boolean bound() {
        return localPort != 0;
    }

    void bindTo(Ipv4Address address, int port) {
        this.localAddress = address;
        this.localPort = port;
    }

    public Ipv4Address remoteAddress() {
        return remoteAddress;
    }

    public int remotePort() {
        return remotePort;
    }

    public boolean connected() {
        return remoteAddress != null;
    }

    public void connectTo(Ipv4Address address, int port) {
        this.remoteAddress = address;
        this.remotePort = port;
    }
}
