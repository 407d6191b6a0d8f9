package dev.millrace.crds.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.StreamingAppSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class StreamingAppValidatorTest {

  /** Valid on every target; each test breaks one thing. */
  static StreamingApp validApp() {
    StreamingApp app = new StreamingApp();
    app.setMetadata(new ObjectMeta());
    app.getMetadata().setName("word-count");
    StreamingAppSpec spec = app.getSpec();
    spec.setImage("registry.example.com/word-count:1.4.2");
    spec.getApplication().setMainClass("com.example.WordCount");
    spec.getApplication().setJars(List.of("local:///opt/app/word-count.jar"));
    spec.setBatchInterval("2s");
    spec.getCheckpoint().setDir("hdfs://namenode:8020/checkpoints/word-count");
    return app;
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aSpecWithDefaultsEverywhereIsValidOnEveryTarget(Target target) {
    assertEquals(List.of(), StreamingAppValidator.validate(validApp(), target));
  }

  @Test
  void violationMessageNamesFieldValueAndRule() {
    SpecViolation violation =
        only(app -> app.getSpec().getRestartPolicy().setMaxRestarts(-1), Target.LOCAL);
    assertEquals("spec.restartPolicy.maxRestarts: -1 must be at least 0", violation.message());
  }

  @Test
  void everyViolationIsReportedAtOnceInDocumentOrder() {
    StreamingApp app = validApp();
    app.getMetadata().setName("Word Count");
    app.getSpec().getApplication().setMainClass(null);
    app.getSpec().setBatchInterval("soon");
    app.getSpec().getExecutor().setInstances(-2);
    app.getSpec().getRestartPolicy().setMaxRestarts(-1);
    app.getSpec().setGracefulStopTimeout("0s");

    List<String> fields =
        StreamingAppValidator.validate(app, Target.LOCAL).stream()
            .map(SpecViolation::field)
            .toList();

    assertEquals(
        List.of(
            "metadata.name",
            "spec.application.mainClass",
            "spec.batchInterval",
            "spec.executor.instances",
            "spec.restartPolicy.maxRestarts",
            "spec.gracefulStopTimeout"),
        fields);
  }

  @Test
  void requireValidThrowsWithEveryViolationTheSourceAndWhatToDo() {
    StreamingApp app = validApp();
    app.getSpec().getDriver().setCores(0);
    app.getSpec().getExecutor().setMemory("100Mi");

    InvalidSpecException e =
        assertThrows(
            InvalidSpecException.class,
            () -> StreamingAppValidator.requireValid(app, Target.YARN, "jobs/word-count.yaml"));

    assertEquals("jobs/word-count.yaml", e.source());
    assertEquals(2, e.violations().size());
    assertEquals(
        """
        jobs/word-count.yaml is not a valid StreamingApp:
          spec.driver.cores: 0 must be at least 1
          spec.executor.memory: 100Mi must be at least 256Mi
        Fix the fields above; every field is explained in the CRD,\
         crds/streamingapps.millrace.dev-v1.yml (kubectl explain streamingapp.spec).""",
        e.getMessage());
  }

  @Test
  void requireValidReturnsAValidApp() {
    StreamingApp app = validApp();
    assertSame(app, StreamingAppValidator.requireValid(app, Target.KUBERNETES, "<stdin>"));
  }

  @Test
  void nullsAreMissingFieldsNeverANullPointerException() {
    StreamingApp app = validApp();
    app.setMetadata(null);
    StreamingAppSpec spec = app.getSpec();
    spec.setApplication(null);
    spec.setBatchInterval(null);
    spec.getCheckpoint().setDir(null);
    spec.getCheckpoint().setRetain(null);
    spec.setDriver(null);
    spec.getExecutor().setEnv(null);
    spec.getExecutor().setCores(null);
    spec.getRestartPolicy().setBackoff(null);
    spec.getRestartPolicy().setType(null);
    spec.setHealthCheck(null);
    spec.setUpgradeMode(null);
    spec.setGracefulStopTimeout(null);

    List<SpecViolation> violations = StreamingAppValidator.validate(app, Target.KUBERNETES);

    assertEquals(
        List.of(
            "metadata",
            "spec.application",
            "spec.batchInterval",
            "spec.checkpoint.dir",
            "spec.checkpoint.retain",
            "spec.driver",
            "spec.executor.cores",
            "spec.executor.env",
            "spec.restartPolicy.type",
            "spec.restartPolicy.backoff",
            "spec.healthCheck",
            "spec.upgradeMode",
            "spec.gracefulStopTimeout"),
        violations.stream().map(SpecViolation::field).toList());
    violations.forEach(v -> assertEquals("<missing>", v.value(), v::message));
  }

  @Test
  void aMissingSpecIsOneViolation() {
    StreamingApp app = validApp();
    app.setSpec(null);
    assertEquals(
        List.of(new SpecViolation("spec", "<missing>", "is required")),
        StreamingAppValidator.validate(app, Target.LOCAL));
  }

  @Test
  void nameIsRequired() {
    assertViolation(
        app -> app.getMetadata().setName(null), "metadata.name", "<missing>", "is required");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Word-Count", "word_count", "word.count", "-wc", "wc-", "9-lives", "w c"})
  void nameMustBeADns1035Label(String name) {
    SpecViolation violation = only(app -> app.getMetadata().setName(name), Target.KUBERNETES);
    assertEquals("metadata.name", violation.field());
    assertTrue(violation.value().contains(name.strip()), violation::message);
    assertTrue(violation.rule().startsWith("must be a DNS-1035 label"), violation::message);
  }

  @Test
  void nameOfAtMost45CharactersLeavesRoomForPodNames() {
    String fits = "a".repeat(45);
    assertNoViolation(app -> app.getMetadata().setName(fits), Target.KUBERNETES);
    assertViolation(
        app -> app.getMetadata().setName(fits + "b"),
        "metadata.name",
        fits + "b",
        "is 46 characters long; at most 45 fit");
  }

  @Test
  void mainClassIsRequired() {
    assertViolation(
        app -> app.getSpec().getApplication().setMainClass(" "),
        "spec.application.mainClass",
        "\" \"",
        "is required: the class that implements dev.millrace.streaming.StreamingApplication");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"com..WordCount", "com.example.", "1st.WordCount", "com.example.Word Count"})
  void mainClassMustBeABinaryClassName(String mainClass) {
    assertViolation(
        app -> app.getSpec().getApplication().setMainClass(mainClass),
        "spec.application.mainClass",
        mainClass,
        "must be a Java binary class name, e.g. com.example.WordCount");
  }

  @ParameterizedTest
  @ValueSource(strings = {"com/example/WordCount", "com/example/WordCount.class", "WordCount.java"})
  void mainClassWrittenAsAFileNameGetsTheClassNameSuggested(String mainClass) {
    String expected = mainClass.replaceFirst("\\.(class|java)$", "").replace('/', '.');
    assertViolation(
        app -> app.getSpec().getApplication().setMainClass(mainClass),
        "spec.application.mainClass",
        mainClass,
        "must be a Java class name, not a file name; write " + expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"WordCount", "com.example.Outer$Inner", "ünïcode.Wörter", "_x.$y"})
  void mainClassMayBeAnyBinaryName(String mainClass) {
    assertNoViolation(app -> app.getSpec().getApplication().setMainClass(mainClass), Target.YARN);
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void jarsMayBeLocalFileHdfsAndS3aUris(Target target) {
    assertNoViolation(
        app ->
            app.getSpec()
                .getApplication()
                .setJars(
                    List.of(
                        "local:///opt/app/a.jar",
                        "file:///srv/jars/b.jar",
                        "hdfs:///libs/c.jar",
                        "hdfs://namenode:8020/libs/d.jar",
                        "s3a://jars-bucket/libs/e.jar")),
        target);
  }

  @Test
  void jarsOfOtherSchemesAreRejected() {
    Consumer<StreamingApp> https =
        app -> app.getSpec().getApplication().setJars(List.of("https://repo.example.com/a.jar"));
    assertEquals(
        "spec.application.jars[0]: https://repo.example.com/a.jar must be a URI with scheme"
            + " local, file, hdfs or s3a, not https",
        only(https, Target.YARN).message());
    assertEquals(
        "must be a path, or a URI with scheme local, file, hdfs or s3a, not https",
        only(https, Target.LOCAL).rule());
  }

  @Test
  void plainJarPathsWorkForLocalRunsOnly() {
    Consumer<StreamingApp> plainPath =
        app -> app.getSpec().getApplication().setJars(List.of("local:///a.jar", "target/app.jar"));
    assertNoViolation(plainPath, Target.LOCAL);
    for (Target cluster : List.of(Target.KUBERNETES, Target.YARN)) {
      SpecViolation violation = only(plainPath, cluster);
      assertEquals("spec.application.jars[1]", violation.field());
      assertEquals("target/app.jar", violation.value());
      assertTrue(
          violation.rule().contains("a plain path works for millrace run only"),
          violation::message);
    }
  }

  @Test
  void localJarUriWithAHostGetsThreeSlashesSuggested() {
    assertViolation(
        app -> app.getSpec().getApplication().setJars(List.of("local://opt/app/a.jar")),
        "spec.application.jars[0]",
        "local://opt/app/a.jar",
        "names host 'opt'; a local: URI has three slashes before an absolute path:"
            + " local:///opt/app/a.jar");
  }

  @Test
  void jarUriNeedsAnAbsolutePath() {
    assertViolation(
        app -> app.getSpec().getApplication().setJars(List.of("local:app.jar")),
        "spec.application.jars[0]",
        "local:app.jar",
        "must have an absolute path, e.g. local:///absolute/path");
  }

  @Test
  void s3aJarNeedsABucket() {
    assertViolation(
        app -> app.getSpec().getApplication().setJars(List.of("s3a:///libs/a.jar")),
        "spec.application.jars[0]",
        "s3a:///libs/a.jar",
        "must name a bucket, e.g. s3a://bucket/path");
  }

  @Test
  void batchIntervalIsRequired() {
    assertViolation(
        app -> app.getSpec().setBatchInterval(null),
        "spec.batchInterval",
        "<missing>",
        "is required: how often a batch starts, e.g. 1s");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1 second", "10", "1.5s", "-1s", "1d", "PT1S"})
  void batchIntervalMustBeADuration(String interval) {
    assertViolation(
        app -> app.getSpec().setBatchInterval(interval),
        "spec.batchInterval",
        interval,
        "must be a duration: a whole number and a unit (ms, s, m or h), e.g. 500ms, 10s or 5m");
  }

  @Test
  void batchIntervalIsAtLeast10Milliseconds() {
    assertNoViolation(
        app -> {
          app.getSpec().setBatchInterval("10ms");
          app.getSpec().getHealthCheck().setMaxBatchDelay("20ms");
        },
        Target.LOCAL);
    assertViolation(
        app -> app.getSpec().setBatchInterval("9ms"),
        "spec.batchInterval",
        "9ms",
        "must be at least 10ms");
  }

  @Test
  void aDurationTooLongToCountIsAViolationNotAnException() {
    assertViolation(
        app -> app.getSpec().getRestartPolicy().setWindow("9999999999999999h"),
        "spec.restartPolicy.window",
        "9999999999999999h",
        "is too long a duration");
  }

  @Test
  void checkpointDirIsRequired() {
    assertViolation(
        app -> app.getSpec().getCheckpoint().setDir(null),
        "spec.checkpoint.dir",
        "<missing>",
        "is required: where checkpoints go");
  }

  @ParameterizedTest
  @CsvSource({
    "KUBERNETES, checkpoints/word-count",
    "KUBERNETES, /var/lib/checkpoints",
    "YARN, checkpoints/word-count",
    "YARN, /user/etl/checkpoints"
  })
  void checkpointDirOnAClusterIsAnAbsoluteUriWithAScheme(Target target, String dir) {
    SpecViolation violation = only(app -> app.getSpec().getCheckpoint().setDir(dir), target);
    assertEquals("spec.checkpoint.dir", violation.field());
    assertEquals(dir, violation.value());
    String where = target == Target.YARN ? "YARN" : "Kubernetes";
    assertTrue(
        violation.rule().startsWith("must be an absolute URI with a scheme on " + where),
        violation::message);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "checkpoints",
        "../state/word-count",
        "/var/lib/word-count",
        "file:/var/lib/word-count",
        "file:///var/lib/word-count",
        "C:\\state\\word-count",
        "hdfs://namenode:8020/checkpoints/word-count"
      })
  void checkpointDirForALocalRunMayBeAPathOrAUri(String dir) {
    assertNoViolation(app -> app.getSpec().getCheckpoint().setDir(dir), Target.LOCAL);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "file:///shared/checkpoints/word-count",
        "s3a://state-bucket/word-count",
        "abfs://state@account.dfs.core.windows.net/word-count"
      })
  void checkpointDirOnAClusterMayBeAnyFileSystemUri(String dir) {
    assertNoViolation(app -> app.getSpec().getCheckpoint().setDir(dir), Target.YARN);
    assertNoViolation(app -> app.getSpec().getCheckpoint().setDir(dir), Target.KUBERNETES);
  }

  @Test
  void checkpointDirFileUriWithAHostGetsThreeSlashesSuggested() {
    assertViolation(
        app -> app.getSpec().getCheckpoint().setDir("file://tmp/word-count"),
        "spec.checkpoint.dir",
        "file://tmp/word-count",
        "names host 'tmp'; a file: URI has three slashes before an absolute path:"
            + " file:///tmp/word-count");
  }

  @Test
  void checkpointDirIsNoLocalUri() {
    Consumer<StreamingApp> local =
        app -> app.getSpec().getCheckpoint().setDir("local:///var/lib/word-count");
    assertEquals(
        "spec.checkpoint.dir: local:///var/lib/word-count must be a FileSystem URI such as"
            + " hdfs://namenode:8020/checkpoints/word-count; local: only names files already on"
            + " the machine or in the image",
        only(local, Target.KUBERNETES).message());
    assertEquals(
        "must be a path or a FileSystem URI, e.g. /var/lib/word-count; local: only names files"
            + " already on the machine or in the image",
        only(local, Target.LOCAL).rule());
  }

  @ParameterizedTest
  @CsvSource({"2s, 20s", "2s, 2m", "500ms, 1500ms", "1m, 1h"})
  void checkpointIntervalMayBeAnyMultipleOfTheBatchInterval(String batch, String interval) {
    assertNoViolation(
        app -> {
          app.getSpec().setBatchInterval(batch);
          app.getSpec().getCheckpoint().setInterval(interval);
        },
        Target.LOCAL);
  }

  @ParameterizedTest
  @CsvSource({"3s, 4s", "0s, 2s", "1500ms, 2s", "9s, 10s"})
  void checkpointIntervalMustBeAPositiveMultipleOfTheBatchInterval(
      String interval, String suggested) {
    assertViolation(
        app -> app.getSpec().getCheckpoint().setInterval(interval),
        "spec.checkpoint.interval",
        interval,
        "must be a positive multiple of spec.batchInterval (2s), e.g. " + suggested);
  }

  @Test
  void checkpointIntervalMustBeADuration() {
    assertViolation(
        app -> app.getSpec().getCheckpoint().setInterval("often"),
        "spec.checkpoint.interval",
        "often",
        "must be a duration");
  }

  @Test
  void checkpointRetainsAtLeastOneGeneration() {
    assertViolation(
        app -> app.getSpec().getCheckpoint().setRetain(0),
        "spec.checkpoint.retain",
        "0",
        "must be at least 1");
  }

  @Test
  void driverAndExecutorsHaveAtLeastOneCore() {
    assertViolation(
        app -> app.getSpec().getDriver().setCores(0),
        "spec.driver.cores",
        "0",
        "must be at least 1");
    assertViolation(
        app -> app.getSpec().getExecutor().setCores(-1),
        "spec.executor.cores",
        "-1",
        "must be at least 1");
  }

  @Test
  void executorInstancesMayBeZeroButNotNegative() {
    assertNoViolation(app -> app.getSpec().getExecutor().setInstances(0), Target.KUBERNETES);
    assertViolation(
        app -> app.getSpec().getExecutor().setInstances(-1),
        "spec.executor.instances",
        "-1",
        "must be at least 0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1gb", "lots", "1.5 Gi", "-1Gi", "2GiB"})
  void memoryIsAKubernetesQuantity(String memory) {
    assertViolation(
        app -> app.getSpec().getDriver().setMemory(memory),
        "spec.driver.memory",
        memory,
        "must be a memory size in Kubernetes notation, e.g. 512Mi, 2Gi or 1G");
  }

  @ParameterizedTest
  @ValueSource(strings = {"255Mi", "256M", "268435455", "0.2Gi"})
  void memoryIsAtLeast256Mi(String memory) {
    assertViolation(
        app -> app.getSpec().getExecutor().setMemory(memory),
        "spec.executor.memory",
        memory,
        "must be at least 256Mi");
  }

  @ParameterizedTest
  @ValueSource(strings = {"256Mi", "268435456", "0.25Gi", "1G", "64Gi"})
  void memoryOf256MiOrMoreIsFine(String memory) {
    assertNoViolation(app -> app.getSpec().getExecutor().setMemory(memory), Target.KUBERNETES);
  }

  @Test
  void memoryTooLargeToCountIsAViolationNotAnException() {
    assertViolation(
        app -> app.getSpec().getDriver().setMemory("99999999999Ti"),
        "spec.driver.memory",
        "99999999999Ti",
        "is too large a memory size");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1ST", "MY VAR", "A=B", ""})
  void envNamesAreVariableNames(String name) {
    SpecViolation violation =
        only(app -> app.getSpec().getDriver().setEnv(List.of(env(name, "x"))), Target.LOCAL);
    assertEquals("spec.driver.env[0].name", violation.field());
    assertEquals(
        "must be letters, digits, '_', '-' and '.', not starting with a digit", violation.rule());
  }

  @ParameterizedTest
  @ValueSource(strings = {"JAVA_TOOL_OPTIONS", "_private", "spring.profiles.active", "log-level"})
  void envNamesMayUseWhatKubernetesAllows(String name) {
    assertNoViolation(
        app -> app.getSpec().getExecutor().setEnv(List.of(env(name, "x"))), Target.KUBERNETES);
  }

  @Test
  void envNamesAreUnique() {
    assertViolation(
        app ->
            app.getSpec()
                .getExecutor()
                .setEnv(List.of(env("TZ", "UTC"), env("LANG", "C"), env("TZ", "CET"))),
        "spec.executor.env[2].name",
        "TZ",
        "is already set by spec.executor.env[0]; set each variable once");
  }

  @Test
  void envNameIsRequired() {
    assertViolation(
        app -> app.getSpec().getDriver().setEnv(List.of(env(null, "x"))),
        "spec.driver.env[0].name",
        "<missing>",
        "is required");
  }

  @Test
  void envValueFromWorksOnKubernetesOnly() {
    Consumer<StreamingApp> secret =
        app ->
            app.getSpec()
                .getDriver()
                .setEnv(
                    List.of(
                        new EnvVarBuilder()
                            .withName("DB_PASSWORD")
                            .withNewValueFrom()
                            .withNewSecretKeyRef("password", "db", false)
                            .endValueFrom()
                            .build()));
    assertNoViolation(secret, Target.KUBERNETES);
    for (Target target : List.of(Target.LOCAL, Target.YARN)) {
      SpecViolation violation = only(secret, target);
      assertEquals("spec.driver.env[0].valueFrom", violation.field());
      assertTrue(
          violation.rule().startsWith("is resolved by Kubernetes only; for "), violation::message);
    }
  }

  @Test
  void envValueAndValueFromExcludeEachOtherWithoutShowingTheValue() {
    EnvVar both =
        new EnvVarBuilder()
            .withName("DB_PASSWORD")
            .withValue("hunter2")
            .withNewValueFrom()
            .withNewSecretKeyRef("password", "db", false)
            .endValueFrom()
            .build();
    SpecViolation violation =
        only(app -> app.getSpec().getDriver().setEnv(List.of(both)), Target.KUBERNETES);
    assertEquals(
        "spec.driver.env[0].value: must not be set together with valueFrom; keep one",
        violation.message());
  }

  @Test
  void maxRestartsIsAtLeastZero() {
    assertNoViolation(app -> app.getSpec().getRestartPolicy().setMaxRestarts(0), Target.LOCAL);
    assertViolation(
        app -> app.getSpec().getRestartPolicy().setMaxRestarts(-1),
        "spec.restartPolicy.maxRestarts",
        "-1",
        "must be at least 0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"window", "resetAfter", "backoff.initial", "backoff.max"})
  void restartPolicyDurationsAreLongerThanZero(String field) {
    assertViolation(
        app -> {
          var policy = app.getSpec().getRestartPolicy();
          switch (field) {
            case "window" -> policy.setWindow("0s");
            case "resetAfter" -> policy.setResetAfter("0m");
            case "backoff.initial" -> policy.getBackoff().setInitial("0ms");
            default -> policy.getBackoff().setMax("0h");
          }
        },
        "spec.restartPolicy." + field,
        null,
        "must be longer than 0");
  }

  @Test
  void backoffMaxIsAtLeastTheInitialDelay() {
    assertNoViolation(
        app -> {
          app.getSpec().getRestartPolicy().getBackoff().setInitial("30s");
          app.getSpec().getRestartPolicy().getBackoff().setMax("30s");
        },
        Target.LOCAL);
    assertViolation(
        app -> app.getSpec().getRestartPolicy().getBackoff().setMax("500ms"),
        "spec.restartPolicy.backoff.max",
        "500ms",
        "must be at least spec.restartPolicy.backoff.initial (1s)");
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.99, 0, -2, Double.NaN, Double.POSITIVE_INFINITY})
  void backoffMultiplierIsAFiniteNumberOfAtLeastOne(double multiplier) {
    assertViolation(
        app -> app.getSpec().getRestartPolicy().getBackoff().setMultiplier(multiplier),
        "spec.restartPolicy.backoff.multiplier",
        Double.toString(multiplier),
        "must be a finite number of at least 1.0");
  }

  @Test
  void backoffMultiplierOfOneKeepsTheDelayConstant() {
    assertNoViolation(
        app -> app.getSpec().getRestartPolicy().getBackoff().setMultiplier(1.0), Target.LOCAL);
  }

  @Test
  void maxBatchDelayIsAtLeastTwiceTheBatchInterval() {
    assertNoViolation(
        app -> app.getSpec().getHealthCheck().setMaxBatchDelay("4s"), Target.KUBERNETES);
    assertViolation(
        app -> app.getSpec().getHealthCheck().setMaxBatchDelay("3999ms"),
        "spec.healthCheck.maxBatchDelay",
        "3999ms",
        "must be at least twice spec.batchInterval (4s), or a healthy driver that completes a"
            + " batch every 2s gets restarted");
  }

  @Test
  void maxInputOutageIsLongerThanZero() {
    assertViolation(
        app -> app.getSpec().getHealthCheck().setMaxInputOutage("0s"),
        "spec.healthCheck.maxInputOutage",
        "0s",
        "must be longer than 0");
  }

  @Test
  void fallingBehindIsJudgedOverAtLeastTwoBatches() {
    assertNoViolation(
        app -> app.getSpec().getHealthCheck().setFallingBehindBatches(2), Target.KUBERNETES);
    assertViolation(
        app -> app.getSpec().getHealthCheck().setFallingBehindBatches(1),
        "spec.healthCheck.fallingBehindBatches",
        "1",
        "must be at least 2: a delay grows only from one batch to the next");
  }

  @Test
  void startTimeoutIsLongerThanZero() {
    assertViolation(
        app -> app.getSpec().getHealthCheck().setStartTimeout("0s"),
        "spec.healthCheck.startTimeout",
        "0s",
        "must be longer than 0");
  }

  @Test
  void gracefulStopTimeoutIsLongerThanZero() {
    assertViolation(
        app -> app.getSpec().setGracefulStopTimeout("0ms"),
        "spec.gracefulStopTimeout",
        "0ms",
        "must be longer than 0");
  }

  @Test
  void imageIsRequiredOnKubernetesOnly() {
    Consumer<StreamingApp> noImage = app -> app.getSpec().setImage(null);
    assertNoViolation(noImage, Target.LOCAL);
    assertNoViolation(noImage, Target.YARN);
    SpecViolation violation = only(noImage, Target.KUBERNETES);
    assertEquals(
        "spec.image: <missing> is required on Kubernetes: the container image with the Millrace"
            + " runtime and the application",
        violation.message());
  }

  @ParameterizedTest
  @CsvSource({
    "millrace.checkpoint.dir, /tmp/ckpt, spec.checkpoint.dir",
    "millrace.checkpoint.interval, 10s, spec.checkpoint.interval",
    "millrace.checkpoint.retain, 3, spec.checkpoint.retain",
    "millrace.stop.graceful-timeout, 30s, spec.gracefulStopTimeout"
  })
  void confMustNotSetWhatASpecFieldSets(String key, String value, String specField) {
    SpecViolation violation =
        only(app -> app.getSpec().getApplication().setConf(Map.of(key, value)), Target.LOCAL);
    assertEquals(
        "spec.application.conf[\""
            + key
            + "\"]: "
            + value
            + " must not be set in conf: set "
            + specField
            + " instead",
        violation.message());
  }

  @Test
  void otherConfKeysAreTheRuntimesToCheck() {
    assertNoViolation(
        app ->
            app.getSpec()
                .getApplication()
                .setConf(Map.of("millrace.default.parallelism", "many", "my.own.setting", "x")),
        Target.LOCAL);
  }

  @ParameterizedTest
  @ValueSource(strings = {"java-17", "~/jdk17", "./jdk", "C:\\jdk17"})
  void yarnJavaHomeIsAnAbsolutePath(String javaHome) {
    assertViolation(
        app -> app.getSpec().getYarn().setJavaHome(javaHome),
        "spec.yarn.javaHome",
        javaHome,
        "must be an absolute path, the same on every NodeManager host, of a Java 17 or newer home");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Orders_Logging", "-logging", "logging/x"})
  void aLoggingConfigMapIsNamedAsKubernetesNamesThem(String name) {
    assertViolation(
        app -> app.getSpec().getLogging().setConfigMap(name),
        "spec.logging.configMap",
        name,
        "must be the name of a ConfigMap in the application's namespace");
  }

  @Test
  void aLoggingKeyIsAConfigMapKey() {
    assertViolation(
        app -> {
          app.getSpec().getLogging().setConfigMap("orders-logging");
          app.getSpec().getLogging().setKey("conf/log4j2.xml");
        },
        "spec.logging.key",
        "conf/log4j2.xml",
        "must be a key of the ConfigMap");
  }

  @Test
  void aLoggingConfigMapMayBeNamedOnEveryTargetAndOnlyKubernetesMountsIt() {
    for (Target target : Target.values()) {
      assertNoViolation(
          app -> app.getSpec().getLogging().setConfigMap("orders-logging.v2"), target);
    }
  }

  @Test
  void yarnJavaHomeAndApplicationMasterMemoryMayBeSetAndAreIgnoredElsewhere() {
    for (Target target : Target.values()) {
      assertNoViolation(
          app -> {
            app.getSpec().getYarn().setJavaHome("/usr/lib/jvm/java-17-openjdk-amd64");
            app.getSpec().getYarn().setAmMemory("1Gi");
          },
          target);
    }
  }

  @Test
  void yarnApplicationMasterMemoryIsAMemorySizeOfAtLeast256Mi() {
    assertViolation(
        app -> app.getSpec().getYarn().setAmMemory("128Mi"),
        "spec.yarn.amMemory",
        "128Mi",
        "must be at least 256Mi");
    assertViolation(
        app -> app.getSpec().getYarn().setAmMemory("1 gig"),
        "spec.yarn.amMemory",
        "1 gig",
        "must be a memory size");
  }

  private static EnvVar env(String name, String value) {
    return new EnvVar(name, value, null);
  }

  private static SpecViolation only(Consumer<StreamingApp> change, Target target) {
    StreamingApp app = validApp();
    change.accept(app);
    List<SpecViolation> violations = StreamingAppValidator.validate(app, target);
    assertEquals(1, violations.size(), () -> "expected one violation, got " + violations);
    return violations.get(0);
  }

  /** Exactly one violation on every target; {@code value} null means "whatever was set". */
  private static void assertViolation(
      Consumer<StreamingApp> change, String field, String value, String rulePrefix) {
    for (Target target : Target.values()) {
      SpecViolation violation = only(change, target);
      assertEquals(field, violation.field(), violation::message);
      if (value != null) {
        assertEquals(value, violation.value(), violation::message);
      }
      assertTrue(
          violation.rule().startsWith(rulePrefix),
          () -> target + ": expected a rule starting with '" + rulePrefix + "': " + violation);
    }
  }

  private static void assertNoViolation(Consumer<StreamingApp> change, Target target) {
    StreamingApp app = validApp();
    change.accept(app);
    assertEquals(List.of(), StreamingAppValidator.validate(app, target), target::toString);
  }
}
