package org.omx.io.text;

import org.omx.io.store.StoreMeta;
import org.omx.io.store.StoreWriter;

import java.io.Closeable;
import java.io.IOException;

/** Where parsed lines go, in file order: straight into a store, or through a transposition. */
interface RowSink extends Closeable {

    void accept(String id, float[] values, int offset) throws IOException;

    /** Finishes and publishes the store. */
    StoreMeta commit() throws IOException;

    /** Lines are features: each one is a store row. */
    static RowSink direct(StoreWriter writer) {
        return new RowSink() {
            @Override
            public void accept(String id, float[] values, int offset) throws IOException {
                writer.appendRow(id, values, offset);
            }

            @Override
            public StoreMeta commit() throws IOException {
                return writer.commit();
            }

            @Override
            public void close() throws IOException {
                writer.close();
            }
        };
    }
}
