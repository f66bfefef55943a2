package dev.clickpipes.format.parquet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file read by ranges: a local file, or an object in a store read with ranged GETs. This is all
 * the Parquet reader needs: the footer, then each row group's column chunks, each one read.
 * Implementations must allow concurrent calls only if they say so; the reader calls from one thread.
 */
public interface RandomAccessInput extends AutoCloseable {

    /** The file's size in bytes. */
    long length() throws IOException;

    /**
     * Reads exactly {@code length} bytes starting at {@code position} into {@code buffer[offset..]}.
     *
     * @throws java.io.EOFException when the file ends first
     */
    void readFully(long position, byte[] buffer, int offset, int length) throws IOException;

    /** The file's name, for messages. */
    String name();

    /** Releases what the input holds; the default holds nothing. */
    @Override
    default void close() throws IOException {
    }

    /** A local file, read through a {@link FileChannel}; closing the input closes the channel. */
    static RandomAccessInput of(Path path) {
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
            return new RandomAccessInput() {
                @Override
                public long length() throws IOException {
                    return channel.size();
                }

                @Override
                public void readFully(long position, byte[] buffer, int offset, int length) throws IOException {
                    ByteBuffer target = ByteBuffer.wrap(buffer, offset, length);
                    long at = position;
                    while (target.hasRemaining()) {
                        int n = channel.read(target, at);
                        if (n < 0) {
                            throw new java.io.EOFException(path + " ends at " + at + ", before "
                                    + (position + length));
                        }
                        at += n;
                    }
                }

                @Override
                public String name() {
                    return path.toString();
                }

                @Override
                public void close() throws IOException {
                    channel.close();
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + path.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }
}
