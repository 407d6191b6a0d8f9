package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.runtime.Contexts;
import dev.millrace.runtime.EngineLaunch;
import dev.millrace.runtime.cluster.DistributedShuffleMapRunner;
import dev.millrace.runtime.cluster.ExecutorRegistry;
import dev.millrace.runtime.state.StateUpdateRunner;
import dev.millrace.runtime.transport.Transport;
import dev.millrace.runtime.transport.TransportOptions;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.StreamingContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executors run map tasks from the plan the generator builds for each batch, whether or not a
 * checkpoint directory logs it: a context in this JVM without a checkpoint directory sends the map
 * tasks of {@link TestingWordCountApplication}'s shuffle to two real executor processes, and the
 * saved counts equal a direct count. ({@link DistributedWordCountProcessTest} runs the same with a
 * checkpoint directory, as every driver of the launch contract has one.)
 */
@Tag("process")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MapTasksWithoutCheckpointProcessTest {
  private static final long TIMEOUT_MS = 60_000;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path work;

  @Test
  void executorsRunTheMapTasksOfAContextWithoutACheckpointDirectory() throws Exception {
    Path in = Files.createDirectories(work.resolve("in"));
    Path out = Files.createDirectories(work.resolve("out"));
    // The executors' spec names a checkpoint directory, as every spec does; this context has none.
    Path spec =
        new TestingSpec("words", work.resolve("unused-checkpoint").toUri().toString())
            .mainClass(TestingWordCountApplication.class.getName())
            .args(in.toString(), out.toString())
            .executors(2)
            .writeTo(work.resolve("words.yaml"));
    TestingWordFiles files = new TestingWordFiles(in);
    AtomicReference<DistributedShuffleMapRunner> runner = new AtomicReference<>();
    try (Transport transport = new Transport("driver", TransportOptions.defaults());
        ExecutorRegistry registry =
            ExecutorRegistry.start(
                transport,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                "words",
                1,
                Duration.ofMillis(200),
                Duration.ofSeconds(2),
                Clock.systemUTC());
        TestingExecutors executors = new TestingExecutors(work, spec, "words")) {
      String address = InetAddress.getLoopbackAddress().getHostAddress() + ":" + registry.port();
      executors.start(address, "exec-1");
      executors.start(address, "exec-2");
      awaitExecutors(registry, 2);

      StreamingContext ssc = new StreamingContext("local[2]", "words", Durations.milliseconds(200));
      new TestingWordCountApplication().define(ssc, new String[] {in.toString(), out.toString()});
      Contexts.launchWith(
          ssc,
          EngineLaunch.inProcess()
              .distributed(
                  graph -> {
                    runner.set(
                        new DistributedShuffleMapRunner(graph, registry, Duration.ofSeconds(60)));
                    return runner.get();
                  },
                  graph -> StateUpdateRunner.LOCAL));
      ssc.start();
      try {
        // The file stream ignores files already there when it starts: let it list the directory.
        Thread.sleep(500);
        for (int i = 0; i < 8; i++) {
          files.write(400);
          Thread.sleep(100);
        }
        awaitCounts(out, files);
        assertEquals(files.counts(), TestingWordCountApplication.savedCounts(out));
      } finally {
        ssc.stop(false);
      }
      long remote = runner.get().tasksCompleted("exec-1") + runner.get().tasksCompleted("exec-2");
      assertTrue(remote > 0, "no map task ran on an executor without a checkpoint directory");
    }
  }

  private static void awaitExecutors(ExecutorRegistry registry, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    while (registry.executorsReady() < count) {
      if (System.nanoTime() > deadline) {
        fail("only " + registry.executorsReady() + " executors registered");
      }
      Thread.sleep(50);
    }
  }

  private static void awaitCounts(Path out, TestingWordFiles files) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    while (TestingWordCountApplication.savedCounts(out).values().stream()
            .mapToLong(Long::longValue)
            .sum()
        < files.words()) {
      if (System.nanoTime() > deadline) {
        fail("saved " + TestingWordCountApplication.savedCounts(out) + ", not " + files.counts());
      }
      Thread.sleep(50);
    }
  }
}
