package dev.clickpipes.source.objectstore.file;

import dev.clickpipes.source.objectstore.ObjectInfo;
import dev.clickpipes.source.objectstore.ObjectStore;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A local folder as a bucket: keys are paths below the root with {@code /} separators, listed in
 * key order (the folder walked below the prefix's directory).
 */
public final class LocalObjectStore implements ObjectStore {

    private final Path root;

    /** A store over the folder {@code root}. */
    public LocalObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public Iterator<ObjectInfo> list(String prefix, String startAfter) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("cannot list " + root + ": no such folder");
        }
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        List<ObjectInfo> found = new ArrayList<>();
        if (Files.isDirectory(start)) {
            try (Stream<Path> walk = Files.walk(start)) {
                walk.forEach(p -> {
                    String key = root.relativize(p).toString().replace('\\', '/');
                    if (!key.startsWith(prefix) || (startAfter != null && key.compareTo(startAfter) <= 0)) {
                        return;
                    }
                    try {
                        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                        if (a.isRegularFile()) {
                            found.add(new ObjectInfo(key, a.size(), a.lastModifiedTime().toInstant()));
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        found.sort((a, b) -> a.key().compareTo(b.key()));
        return found.iterator();
    }

    @Override
    public InputStream open(String key, long offset) throws IOException {
        FileChannel channel = FileChannel.open(resolve(key), StandardOpenOption.READ);
        channel.position(offset);
        return Channels.newInputStream(channel);
    }

    @Override
    public void read(String key, long position, byte[] buffer, int offset, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(resolve(key), StandardOpenOption.READ)) {
            ByteBuffer target = ByteBuffer.wrap(buffer, offset, length);
            long at = position;
            while (target.hasRemaining()) {
                int n = channel.read(target, at);
                if (n < 0) {
                    throw new EOFException(url(key) + " ends at " + at + ", before " + (position + length));
                }
                at += n;
            }
        }
    }

    private Path resolve(String key) throws IOException {
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root)) {
            throw new IOException("key " + key + " leaves the folder " + root);
        }
        return p;
    }

    @Override
    public String url(String key) {
        return root.resolve(key).toUri().toString();
    }

    @Override
    public String describe() {
        return "folder " + root;
    }

    @Override
    public void close() {
    }
}
