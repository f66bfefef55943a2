package dev.clickpipes.source.objectstore.file;

import dev.clickpipes.source.objectstore.LookaheadIterator;
import dev.clickpipes.source.objectstore.ObjectChangedException;
import dev.clickpipes.source.objectstore.ObjectInfo;
import dev.clickpipes.source.objectstore.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local folder as a bucket: keys are paths below the root with {@code /} separators, listed in
 * key order by walking the folder lazily, each subfolder's entries sorted, so that a listing after
 * a key ({@code startAfter}) or under a prefix opens only the subfolders that can hold what it lists.
 *
 * <p>A symbolic link is followed only when it leads to a file inside the root folder: a link out
 * of it (to {@code ~/.aws/credentials}, say) is left out of listings (logged once, naming the link)
 * and refused by reads, so its target can never reach a table or the error table. Links to
 * folders are not followed. An object's version is its size and modification time (ns),
 * checked when it is opened.
 */
public final class LocalObjectStore implements ObjectStore {

    private static final Logger LOG = LoggerFactory.getLogger(LocalObjectStore.class);

    private final Path root;
    private final Set<Path> warnedLinks = ConcurrentHashMap.newKeySet();
    private final AtomicLong directoriesOpened = new AtomicLong();

    /** A store over the folder {@code root}. */
    public LocalObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public Iterator<ObjectInfo> list(String prefix, String startAfter) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("cannot list " + root + ": no such folder");
        }
        return new Walk(root.toRealPath(), prefix, startAfter);
    }

    /** Folders opened by listings so far (for tests: what a listing after a key costs). */
    long directoriesOpened() {
        return directoriesOpened.get();
    }

    /**
     * The version a listing gives and a read checks: size and modification time in ns. Not the
     * file id: a device number can change across reboots and remounts, and every file would look
     * rewritten.
     */
    private static String version(BasicFileAttributes a) {
        return a.size() + "-" + a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    }

    /** An entry of a folder being walked; folders sort as their keys followed by {@code /}. */
    private record Entry(String sortKey, Path path, ObjectInfo file) {
    }

    /** Depth-first over sorted folders: the keys come out in order without reading the whole tree. */
    private final class Walk extends LookaheadIterator<ObjectInfo> {
        private final Path realRoot;
        private final String prefix;
        private final String startAfter;
        private final Deque<Iterator<Entry>> stack = new ArrayDeque<>();

        Walk(Path realRoot, String prefix, String startAfter) throws IOException {
            this.realRoot = realRoot;
            this.prefix = prefix;
            this.startAfter = startAfter;
            stack.push(read(root, ""));
        }

        @Override
        protected ObjectInfo findNext() {
            while (!stack.isEmpty()) {
                Iterator<Entry> top = stack.peek();
                if (!top.hasNext()) {
                    stack.pop();
                    continue;
                }
                Entry e = top.next();
                if (e.file() != null) {
                    return e.file();
                } else {
                    try {
                        stack.push(read(e.path(), e.sortKey()));
                    } catch (NoSuchFileException gone) {
                        // deleted since its parent was read: nothing to list
                    } catch (IOException x) {
                        throw new UncheckedIOException(x);
                    }
                }
            }
            return null;
        }

        /** The entries of {@code dir} (whose keys start with {@code keyPrefix}) that can be listed, sorted. */
        private Iterator<Entry> read(Path dir, String keyPrefix) throws IOException {
            directoriesOpened.incrementAndGet();
            List<Entry> entries = new ArrayList<>();
            try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
                for (Path p : children) {
                    String key = keyPrefix + p.getFileName();
                    if (!mayHold(key)) {
                        continue; // neither it nor anything below it is listed: not even stat'ed
                    }
                    Entry e = entry(p, key);
                    if (e != null) {
                        entries.add(e);
                    }
                }
            } catch (IOException e) {
                if (e instanceof NoSuchFileException) {
                    throw e;
                }
                throw new IOException("cannot list folder " + dir + ": " + e, e);
            }
            entries.sort(Comparator.comparing(Entry::sortKey));
            return entries.iterator();
        }

        /** False when no key equal to {@code key} or starting with it can be listed. */
        private boolean mayHold(String key) {
            if (!key.startsWith(prefix) && !prefix.startsWith(key)) {
                return false;
            }
            // Every key starting with it sorts before startAfter when it does and is not a prefix of it.
            return startAfter == null || key.compareTo(startAfter) >= 0 || startAfter.startsWith(key);
        }

        private Entry entry(Path p, String key) throws IOException {
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isSymbolicLink()) {
                    if (!p.toRealPath().startsWith(realRoot)) {
                        if (warnedLinks.add(p)) {
                            LOG.warn("{}: leaving out {}: a symbolic link that leads out of the folder", describe(), p);
                        }
                        return null;
                    }
                    a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (a.isDirectory()) {
                        return null; // links to folders are not followed (a loop would never end)
                    }
                }
            } catch (NoSuchFileException e) {
                return null; // deleted since the folder was read, or a dangling link
            }
            if (a.isDirectory()) {
                String dirKey = key + "/";
                boolean wanted = dirKey.startsWith(prefix) || prefix.startsWith(dirKey);
                return wanted ? new Entry(dirKey, p, null) : null;
            }
            if (!a.isRegularFile() || !key.startsWith(prefix) || (startAfter != null && key.compareTo(startAfter) <= 0)) {
                return null;
            }
            return new Entry(key, p, new ObjectInfo(key, a.size(), a.lastModifiedTime().toInstant(), version(a)));
        }
    }

    @Override
    public InputStream openRange(ObjectInfo object, long start, long end) throws IOException {
        Path file = resolve(object.key());
        Path real;
        try {
            real = file.toRealPath();
        } catch (NoSuchFileException e) {
            throw new ObjectChangedException(url(object.key()), object.key(), object.version(), null);
        }
        if (!real.startsWith(root.toRealPath())) {
            throw new IOException("refusing to read " + file + ": a symbolic link that leads out of the folder " + root);
        }
        // NOFOLLOW_LINKS: a link put in its place since the check above is not followed either
        FileChannel channel = FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        try {
            String now = version(Files.readAttributes(real, BasicFileAttributes.class));
            if (!object.version().isEmpty() && !now.equals(object.version())) { // "": a version not known, not pinned
                throw new ObjectChangedException(url(object.key()), object.key(), object.version(), now);
            }
            channel.position(start);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new ChangeCheckedStream(Channels.newInputStream(channel), object, url(object.key()), end - start,
                () -> {
                    try {
                        return version(Files.readAttributes(real, BasicFileAttributes.class));
                    } catch (NoSuchFileException gone) {
                        return "deleted";
                    }
                });
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
