package knetsim.node.script;

import knetsim.node.socket.Syscall;

/** How the log names a call made by an application that is not a script, and writes its arguments (as a step would). */
public final class StraceFormat {
    private StraceFormat() {}

    public static String name(Syscall call) {
        if (call instanceof Syscall.Socket) return "socket";
        if (call instanceof Syscall.Bind) return "bind";
        if (call instanceof Syscall.Connect) return "connect";
        if (call instanceof Syscall.SetSockOpt || call instanceof Syscall.SetSockOptName) return "setsockopt";
        if (call instanceof Syscall.GetSockOpt) return "getsockopt";
        if (call instanceof Syscall.SetNonBlocking) return "fcntl";
        if (call instanceof Syscall.Listen) return "listen";
        if (call instanceof Syscall.Accept) return "accept4";
        if (call instanceof Syscall.Recv) return "recv";
        if (call instanceof Syscall.Shutdown) return "shutdown";
        if (call instanceof Syscall.SendTo s) return s.address() == null ? "send" : "sendto";
        if (call instanceof Syscall.RecvFrom) return "recvfrom";
        if (call instanceof Syscall.RecvError) return "recvmsg";
        if (call instanceof Syscall.Close) return "close";
        if (call instanceof Syscall.GetSockName) return "getsockname";
        if (call instanceof Syscall.EpollCreate) return "epoll_create1";
        if (call instanceof Syscall.EpollCtl) return "epoll_ctl";
        return "epoll_wait";
    }

    public static String args(Syscall call) {
        if (call instanceof Syscall.Socket s) {
            return "AF_INET, " + switch (s.protocol()) {
                case UDP -> "SOCK_DGRAM, IPPROTO_UDP";
                case ICMP -> "SOCK_DGRAM, IPPROTO_ICMP";
                case TCP -> "SOCK_STREAM, IPPROTO_TCP";
            };
        }
        if (call instanceof Syscall.Bind b) return b.fd() + ", " + b.address() + ":" + b.port();
        if (call instanceof Syscall.Connect c) return c.fd() + ", " + c.address() + ":" + c.port();
        if (call instanceof Syscall.SetSockOpt o) {
            String v = o.option() == Syscall.Option.IP_MTU_DISCOVER ? Constants.name(Constants.Kind.PMTUDISC, o.value())
                    : Integer.toString(o.value());
            return o.fd() + ", " + o.option() + ", " + v;
        }
        if (call instanceof Syscall.SetSockOptName o) return o.fd() + ", " + o.option() + ", \"" + o.value() + "\"";
        if (call instanceof Syscall.GetSockOpt o) return o.fd() + ", " + o.option();
        if (call instanceof Syscall.SetNonBlocking n) return n.fd() + ", F_SETFL, " + (n.nonBlocking() ? "O_NONBLOCK" : "0");
        if (call instanceof Syscall.Listen l) return l.fd() + ", " + l.backlog();
        if (call instanceof Syscall.Accept a) return a.fd() + ", " + (a.nonBlockingChild() ? "SOCK_NONBLOCK" : "0");
        if (call instanceof Syscall.Recv r) return r.fd() + ", " + r.maxLength() + dontwait(r.nonBlocking());
        if (call instanceof Syscall.Shutdown s) return s.fd() + ", " + Constants.name(Constants.Kind.SHUT, s.how());
        if (call instanceof Syscall.SendTo s) {
            if (s.address() == null) return s.fd() + ", " + s.data().length + dontwait(s.nonBlocking());
            return s.fd() + ", " + s.data().length + ", " + (s.nonBlocking() ? "MSG_DONTWAIT" : "0") + ", " + s.address() + ":" + s.port();
        }
        if (call instanceof Syscall.RecvFrom r) return r.fd() + ", 65536" + dontwait(r.nonBlocking());
        if (call instanceof Syscall.RecvError r) return r.fd() + ", MSG_ERRQUEUE";
        if (call instanceof Syscall.Close c) return Integer.toString(c.fd());
        if (call instanceof Syscall.GetSockName g) return Integer.toString(g.fd());
        if (call instanceof Syscall.EpollCreate) return "0";
        if (call instanceof Syscall.EpollCtl c) {
            String op = switch (c.op()) {
                case ADD -> "EPOLL_CTL_ADD";
                case MOD -> "EPOLL_CTL_MOD";
                case DEL -> "EPOLL_CTL_DEL";
            };
            return c.epollFd() + ", " + op + ", " + c.fd() + ", " + Constants.flags(Constants.Kind.EPOLL_EVENTS, c.events());
        }
        Syscall.EpollWait w = (Syscall.EpollWait) call;
        return w.epollFd() + ", " + w.maxEvents() + ", " + timeout(w.timeoutNs());
    }

    private static String dontwait(boolean on) {
        return on ? ", MSG_DONTWAIT" : "";
    }

    // epoll_wait's timeout in milliseconds, as the call takes it; a finer one as a duration
    static String timeout(long ns) {
        if (ns < 0) return "-1";
        if (ns % 1_000_000 == 0) return Long.toString(ns / 1_000_000);
        return ns % 1_000 == 0 ? ns / 1_000 + "us" : ns + "ns";
    }
}
