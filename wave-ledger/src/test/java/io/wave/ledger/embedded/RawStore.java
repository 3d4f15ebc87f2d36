package io.wave.ledger.embedded;

import io.wave.ledger.merkle.Merkle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * A closed ledger's RocksDB store, opened directly, for tests that look beneath the ledger's own code: the
 * Merkle nodes as stored, or the files a test is about to damage.
 */
final class RawStore {
    private RawStore() {}

    /** The root computed from the Merkle nodes as they lie in the store. */
    static byte[] storedRoot(Path ledgerDir, long size) throws RocksDBException {
        String path = db(ledgerDir);
        List<byte[]> names = columnFamilies(path);
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions o = new DBOptions(); RocksDB db = RocksDB.openReadOnly(o, path, descriptors(names), handles)) {
            try {
                ColumnFamilyHandle nodes = handles.get(indexOf(names, "nodes"));
                return Merkle.root((level, index) -> {
                    try {
                        byte[] h = db.get(nodes, Keys.node(level, index));
                        if (h == null) {
                            throw new AssertionError("stored node " + level + "/" + index + " is missing");
                        }
                        return h;
                    } catch (RocksDBException e) {
                        throw new AssertionError(e);
                    }
                }, size);
            } finally {
                handles.forEach(ColumnFamilyHandle::close);
            }
        }
    }

    /** Moves everything from the write-ahead log into table files, so a test has table files to damage. */
    static void flush(Path ledgerDir) throws RocksDBException {
        String path = db(ledgerDir);
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions o = new DBOptions(); RocksDB db = RocksDB.open(o, path, descriptors(columnFamilies(path)), handles);
                FlushOptions f = new FlushOptions().setWaitForFlush(true)) {
            try {
                db.flush(f, handles);
            } finally {
                handles.forEach(ColumnFamilyHandle::close);
            }
        }
    }

    static Path dbDir(Path ledgerDir) {
        return ledgerDir.resolve("db");
    }

    private static String db(Path ledgerDir) {
        return dbDir(ledgerDir).toString();
    }

    private static List<byte[]> columnFamilies(String path) throws RocksDBException {
        try (Options o = new Options()) {
            return RocksDB.listColumnFamilies(o, path);
        }
    }

    private static List<ColumnFamilyDescriptor> descriptors(List<byte[]> names) {
        return names.stream().map(ColumnFamilyDescriptor::new).toList();
    }

    private static int indexOf(List<byte[]> names, String name) {
        for (int i = 0; i < names.size(); i++) {
            if (new String(names.get(i), StandardCharsets.US_ASCII).equals(name)) {
                return i;
            }
        }
        throw new AssertionError("no column family " + name);
    }
}
