package dev.millrace.crds.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.crds.RestartPolicyType;
import dev.millrace.crds.StreamingAppSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SupervisorPolicyTest {
  @Test
  void fromReadsEveryFieldOfTheSpec() {
    StreamingAppSpec spec = new StreamingAppSpec();
    spec.getRestartPolicy().setType(RestartPolicyType.OnFailure);
    spec.getRestartPolicy().setMaxRestarts(3);
    spec.getRestartPolicy().setWindow("1h");
    spec.getRestartPolicy().getBackoff().setInitial("500ms");
    spec.getRestartPolicy().getBackoff().setMax("30s");
    spec.getRestartPolicy().getBackoff().setMultiplier(1.5);
    spec.getRestartPolicy().setResetAfter("20m");
    spec.getHealthCheck().setMaxBatchDelay("90s");
    spec.getHealthCheck().setStartTimeout("3m");
    spec.setGracefulStopTimeout("45s");
    spec.getExecutor().setInstances(4);

    assertEquals(
        new SupervisorPolicy(
            RestartPolicyType.OnFailure,
            3,
            Duration.ofHours(1),
            Duration.ofMillis(500),
            Duration.ofSeconds(30),
            1.5,
            Duration.ofMinutes(20),
            Duration.ofSeconds(90),
            Duration.ofMinutes(3),
            Duration.ofSeconds(45),
            4),
        SupervisorPolicy.from(spec));
  }

  @Test
  void fromTakesTheModelDefaultsForWhatIsLeftOut() {
    SupervisorPolicy defaults =
        new SupervisorPolicy(
            RestartPolicyType.Always,
            5,
            Duration.ofMinutes(10),
            Duration.ofSeconds(1),
            Duration.ofMinutes(5),
            2.0,
            Duration.ofMinutes(10),
            Duration.ofMinutes(5),
            Duration.ofMinutes(5),
            Duration.ofSeconds(60),
            0);
    assertEquals(defaults, SupervisorPolicy.from(new StreamingAppSpec()));

    StreamingAppSpec sparse = new StreamingAppSpec();
    sparse.setRestartPolicy(null);
    sparse.setHealthCheck(null);
    sparse.setExecutor(null);
    sparse.setGracefulStopTimeout(null);
    assertEquals(defaults, SupervisorPolicy.from(sparse));
  }

  @Test
  void backoffGrowsGeometricallyAndIsCapped() {
    SupervisorPolicy policy =
        TestingPolicy.policy().backoff(Duration.ofMillis(500), Duration.ofSeconds(5), 3.0).build();

    assertEquals(Duration.ofMillis(500), policy.backoffDelay(1));
    assertEquals(Duration.ofMillis(1500), policy.backoffDelay(2));
    assertEquals(Duration.ofMillis(4500), policy.backoffDelay(3));
    assertEquals(Duration.ofSeconds(5), policy.backoffDelay(4));
    assertEquals(Duration.ofSeconds(5), policy.backoffDelay(Integer.MAX_VALUE));
  }

  @Test
  void backoffWithMultiplierOneIsConstantAndAnInitialAboveTheMaxIsCapped() {
    assertEquals(
        Duration.ofSeconds(2),
        TestingPolicy.policy()
            .backoff(Duration.ofSeconds(2), Duration.ofMinutes(1), 1.0)
            .build()
            .backoffDelay(50));
    assertEquals(
        Duration.ofSeconds(1),
        TestingPolicy.policy()
            .backoff(Duration.ofSeconds(9), Duration.ofSeconds(1), 2.0)
            .build()
            .backoffDelay(1));
  }

  @Test
  void impossibleValuesAreRejectedNamingTheField() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> TestingPolicy.policy().maxRestarts(-1).build());
    assertTrue(e.getMessage().contains("restartPolicy.maxRestarts"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TestingPolicy.policy()
                    .backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5)
                    .build());
    assertTrue(e.getMessage().contains("restartPolicy.backoff.multiplier"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TestingPolicy.policy().gracefulStopTimeout(Duration.ofSeconds(-1)).build());
    assertTrue(e.getMessage().contains("gracefulStopTimeout"), e.getMessage());
  }

  @Test
  void durationsAreWrittenTheWayASpecWritesThem() {
    assertEquals("10m", Supervisor.text(Duration.ofMinutes(10)));
    assertEquals("2h", Supervisor.text(Duration.ofHours(2)));
    assertEquals("90s", Supervisor.text(Duration.ofSeconds(90)));
    assertEquals("1500ms", Supervisor.text(Duration.ofMillis(1500)));
    assertEquals("0s", Supervisor.text(Duration.ZERO));
  }
}
