package dev.clickpipes.testservices.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The child JVM harness against a real child: signals, exit status, output, passed properties. */
class ChildJvmTest {

    @TempDir
    Path dir;

    /** Prints a system property once, then a line every 20 ms. */
    public static final class Ticker {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("property " + System.getProperty("clickpipes.faults.test") + " arg " + args[0]);
            for (long i = 0; ; i++) {
                System.out.println("tick " + i);
                Thread.sleep(20);
            }
        }
    }

    private static long lines(Path log) throws Exception {
        return Files.readAllLines(log).size();
    }

    private static void awaitLines(Path log, long n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (lines(log) < n) {
            assertThat(System.nanoTime()).as("child output within 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void pauseFreezesTheChildResumeContinuesItAndKillIsSigkill() throws Exception {
        Path log = dir.resolve("ticker.log");
        ChildJvm child = ChildJvm.builder(Ticker.class).arg("a1").systemProperty("clickpipes.faults.test", "p1")
                .log(log).start();
        try {
            awaitLines(log, 5);
            assertThat(Files.readAllLines(log).get(0)).isEqualTo("property p1 arg a1");

            child.pause();
            Thread.sleep(100); // a line being written may still land
            long frozen = lines(log);
            Thread.sleep(400);
            assertThat(lines(log)).as("no output while stopped").isEqualTo(frozen);
            assertThat(child.isAlive()).isTrue();

            child.resume();
            awaitLines(log, frozen + 5);

            child.kill();
            assertThat(child.isAlive()).isFalse();
            assertThat(child.exitValue()).as("128 + SIGKILL (9)").isEqualTo(137);
            assertThat(child.logTail(2)).contains("exit status 137").contains("tick");
        } finally {
            child.kill();
        }
    }

    @Test
    void terminateIsSigtermAndAStoppedChildIsKilledToo() throws Exception {
        ChildJvm child = ChildJvm.builder(Ticker.class).arg("a").log(dir.resolve("t.log")).start();
        awaitLines(child.log(), 2);
        assertThat(child.terminate(Duration.ofSeconds(20))).isTrue();
        assertThat(child.exitValue()).as("128 + SIGTERM (15)").isEqualTo(143);

        ChildJvm stopped = ChildJvm.builder(Ticker.class).arg("b").log(dir.resolve("s.log")).start();
        awaitLines(stopped.log(), 2);
        stopped.pause();
        stopped.kill(); // SIGKILL works on a stopped process
        assertThat(stopped.exitValue()).isEqualTo(137);
    }
}
