package dev.millrace.crds.supervision;

import dev.millrace.crds.RestartPolicyType;
import java.time.Duration;

/** Builds {@link SupervisorPolicy}s for tests: short, readable defaults, one field changed. */
final class TestingPolicy {
  private RestartPolicyType type = RestartPolicyType.Always;
  private int maxRestarts = 5;
  private Duration window = Duration.ofMinutes(10);
  private Duration backoffInitial = Duration.ofSeconds(1);
  private Duration backoffMax = Duration.ofMinutes(5);
  private double backoffMultiplier = 2.0;
  private Duration resetAfter = Duration.ofMinutes(10);
  private Duration maxBatchDelay = Duration.ofMinutes(1);
  private Duration startTimeout = Duration.ofMinutes(2);
  private Duration gracefulStopTimeout = Duration.ofSeconds(30);
  private int executorInstances = 2;

  static TestingPolicy policy() {
    return new TestingPolicy();
  }

  TestingPolicy type(RestartPolicyType type) {
    this.type = type;
    return this;
  }

  TestingPolicy maxRestarts(int maxRestarts) {
    this.maxRestarts = maxRestarts;
    return this;
  }

  TestingPolicy window(Duration window) {
    this.window = window;
    return this;
  }

  TestingPolicy backoff(Duration initial, Duration max, double multiplier) {
    this.backoffInitial = initial;
    this.backoffMax = max;
    this.backoffMultiplier = multiplier;
    return this;
  }

  TestingPolicy resetAfter(Duration resetAfter) {
    this.resetAfter = resetAfter;
    return this;
  }

  TestingPolicy maxBatchDelay(Duration maxBatchDelay) {
    this.maxBatchDelay = maxBatchDelay;
    return this;
  }

  TestingPolicy startTimeout(Duration startTimeout) {
    this.startTimeout = startTimeout;
    return this;
  }

  TestingPolicy gracefulStopTimeout(Duration gracefulStopTimeout) {
    this.gracefulStopTimeout = gracefulStopTimeout;
    return this;
  }

  TestingPolicy executors(int executorInstances) {
    this.executorInstances = executorInstances;
    return this;
  }

  SupervisorPolicy build() {
    return new SupervisorPolicy(
        type,
        maxRestarts,
        window,
        backoffInitial,
        backoffMax,
        backoffMultiplier,
        resetAfter,
        maxBatchDelay,
        startTimeout,
        gracefulStopTimeout,
        executorInstances);
  }
}
