package dev.clickpipes.source.objectstore.file;

import dev.clickpipes.source.objectstore.InputStreams;
import dev.clickpipes.source.objectstore.ObjectChangedException;
import dev.clickpipes.source.objectstore.ObjectInfo;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A local file's bytes up to the end of the range asked for, checking that the file still has the
 * version it was listed with every {@value #CHECK_EVERY} bytes and at the end: a file written over
 * in place while it is read fails the read with {@link ObjectChangedException} within that many
 * bytes, as an S3 object's would (there {@code If-Match} pins the version), instead of mixing the
 * two versions' bytes unseen. (A file replaced by a rename is read to its end as it was; the check
 * at the end still reports the new version.)
 */
final class ChangeCheckedStream extends FilterInputStream {

    /** Bytes between two checks: a check is a stat of the file, about a microsecond. */
    static final int CHECK_EVERY = 1 << 20;

    /** What tells the file's version now. */
    @FunctionalInterface
    interface VersionNow {
        String get() throws IOException;
    }

    private final ObjectInfo object;
    private final String url;
    private final VersionNow now;
    private long left;
    private long sinceCheck;

    ChangeCheckedStream(InputStream in, ObjectInfo object, String url, long length, VersionNow now) {
        super(in);
        this.object = object;
        this.url = url;
        this.left = length;
        this.now = now;
    }

    @Override
    public int read() throws IOException {
        return InputStreams.readOneByte(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n < 0) {
            check(); // shorter than listed: truncated since
            return -1;
        }
        left -= n;
        sinceCheck += n;
        if (sinceCheck >= CHECK_EVERY || left == 0) {
            check();
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(8192, Math.max(1, n))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    private void check() throws IOException {
        sinceCheck = 0;
        String version = now.get();
        if (!object.version().isEmpty() && !version.equals(object.version())) {
            throw new ObjectChangedException(url, object.key(), object.version(), version);
        }
    }
}
