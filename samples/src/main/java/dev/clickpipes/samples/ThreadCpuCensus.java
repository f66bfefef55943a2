package dev.clickpipes.samples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where a process's CPU went between two moments, by thread name, read from Linux's {@code /proc/self/task}: the
 * JVM's threads (GC, JIT compilers, the pipe's) and the embedded engine's native ones (its merges, its insert
 * pipeline) alike, which no Java API sees. Names are grouped with their digits dropped ({@code GC Thread#0} and
 * {@code GC Thread#1} are {@code GC Thread#}). A thread that ends between the two moments is not counted.
 */
final class ThreadCpuCensus {

    /** Clock ticks per second of {@code /proc}'s utime and stime ({@code USER_HZ}, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100;

    /** Each thread id's grouped name; declared before {@link #start}, whose snapshot fills it. */
    private final Map<String, String> names = new TreeMap<>();

    private final Map<String, Long> start = snapshot();

    /** CPU seconds per thread-name group since this census was made, the largest first, down to {@code minSeconds}. */
    String report(double minSeconds) {
        Map<String, Double> byName = new HashMap<>();
        snapshot().forEach((tid, now) -> {
            long ticks = now - start.getOrDefault(tid, 0L);
            if (ticks > 0) {
                byName.merge(names.get(tid), ticks / TICKS_PER_SECOND, Double::sum);
            }
        });
        StringBuilder out = new StringBuilder();
        byName.entrySet().stream().filter(e -> e.getValue() >= minSeconds)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> out.append(String.format("%s %.2f, ", e.getKey(), e.getValue())));
        return out.length() == 0 ? "(none)" : out.substring(0, out.length() - 2);
    }

    /** Ticks (user + system) per thread id, and each thread's grouped name into {@link #names}. */
    private Map<String, Long> snapshot() {
        Map<String, Long> ticks = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    // the name is in parentheses and may hold spaces; the fields after it are space-separated
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // fields[0] is field 3 (state): utime is field 14, stime field 15
                    long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    String tid = task.getFileName().toString();
                    ticks.put(tid, used);
                    names.put(tid, name.replaceAll("[0-9]+", ""));
                } catch (IOException | RuntimeException ended) {
                    // the thread ended while the directory was listed
                }
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return ticks;
    }
}
