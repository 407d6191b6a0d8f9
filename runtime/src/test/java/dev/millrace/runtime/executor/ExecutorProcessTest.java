package dev.millrace.runtime.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.runtime.cluster.ExecutorInfo;
import dev.millrace.runtime.cluster.ExecutorListener;
import dev.millrace.runtime.cluster.ExecutorRegistry;
import dev.millrace.runtime.transport.Transport;
import dev.millrace.runtime.transport.TransportOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("process")
class ExecutorProcessTest {
  @TempDir Path dir;

  @Test
  void aStalledExecutorProcessIsDeclaredLostFencedAndRegistersAgainAndStopsOnSigterm()
      throws Exception {
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    try (Transport transport = new Transport("test", TransportOptions.defaults());
        ExecutorRegistry registry =
            ExecutorRegistry.start(
                transport,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                "clicks",
                1,
                Duration.ofMillis(200),
                Duration.ofSeconds(1),
                Clock.systemUTC())) {
      registry.addListener(
          new ExecutorListener() {
            @Override
            public void executorAdded(ExecutorInfo executor) {
              events.add("added " + executor.sessionId());
            }

            @Override
            public void executorLost(ExecutorInfo executor, String reason) {
              events.add("lost " + executor.sessionId() + ": " + reason);
            }

            @Override
            public void messageFenced(String executorId, long sessionId, String reason) {
              events.add("fenced " + sessionId);
            }
          });
      Path log = dir.resolve("executor.log");
      Process executor =
          TestingExecutorJvm.start(
              log,
              "--driver",
              "127.0.0.1:" + registry.port(),
              "--app",
              "clicks",
              "--id",
              "exec-1",
              "--cores",
              "2",
              "--memory",
              "512Mi");
      try {
        assertEquals("added 1", next(events, 15_000, log));
        ExecutorInfo info = registry.executors().get(0);
        assertEquals(executor.pid(), info.pid());
        assertEquals(512L << 20, info.memoryBytes());

        signal("STOP", executor.pid());
        String lost = next(events, 5_000, log);
        assertTrue(lost.startsWith("lost 1: no heartbeat"), lost);

        signal("CONT", executor.pid());
        assertEquals("fenced 1", next(events, 5_000, log));
        assertEquals("added 2", next(events, 5_000, log));

        executor.destroy();
        assertTrue(executor.waitFor(10, TimeUnit.SECONDS), "the executor stops on SIGTERM");
        assertEquals(0, executor.exitValue(), Files.readString(log));
      } finally {
        executor.destroyForcibly();
      }
    }
  }

  @Test
  void anExecutorThatNoDriverAnswersExitsWithOneAfterTheDriverTimeout() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path log = dir.resolve("orphan.log");
    Process executor =
        TestingExecutorJvm.start(
            log, "--driver", "127.0.0.1:" + port, "--app", "clicks", "--driver-timeout", "1s");
    try {
      assertTrue(executor.waitFor(15, TimeUnit.SECONDS), "the executor gives up");
      assertEquals(1, executor.exitValue(), Files.readString(log));
      assertTrue(Files.readString(log).contains("has answered for"), Files.readString(log));
    } finally {
      executor.destroyForcibly();
    }
  }

  private static String next(BlockingQueue<String> events, long timeoutMillis, Path log)
      throws InterruptedException, IOException {
    String event = events.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    if (event == null) {
      fail(
          "no membership event within "
              + timeoutMillis
              + " ms; executor log:\n"
              + Files.readString(log));
    }
    return event;
  }

  private static void signal(String name, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start();
    assertEquals(0, kill.waitFor(), "kill -" + name + " " + pid);
  }
}
