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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any process reads a part of an application's own {@link dev.millrace.streaming.Source}'s plan: a
 * context in this JVM sends the map tasks of {@link TestingNumbersApplication}'s shuffle to two
 * real executor processes, which read the parts they are sent through their own instance of the
 * source, and the counts equal a direct count.
 */
@Tag("process")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SourceOnExecutorsProcessTest {
  private static final long TIMEOUT_MS = 60_000;
  private static final long TOTAL = 25_000;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path work;

  @Test
  void executorsReadThePartsOfTheSourcesPlanTheyAreSent() throws Exception {
    Path spec =
        new TestingSpec("numbers", work.resolve("unused-checkpoint").toUri().toString())
            .mainClass(TestingNumbersApplication.class.getName())
            .executors(2)
            .writeTo(work.resolve("numbers.yaml"));
    AtomicReference<DistributedShuffleMapRunner> runner = new AtomicReference<>();
    TestingNumbersApplication.COUNTS.clear();
    TestingNumbersApplication.AVAILABLE.set(0);
    try (Transport transport = new Transport("driver", TransportOptions.defaults());
        ExecutorRegistry registry =
            ExecutorRegistry.start(
                transport,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                "numbers",
                1,
                Duration.ofMillis(200),
                Duration.ofSeconds(2),
                Clock.systemUTC());
        TestingExecutors executors = new TestingExecutors(work, spec, "numbers")) {
      String address = InetAddress.getLoopbackAddress().getHostAddress() + ":" + registry.port();
      executors.start(address, "exec-1");
      executors.start(address, "exec-2");
      awaitExecutors(registry, 2);

      StreamingContext ssc =
          new StreamingContext("local[2]", "numbers", Durations.milliseconds(200));
      new TestingNumbersApplication().define(ssc, new String[0]);
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
        for (long available = 5_000; available <= TOTAL; available += 5_000) {
          TestingNumbersApplication.AVAILABLE.set(available);
          Thread.sleep(300);
        }
        awaitCounted(TOTAL);
      } finally {
        ssc.stop(false);
      }
      Map<Long, Long> expected = new TreeMap<>();
      for (long n = 0; n < TOTAL; n++) {
        expected.merge(n % 10, 1L, Long::sum);
      }
      assertEquals(expected, new TreeMap<>(TestingNumbersApplication.COUNTS));
      long remote = runner.get().tasksCompleted("exec-1") + runner.get().tasksCompleted("exec-2");
      assertTrue(remote > 0, "no map task ran on an executor");
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

  private static void awaitCounted(long total) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    while (TestingNumbersApplication.COUNTS.values().stream().mapToLong(Long::longValue).sum()
        < total) {
      if (System.nanoTime() > deadline) {
        fail("counted " + TestingNumbersApplication.COUNTS + ", not " + total + " numbers");
      }
      Thread.sleep(50);
    }
  }
}
