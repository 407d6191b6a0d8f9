package dev.millrace.operator;

import static dev.millrace.operator.TestingApps.NAMESPACE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.crds.InputStatus;
import dev.millrace.crds.Phase;
import dev.millrace.crds.StreamingApp;
import dev.millrace.crds.StreamingAppStatus;
import dev.millrace.crds.validation.StreamingAppFiles;
import dev.millrace.examples.FileWordCount;
import dev.millrace.examples.FileWordCountOutput;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real operator, the real driver and a real executor, end to end: the operator runs on the mock
 * API server and {@link TestingKubelet} runs its pods as local JVMs, which count the words of the
 * files this test writes ({@link FileWordCount}).
 */
@Tag("process")
class ProcessKubeletEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String APP = "words";
  private static final String USERS_LOG_PREFIX = "users-own-configuration ";
  private static final List<String> SENTENCES =
      List.of(
          "the quick brown fox jumps over the lazy dog",
          "a stream is cut into batches",
          "every batch is counted exactly once",
          "the driver restarts from its checkpoint");

  @TempDir Path work;
  private final Map<String, Integer> written = new TreeMap<>();
  private int files;

  @Test
  void aWordCountStaysExactThroughASigkilledDriverAndASigkilledExecutor() throws IOException {
    Path input = Files.createDirectories(work.resolve("input"));
    Path output = Files.createDirectories(work.resolve("output"));
    try (TestingCluster cluster = new TestingCluster();
        TestingKubelet kubelet = new TestingKubelet(cluster.client(), work.resolve("pods"))) {
      cluster.replica(kubelet.driverStatus()).operator().start();
      cluster.client().resource(loggingConfigMap()).create();
      cluster.client().resource(app(input, output)).create();

      // The file stream ignores files older than its start, as Spark's does.
      await(
          kubelet, "phase Running from the driver's status", () -> phase(cluster) == Phase.Running);
      writeFiles(input, 3);
      await(kubelet, "the counts of the first files", () -> exact(output));

      kubelet.process(NAMESPACE, APP + "-driver-1").orElseThrow().destroyForcibly();
      writeFiles(input, 3);
      await(
          kubelet,
          "driver attempt 2",
          () -> kubelet.process(NAMESPACE, APP + "-driver-2").isPresent());
      await(kubelet, "exact counts and totals after the driver restart", () -> exact(output));
      String driver2 = Files.readString(kubelet.log(NAMESPACE, APP + "-driver-2"));
      assertTrue(
          driver2.contains("'" + APP + "' recovered from checkpoint generation"),
          TestingKubelet.tail(kubelet.log(NAMESPACE, APP + "-driver-2")));
      // The app's uid names the supervisor: attempt 2 took the checkpoint's lease at once.
      String uid =
          cluster
              .client()
              .resources(StreamingApp.class)
              .inNamespace(NAMESPACE)
              .withName(APP)
              .get()
              .getMetadata()
              .getUid();
      assertNotNull(uid, "the API server gave the app no uid");
      assertTrue(
          driver2.contains("attempt 2 of supervisor " + uid + " replaces attempt 1"),
          TestingKubelet.tail(kubelet.log(NAMESPACE, APP + "-driver-2")));
      StreamingAppStatus status = status(cluster);
      assertEquals(2, status.getDriver().getAttempt());
      assertEquals(137, status.getDriver().getLastExit().getCode());
      assertEquals(1, status.getRestarts().getTotal());
      await(
          kubelet,
          "the file input with what attempt 2 took, in the status",
          () ->
              status(cluster).getInputs().size() == 1
                  && status(cluster).getInputs().get(0).getBytesReceived() > 0);
      InputStatus fileInput = status(cluster).getInputs().get(0);
      assertEquals("textFileStream#0", fileInput.getName());
      assertEquals(input.toString(), fileInput.getSource());
      assertEquals(Boolean.TRUE, fileInput.getHealthy());
      assertEquals(null, fileInput.getConnected(), "a file input has no connection");

      Process executor = kubelet.process(NAMESPACE, APP + "-exec-1").orElseThrow();
      executor.destroyForcibly();
      await(
          kubelet,
          "executor exec-1 replaced",
          () ->
              kubelet
                  .process(NAMESPACE, APP + "-exec-1")
                  .filter(p -> p.pid() != executor.pid())
                  .isPresent());
      writeFiles(input, 2);
      await(
          kubelet, "exact counts and totals after the executor's replacement", () -> exact(output));
      assertEquals(2, status(cluster).getDriver().getAttempt(), "the driver stayed");
      assertNotEquals(
          executor.pid(), kubelet.process(NAMESPACE, APP + "-exec-1").orElseThrow().pid());
      for (String pod : List.of("driver-2", "exec-1")) {
        // The replacement exec-1 may not have logged yet: the driver runs a lost executor's tasks
        // itself, so the counts can be exact before the new process has started.
        await(
            kubelet,
            pod + " logging through the user's configuration of spec.logging",
            () -> usersLogLine(kubelet, pod));
        String log = Files.readString(kubelet.log(NAMESPACE, APP + "-" + pod));
        assertTrue(
            log.lines().anyMatch(l -> l.startsWith(USERS_LOG_PREFIX + "INFO dev.millrace.")),
            pod + " logs through the user's configuration of spec.logging: " + log);
      }
    }
  }

  /**
   * A Log4j configuration of the user's, which spec.logging names, with a line prefix of its own.
   */
  private static ConfigMap loggingConfigMap() {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(APP + "-logging")
        .withNamespace(NAMESPACE)
        .endMetadata()
        .withData(
            Map.of(
                "log4j2.xml",
                """
                <Configuration status="warn" shutdownHook="disable">
                  <Appenders>
                    <Console name="c" target="SYSTEM_ERR">
                      <PatternLayout pattern="%s%%level %%c - %%m%%n"/>
                    </Console>
                  </Appenders>
                  <Loggers>
                    <Root level="warn"><AppenderRef ref="c"/></Root>
                    <Logger name="dev.millrace" level="info"/>
                  </Loggers>
                </Configuration>
                """
                    .formatted(USERS_LOG_PREFIX)))
        .build();
  }

  private StreamingApp app(Path input, Path output) {
    return StreamingAppFiles.parse(
        """
        apiVersion: millrace.dev/v1alpha1
        kind: StreamingApp
        metadata:
          name: %s
          namespace: %s
        spec:
          image: example.com/millrace-runtime:test
          application:
            mainClass: %s
            args: [%s, %s]
          batchInterval: 500ms
          checkpoint: {dir: "%s", interval: 1s}
          driver: {cores: 1, memory: 512Mi}
          executor: {instances: 1, cores: 1, memory: 512Mi}
          restartPolicy:
            type: Always
            maxRestarts: 3
            window: 10m
            backoff: {initial: 200ms, max: 1s, multiplier: 2.0}
          gracefulStopTimeout: 2s
          logging: {configMap: %s-logging}
        """
            .formatted(
                APP,
                NAMESPACE,
                FileWordCount.class.getName(),
                input,
                output,
                work.resolve("checkpoint").toUri(),
                APP),
        APP + ".yaml");
  }

  /** Every word written so far is in the saved per-batch counts and the newest totals, once. */
  private boolean exact(Path output) {
    return FileWordCountOutput.savedCounts(output).equals(written)
        && FileWordCountOutput.newestTotals(output).equals(written);
  }

  private void writeFiles(Path input, int n) throws IOException {
    for (int i = 0; i < n; i++) {
      StringBuilder text = new StringBuilder();
      for (int line = 0; line <= files % SENTENCES.size(); line++) {
        String sentence = SENTENCES.get((files + line) % SENTENCES.size());
        text.append(sentence).append('\n');
        for (String word : sentence.split(" ")) {
          written.merge(word, 1, Integer::sum);
        }
      }
      String name = "input-" + files++ + ".txt";
      Path hidden = input.resolve("." + name + ".tmp");
      Files.writeString(hidden, text, StandardCharsets.UTF_8);
      Files.move(hidden, input.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static StreamingAppStatus status(TestingCluster cluster) {
    StreamingApp app =
        cluster.client().resources(StreamingApp.class).inNamespace(NAMESPACE).withName(APP).get();
    return app.getStatus();
  }

  private static Phase phase(TestingCluster cluster) {
    return Optional.ofNullable(status(cluster)).map(StreamingAppStatus::getPhase).orElse(null);
  }

  /** Whether {@code pod}'s log has a line of Millrace's written by the user's Log4j file. */
  private static boolean usersLogLine(TestingKubelet kubelet, String pod) {
    try {
      return Files.readString(kubelet.log(NAMESPACE, APP + "-" + pod))
          .lines()
          .anyMatch(l -> l.startsWith(USERS_LOG_PREFIX + "INFO dev.millrace."));
    } catch (IOException e) {
      return false; // not there yet
    }
  }

  /** Waits for {@code condition}; a timeout shows the newest driver's and executor's logs. */
  private static void await(TestingKubelet kubelet, String what, Supplier<Boolean> condition) {
    try {
      TestingCluster.await(what, WAIT, condition);
    } catch (AssertionError e) {
      StringBuilder logs = new StringBuilder(e.getMessage());
      for (String pod : List.of("driver-1", "driver-2", "exec-1")) {
        logs.append("\n--- ")
            .append(pod)
            .append(":\n")
            .append(TestingKubelet.tail(kubelet.log(NAMESPACE, APP + "-" + pod)));
      }
      throw new AssertionError(logs.toString(), e);
    }
  }
}
