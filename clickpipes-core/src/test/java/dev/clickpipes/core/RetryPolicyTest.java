package dev.clickpipes.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void backoffGrowsExponentiallyWithJitterUpToTheMaximum() {
        RetryPolicy p = RetryPolicy.of(Duration.ofMillis(100), Duration.ofSeconds(2), 0);
        for (int i = 0; i < 200; i++) {
            assertThat(p.backoff(1).toMillis()).isBetween(50L, 100L);
            assertThat(p.backoff(3).toMillis()).isBetween(200L, 400L);
            assertThat(p.backoff(40).toMillis()).isBetween(1000L, 2000L);
        }
        assertThat(p.allowsAnotherAfter(1_000_000)).as("0 attempts means forever").isTrue();
        assertThat(RetryPolicy.of(Duration.ofMillis(1), Duration.ofMillis(1), 3).allowsAnotherAfter(3)).isFalse();
    }

    @Test
    void invalidSettingsNameTheField() {
        assertThatThrownBy(() -> RetryPolicy.of(Duration.ZERO, Duration.ofSeconds(1), 0))
                .hasMessageContaining("RetryPolicy.initialBackoff");
        assertThatThrownBy(() -> RetryPolicy.of(Duration.ofSeconds(2), Duration.ofSeconds(1), 0))
                .hasMessageContaining("RetryPolicy.maxBackoff");
    }
}
