package dev.millrace.runtime.source;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.runtime.batch.BatchPlan;
import dev.millrace.runtime.checkpoint.CheckpointStore;
import dev.millrace.runtime.checkpoint.Generation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real driver crash: the JVM holding the source is killed with SIGKILL mid-stream. */
@Tag("process")
class SocketWriteAheadLogCrashTest {
  private static final long ACKNOWLEDGED_BEFORE_KILL = 50_000;
  private static final int CHECKPOINTS_BEFORE_KILL = 4;

  @TempDir Path base;

  @Test
  void sigkilledDriverRecoversEveryAcknowledgedLineExactlyOnceInOrder() throws Exception {
    String checkpoint = base.resolve("checkpoint").toString();
    AtomicLong sent = new AtomicLong();
    AtomicBoolean sending = new AtomicBoolean(true);
    long acknowledged = 0;
    int checkpoints = 0;
    try (TestingLineServer server = new TestingLineServer()) {
      Process driver =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  TestingCrashingDriver.class.getName(),
                  checkpoint,
                  String.valueOf(server.port()))
              .redirectError(base.resolve("driver.log").toFile())
              .start();
      Thread sender =
          new Thread(
              () -> {
                try {
                  while (sending.get()) {
                    StringBuilder chunk = new StringBuilder();
                    for (int i = 0; i < 500; i++) {
                      chunk.append("line-").append(sent.get() + i).append('\n');
                    }
                    server.send(chunk.toString());
                    sent.addAndGet(500);
                    Thread.sleep(1);
                  }
                } catch (IOException | InterruptedException e) {
                  // The killed driver's connection broke: nothing more can be sent.
                }
              });
      sender.start();
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8))) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        int batchesSinceCheckpoint = 0;
        // Killed two batches after a checkpoint, so that recovery replays logged plans too.
        while ((acknowledged < ACKNOWLEDGED_BEFORE_KILL
                || checkpoints < CHECKPOINTS_BEFORE_KILL
                || batchesSinceCheckpoint < 2)
            && (line = out.readLine()) != null) {
          if (line.startsWith("checkpoint ")) {
            checkpoints++;
            batchesSinceCheckpoint = -1;
          } else {
            acknowledged = Long.parseLong(line.substring("acknowledged ".length()));
            batchesSinceCheckpoint++;
          }
          if (System.nanoTime() > deadline) {
            fail("the driver acknowledged only " + acknowledged + " lines in 60 s");
          }
        }
      } finally {
        driver.destroyForcibly();
        assertTrue(driver.waitFor(30, TimeUnit.SECONDS), "the driver did not die");
        sending.set(false);
        sender.join(10_000);
      }
      assertTrue(checkpoints >= CHECKPOINTS_BEFORE_KILL, "the driver died on its own");
    }

    List<String> recovered = new ArrayList<>();
    CheckpointStore store = new CheckpointStore(checkpoint, new Configuration(), 3);
    Generation generation = store.latestValid().orElseThrow();
    List<BatchPlan> pending =
        store.loggedBatches().batches().stream()
            .filter(b -> b.batchTime() > generation.batchTime())
            .toList();
    long next =
        pending.isEmpty()
            ? generation.batchTime() + 100
            : pending.get(pending.size() - 1).batchTime() + 100;
    try (TestingLineServer silent = new TestingLineServer()) {
      SocketTextSource source =
          new SocketTextSource(
              TestingLineServer.LOOPBACK,
              silent.port(),
              2,
              "after-kill",
              ReceiverSettings.defaults(),
              store,
              TestingCrashingDriver.SOURCE_ID);
      try {
        byte[] snapshot = generation.files().get(TestingCrashingDriver.SOURCE_ID);
        source.recover(next, snapshot, pending.stream().map(b -> b.inputPlan(0)).toList());
        for (BatchPlan batch : pending) {
          recovered.addAll(
              SocketWriteAheadLogScenarios.records(
                  source.replay(batch.batchTime(), batch.inputPlan(0))));
        }
        recovered.addAll(SocketWriteAheadLogScenarios.records(source.take(next, false)));
      } finally {
        source.stop();
      }
      long position = WalRange.position(generation.files().get(TestingCrashingDriver.SOURCE_ID));
      for (int i = 0; i < recovered.size(); i++) {
        if (!recovered.get(i).equals("line-" + (position + i))) {
          fail(
              "after the checkpointed position "
                  + position
                  + ", recovered line "
                  + i
                  + " is "
                  + recovered.get(i)
                  + ", not line-"
                  + (position + i));
        }
      }
      long end = position + recovered.size();
      System.out.println(
          "DEBUGSTATS gen="
              + generation.batchTime()
              + " pending="
              + pending.size()
              + " position="
              + position
              + " recovered="
              + recovered.size()
              + " end="
              + end
              + " acked="
              + acknowledged
              + " sent="
              + sent.get());
      assertTrue(
          end >= acknowledged,
          "recovery ends at line " + end + " but the driver had acknowledged " + acknowledged);
      assertTrue(end <= sent.get(), "recovered " + end + " lines of " + sent.get() + " sent");
      assertFalse(
          Files.exists(base.resolve("checkpoint/sources/input-0/00000000000000000000.wal")),
          "the checkpoints committed before the kill did not delete the first segment");
    }
  }
}
