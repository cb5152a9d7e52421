package knetsim.node.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** files_struct: the lowest free descriptor from 3, reused after close, past the array's first size. */
class FileTableTest {

    @Test
    void descriptorsAreTheLowestFreeAndReusedAfterClose() {
        FileTable table = new FileTable();
        Object[] files = new Object[20];
        for (int i = 0; i < files.length; i++) {
            files[i] = "file " + i;
            assertEquals(3 + i, table.install(3, files[i]), "fds are handed out in order, the table grows");
        }
        for (int i = 0; i < files.length; i++) assertSame(files[i], table.get(3 + i));
        assertSame(files[4], table.remove(7));
        assertSame(files[1], table.remove(4));
        assertNull(table.remove(4), "closing twice: nothing there");
        assertEquals(4, table.install(3, "again"), "the lowest free fd first");
        assertEquals(7, table.install(3, "and again"));
        assertEquals(23, table.install(3, "new"));
        assertNull(table.get(-1));
        assertNull(table.get(0), "stdin is no socket here");
        assertNull(table.get(1_000_000));
        assertTrue(table.end() > 23);
    }
}
