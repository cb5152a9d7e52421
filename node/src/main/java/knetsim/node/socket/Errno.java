package knetsim.node.socket;

/** The errno values our syscalls return, with Linux's numbers (asm-generic/errno*.h). */
public final class Errno {
    private Errno() {}

    public static final int EPERM = 1, EBADF = 9, EAGAIN = 11, EINVAL = 22, ENONET = 64, EDESTADDRREQ = 89,
            EMSGSIZE = 90, ENOPROTOOPT = 92, EPROTONOSUPPORT = 93, EOPNOTSUPP = 95, EADDRINUSE = 98,
            EADDRNOTAVAIL = 99, ENETUNREACH = 101, ENOBUFS = 105, ENOTCONN = 107, ECONNREFUSED = 111,
            EHOSTDOWN = 112, EHOSTUNREACH = 113, ENOENT = 2, EEXIST = 17, EPIPE = 32, ENOTSOCK = 88,
            ECONNABORTED = 103, ECONNRESET = 104, EISCONN = 106, ETIMEDOUT = 110, EALREADY = 114, EINPROGRESS = 115;

    /** The symbolic name, as strerror's callers print it in logs ("EAGAIN"). */
    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case EINVAL -> "EINVAL";
            case ENONET -> "ENONET";
            case ENOPROTOOPT -> "ENOPROTOOPT";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case EADDRNOTAVAIL -> "EADDRNOTAVAIL";
            case EHOSTDOWN -> "EHOSTDOWN";
            case EDESTADDRREQ -> "EDESTADDRREQ";
            case EMSGSIZE -> "EMSGSIZE";
            case EPROTONOSUPPORT -> "EPROTONOSUPPORT";
            case EADDRINUSE -> "EADDRINUSE";
            case ENETUNREACH -> "ENETUNREACH";
            case ENOBUFS -> "ENOBUFS";
            case ENOTCONN -> "ENOTCONN";
            case ECONNREFUSED -> "ECONNREFUSED";
            case EHOSTUNREACH -> "EHOSTUNREACH";
            case ENOENT -> "ENOENT";
            case EEXIST -> "EEXIST";
            case EPIPE -> "EPIPE";
            case ENOTSOCK -> "ENOTSOCK";
            case ECONNABORTED -> "ECONNABORTED";
            case ECONNRESET -> "ECONNRESET";
            case EISCONN -> "EISCONN";
            case ETIMEDOUT -> "ETIMEDOUT";
            case EALREADY -> "EALREADY";
            case EINPROGRESS -> "EINPROGRESS";
            default -> "errno " + errno;
        };
    }

    /** strerror(): what ping and friends print. */
    public static String message(int errno) {
        return switch (errno) {
            case EPERM -> "Operation not permitted";
            case EAGAIN -> "Resource temporarily unavailable";
            case EMSGSIZE -> "Message too long";
            case EADDRINUSE -> "Address already in use";
            case EADDRNOTAVAIL -> "Cannot assign requested address";
            case EHOSTDOWN -> "Host is down";
            case ENONET -> "Machine is not on the network";
            case ENETUNREACH -> "Network is unreachable";
            case ECONNREFUSED -> "Connection refused";
            case EHOSTUNREACH -> "No route to host";
            case EPIPE -> "Broken pipe";
            case ECONNRESET -> "Connection reset by peer";
            case ETIMEDOUT -> "Connection timed out";
            case EINPROGRESS -> "Operation now in progress";
            default -> name(errno);
        };
    }
}
