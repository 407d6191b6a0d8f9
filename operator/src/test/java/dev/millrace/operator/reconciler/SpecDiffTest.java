package dev.millrace.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.millrace.crds.StreamingAppSpec;
import dev.millrace.crds.UpgradeMode;
import dev.millrace.crds.supervision.SpecChange;
import dev.millrace.operator.TestingApps;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SpecDiffTest {
  @Test
  void anUnchangedSpecIsNoChange() {
    assertEquals(Optional.empty(), classify(s -> {}));
  }

  @Test
  void suspendAndRestartNonceAreRequestsNotSpecChanges() {
    assertEquals(
        Optional.empty(),
        classify(
            s -> {
              s.setSuspend(true);
              s.setRestartNonce("7");
            }));
  }

  @Test
  void whatOnlyYarnUsesChangesNothingOnKubernetes() {
    Consumer<StreamingAppSpec> yarnOnly =
        s -> {
          s.getYarn().setJavaHome("/opt/jdk-17");
          s.getYarn().setAmMemory("2Gi");
        };
    assertEquals(Optional.empty(), classify(yarnOnly));
    assertEquals(restartHash(s -> {}), restartHash(yarnOnly));
  }

  @Test
  void onlyExecutorInstancesScalesInPlace() {
    assertEquals(
        Optional.of(SpecChange.SCALE_EXECUTORS), classify(s -> s.getExecutor().setInstances(5)));
  }

  @Test
  void restartPolicyOrHealthCheckChangesOnlyThePolicy() {
    assertEquals(
        Optional.of(SpecChange.POLICY_ONLY),
        classify(
            s -> {
              s.getRestartPolicy().setMaxRestarts(9);
              s.getHealthCheck().setMaxBatchDelay("10m");
            }));
  }

  @Test
  void anApplicationChangeRestartsFromTheCheckpoint() {
    assertEquals(
        Optional.of(SpecChange.RESTART), classify(s -> s.getApplication().getArgs().add("--fast")));
  }

  @Test
  void aResourceChangeRestarts() {
    assertEquals(Optional.of(SpecChange.RESTART), classify(s -> s.getDriver().setMemory("2Gi")));
  }

  @Test
  void anApplicationChangeUnderStatelessRestartsFresh() {
    assertEquals(
        Optional.of(SpecChange.RESTART_FRESH),
        classify(
            s -> {
              s.setUpgradeMode(UpgradeMode.STATELESS);
              s.setImage("example.com/word-count:2");
            }));
  }

  @Test
  void anApplicationChangeWithScalingRestarts() {
    assertEquals(
        Optional.of(SpecChange.RESTART),
        classify(
            s -> {
              s.getExecutor().setInstances(4);
              s.setImage("example.com/word-count:2");
            }));
  }

  @Test
  void theRestartHashChangesExactlyWithWhatRestartsTheApplication() {
    String base = restartHash(s -> {});
    assertEquals(base, restartHash(s -> s.getExecutor().setInstances(7)));
    assertEquals(base, restartHash(s -> s.setSuspend(true)));
    assertEquals(base, restartHash(s -> s.getRestartPolicy().setMaxRestarts(9)));
    assertNotEquals(base, restartHash(s -> s.getExecutor().setMemory("3Gi")));
    assertNotEquals(base, restartHash(s -> s.setImage("example.com/other:1")));
    // Map order is not content.
    Map<String, String> ab = new LinkedHashMap<>(Map.of("a", "1"));
    ab.put("b", "2");
    Map<String, String> ba = new LinkedHashMap<>(Map.of("b", "2"));
    ba.put("a", "1");
    assertEquals(
        restartHash(s -> s.getApplication().setConf(ab)),
        restartHash(s -> s.getApplication().setConf(ba)));
  }

  private static String restartHash(Consumer<StreamingAppSpec> change) {
    StreamingAppSpec spec = TestingApps.app("diff", 2).getSpec();
    change.accept(spec);
    return SpecDiff.restartHash(spec);
  }

  private static Optional<SpecChange> classify(Consumer<StreamingAppSpec> change) {
    StreamingAppSpec last = TestingApps.app("diff", 2).getSpec();
    StreamingAppSpec next = TestingApps.app("diff", 2).getSpec();
    change.accept(next);
    return SpecDiff.classify(last, next);
  }
}
