package knetsim.node.script;

import java.util.ArrayList;
import java.util.List;
import knetsim.node.socket.Syscall;

/** What the grammar cannot say about a call's arguments: combinations the socket layer has no answer for. */
final class CallChecks {
    private CallChecks() {}

    static void check(Signatures.Signature sig, List<Arg> args, List<Integer> columns) {
        switch (sig.name()) {
            case "socket" -> protocol(args, columns.get(2));
            case "setsockopt" -> {
                Syscall.Option o = option(args.get(1));
                Arg v = args.get(2);
                int col = columns.get(2);
                if (o == Syscall.Option.TCP_INFO || o == Syscall.Option.SO_ERROR || o == Syscall.Option.IP_MTU) {
                    throw new ScriptSyntaxException(columns.get(1), args.get(1) + " can only be read (getsockopt)");
                }
                if (o == Syscall.Option.TCP_CONGESTION && !(v instanceof Arg.Str)) {
                    throw new ScriptSyntaxException(col, "TCP_CONGESTION takes a name like \"cubic\", got " + v);
                }
                if (o != Syscall.Option.TCP_CONGESTION && v instanceof Arg.Str) {
                    throw new ScriptSyntaxException(col, args.get(1) + " takes a number, got " + v);
                }
                if (v instanceof Arg.Flags f && !(f.kind() == Constants.Kind.PMTUDISC && o == Syscall.Option.IP_MTU_DISCOVER)) {
                    throw new ScriptSyntaxException(col, args.get(1) + " takes a number, got " + v);
                }
            }
            case "sendto", "send", "write" -> {
                if (args.size() > 2 && args.get(2) instanceof Arg.Flags f && (f.value() & Constants.MSG_ERRQUEUE) != 0) {
                    throw new ScriptSyntaxException(columns.get(2), "MSG_ERRQUEUE is for receiving (recvmsg)");
                }
            }
            case "epoll_create" -> {
                if (((Arg.Num) args.get(0)).value() <= 0) throw new ScriptSyntaxException(columns.get(0), "epoll_create's size must be > 0 (EINVAL)");
            }
            case "epoll_create1" -> {
                if (((Arg.Num) args.get(0)).value() != 0) throw new ScriptSyntaxException(columns.get(0), "epoll_create1 takes flags 0");
            }
            case "epoll_wait" -> {
                if (((Arg.Num) args.get(1)).value() < 1) throw new ScriptSyntaxException(columns.get(1), "maxevents must be >= 1");
            }
            case "recv", "read", "recvfrom" -> {
                if (((Arg.Num) args.get(1)).value() < 0) throw new ScriptSyntaxException(columns.get(1), "a length must be >= 0");
            }
            default -> { }
        }
    }

    /** socket(AF_INET, type, protocol): the Syscall protocol, or a problem for a pair the kernel refuses. */
    static Syscall.Protocol protocol(List<Arg> args, int column) {
        long type = ((Arg.Flags) args.get(1)).value();
        long proto = args.get(2) instanceof Arg.Num n ? n.value() : ((Arg.Flags) args.get(2)).value();
        if (type == Constants.SOCK_DGRAM && (proto == 0 || proto == Constants.IPPROTO_UDP)) return Syscall.Protocol.UDP;
        if (type == Constants.SOCK_DGRAM && proto == Constants.IPPROTO_ICMP) return Syscall.Protocol.ICMP;
        if (type == Constants.SOCK_STREAM && (proto == 0 || proto == Constants.IPPROTO_TCP)) return Syscall.Protocol.TCP;
        throw new ScriptSyntaxException(column, args.get(1) + " with protocol " + args.get(2)
                + " is not a socket knetsim makes: SOCK_DGRAM with 0, IPPROTO_UDP or IPPROTO_ICMP, SOCK_STREAM with 0 or IPPROTO_TCP");
    }

    static Syscall.Option option(Arg a) {
        return Constants.OPTIONS.get(((Arg.Flags) a).names().get(0));
    }

    /** The type of field {@code f} of the call's result, or a problem naming the fields it has. */
    static Signatures.Param fieldType(Signatures.Signature sig, List<Arg> args, Token f) {
        String name = f.text();
        if (sig.name().equals("getsockopt")) {
            Syscall.Option o = option(args.get(1));
            if (o == Syscall.Option.TCP_INFO) {
                if (TcpInfoFields.FIELDS.containsKey(name)) {
                    if (name.equals("tcpi_state")) return Signatures.Param.STATE;
                    return name.equals("tcpi_ca_state") ? Signatures.Param.OPTVAL : Signatures.Param.INT;
                }
                throw new ScriptSyntaxException(f.column(), "TCP_INFO has no field " + name + ", expected one of "
                        + String.join(", ", TcpInfoFields.FIELDS.keySet()));
            }
            if (!name.equals("value")) throw new ScriptSyntaxException(f.column(), "getsockopt's result has one field, value");
            return Signatures.Param.OPTVAL;
        }
        Signatures.Param p = sig.fields().get(name);
        if (p != null) return p;
        List<String> names = new ArrayList<>(sig.fields().keySet());
        throw new ScriptSyntaxException(f.column(), sig.name() + "'s result has " + (names.isEmpty() ? "no fields"
                : "no field " + name + ", expected one of " + String.join(", ", names)));
    }
}
