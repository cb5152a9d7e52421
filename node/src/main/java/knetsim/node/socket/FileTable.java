package knetsim.node.socket;

import java.util.Arrays;

/**
 * files_struct: a process's open files (sockets, epoll instances) by descriptor, in an array indexed by the fd as
 * the kernel's fdtable is, so the lookup every system call makes is an index, not a tree walk.
 */
final class FileTable {
    private Object[] files = new Object[8];

    // files_lookup_fd_raw(): the file at fd, or null
    Object get(int fd) {
        return fd >= 0 && fd < files.length ? files[fd] : null;
    }

    // get_unused_fd_flags() and fd_install(): the lowest free descriptor from {@code first}
    int install(int first, Object file) {
        int fd = first;
        while (fd < files.length && files[fd] != null) fd++;
        if (fd >= files.length) files = Arrays.copyOf(files, Math.max(files.length * 2, fd + 1));
        files[fd] = file;
        return fd;
    }

    // close_fd(): the file that was at fd, now free, or null
    Object remove(int fd) {
        Object file = get(fd);
        if (file != null) files[fd] = null;
        return file;
    }

    /** One past the highest descriptor that may be open: walk 0..end() with get() to see every file in fd order. */
    int end() {
        return files.length;
    }
}
