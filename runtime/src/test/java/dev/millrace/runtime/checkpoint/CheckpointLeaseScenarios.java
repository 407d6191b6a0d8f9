package dev.millrace.runtime.checkpoint;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.batch.BatchPlan;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A checkpoint directory's lease on a real file system: who may take it, the fence every write
 * passes, renewal and release; each subclass runs it on one file system.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class CheckpointLeaseScenarios {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** A fresh, not yet existing checkpoint directory URI for each call. */
  abstract String newDirectoryUri();

  abstract Configuration conf();

  /** A driver on another machine: its pid is never looked up here. */
  static LeaseClaimant elsewhere(String host, int attempt, String supervisor) {
    return new LeaseClaimant(host, host + "/boot/pid:[1]", 4242, 0, attempt, supervisor);
  }

  /** A driver on this machine with process id {@code pid}. */
  static LeaseClaimant here(long pid) {
    LeaseClaimant self = LeaseClaimant.thisProcess(0, null);
    return new LeaseClaimant(self.host(), self.machine(), pid, 0, 0, "");
  }

  CheckpointStore open(String uri, LeaseClaimant driver) {
    return open(uri, driver, Clock.systemUTC(), TIMEOUT, e -> {});
  }

  CheckpointStore open(
      String uri,
      LeaseClaimant driver,
      Clock clock,
      Duration timeout,
      java.util.function.Consumer<CheckpointException> onLost) {
    return CheckpointStore.held(
        uri, conf(), 3, new CheckpointLease.Request(driver, timeout, clock, onLost));
  }

  private FileSystem fs(String uri) throws IOException {
    return new Path(uri).getFileSystem(conf());
  }

  private List<String> leaseFiles(String uri) throws IOException {
    List<String> names = new ArrayList<>();
    for (var status : fs(uri).listStatus(new Path(uri, "lease"))) {
      names.add(status.getPath().getName());
    }
    return names.stream().sorted().toList();
  }

  @Test
  void aSecondDriverIsRefusedNamingTheFirstUntilTheFirstReleasesTheLease() throws IOException {
    String uri = newDirectoryUri();
    CheckpointStore first = open(uri, elsewhere("node-1", 1, "run-a"));
    first.recordPlan(new BatchPlan(1000, List.of("plan".getBytes(UTF_8))));

    CheckpointInUseException refused =
        assertThrows(
            CheckpointInUseException.class, () -> open(uri, elsewhere("node-2", 1, "run-b")));

    assertTrue(refused.getMessage().contains("is in use by another driver"), refused.getMessage());
    assertTrue(
        refused.getMessage().contains("host node-1, pid 4242, attempt 1 of supervisor run-a"),
        refused.getMessage());
    first.markDone(1000);
    assertEquals(1, first.loggedBatches().batches().size(), "the first driver goes on writing");

    first.close();
    try (CheckpointStore second = open(uri, elsewhere("node-2", 1, "run-b"))) {
      assertEquals(2, second.lease().orElseThrow().epoch());
      assertEquals(
          "lease epoch 1 was released by its holder", second.lease().orElseThrow().takeover());
      second.recordPlan(new BatchPlan(2000, List.of("plan".getBytes(UTF_8))));
    }
  }

  @Test
  void aNewerAttemptOfTheSameSupervisorFencesTheHolderWhoseNextWriteFailsNamingIt()
      throws IOException {
    String uri = newDirectoryUri();
    CheckpointStore old = open(uri, elsewhere("node-1", 3, "uid-wc"));
    // What writers beside the engine (the UI's batch history) ask before each write.
    assertTrue(CheckpointStore.isHeldBy(uri, conf(), elsewhere("node-1", 3, "uid-wc")));
    try (CheckpointStore newer = open(uri, elsewhere("node-2", 4, "uid-wc"))) {
      assertEquals(2, newer.lease().orElseThrow().epoch());
      assertFalse(CheckpointStore.isHeldBy(uri, conf(), elsewhere("node-1", 3, "uid-wc")));
      assertTrue(CheckpointStore.isHeldBy(uri, conf(), elsewhere("node-2", 4, "uid-wc")));

      for (Runnable write :
          List.<Runnable>of(
              () -> old.recordPlan(new BatchPlan(1000, List.of(new byte[0]))),
              () -> old.markDone(1000),
              () -> old.writeGeneration(1000, Map.of("state-0", new byte[] {1})),
              () -> old.forgetBatchesUpTo(1000),
              old::checkWritable)) {
        CheckpointInUseException fenced = assertThrows(CheckpointInUseException.class, write::run);
        assertTrue(fenced.getMessage().contains("lost the lease"), fenced.getMessage());
        assertTrue(
            fenced.getMessage().contains("attempt 4 of supervisor uid-wc replaces attempt 3"),
            fenced.getMessage());
      }
      assertEquals(List.of(), newer.loggedBatches().batches(), "the fenced driver wrote nothing");
      assertTrue(newer.latestValid().isEmpty(), "the fenced driver wrote no generation");

      old.close();
      assertFalse(
          leaseFiles(uri).contains(CheckpointLayout.releasedName(1)),
          "a fenced driver does not release a lease it no longer holds: " + leaseFiles(uri));
      newer.recordPlan(new BatchPlan(1000, List.of(new byte[0])));
    }
  }

  @Test
  void aLeaseThatLapsedIsTakenAndItsFormerHolderIsFenced() throws IOException {
    String uri = newDirectoryUri();
    CheckpointStore stalled = open(uri, elsewhere("node-1", 0, ""));
    Clock later = Clock.offset(Clock.systemUTC(), TIMEOUT.plusSeconds(1));

    try (CheckpointStore next = open(uri, elsewhere("node-2", 0, ""), later, TIMEOUT, e -> {})) {
      assertTrue(
          next.lease().orElseThrow().takeover().contains("lapsed at"),
          next.lease().orElseThrow().takeover());
      assertThrows(
          CheckpointInUseException.class,
          () -> stalled.recordPlan(new BatchPlan(1, List.of(new byte[0]))));
    } finally {
      stalled.close();
    }
  }

  @Test
  void aHolderProcessThatIsGoneIsReplacedAtOnce() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    String uri = newDirectoryUri();
    try (CheckpointStore gone = open(uri, here(ended.pid()));
        CheckpointStore next = open(uri, here(ProcessHandle.current().pid() + 1))) {
      assertEquals(
          "its holder, pid " + ended.pid() + " on this machine, is gone",
          next.lease().orElseThrow().takeover());
      assertThrows(CheckpointInUseException.class, gone::checkWritable);
    }
  }

  @Test
  void theRenewalThreadRenewsTheLeaseAndReportsATakeoverAtOnce() throws Exception {
    String uri = newDirectoryUri();
    CompletableFuture<CheckpointException> lost = new CompletableFuture<>();
    try (CheckpointStore holder =
        open(
            uri,
            elsewhere("node-1", 1, "run-a"),
            Clock.systemUTC(),
            Duration.ofSeconds(1),
            lost::complete)) {
      awaitRenewal(uri, 1);

      try (CheckpointStore newer = open(uri, elsewhere("node-2", 2, "run-a"))) {
        CheckpointException reported = lost.get(30, TimeUnit.SECONDS);
        assertTrue(reported instanceof CheckpointInUseException, reported.toString());
        assertTrue(reported.getMessage().contains("lost the lease"), reported.getMessage());
        assertThrows(CheckpointInUseException.class, holder::checkWritable);
        newer.checkWritable();
      }
    }
  }

  private void awaitRenewal(String uri, long epoch) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String prefix = CheckpointLayout.leaseName(epoch) + ".renewed-";
    while (leaseFiles(uri).stream().noneMatch(name -> name.startsWith(prefix))) {
      assertTrue(System.nanoTime() < deadline, "no renewal marker in " + leaseFiles(uri));
      Thread.sleep(50);
    }
  }

  @Test
  void aDeletedDirectoryIsReportedAsVanishedAndNeitherWritesNorRenewalsRecreateIt()
      throws Exception {
    String uri = newDirectoryUri();
    CompletableFuture<CheckpointException> lost = new CompletableFuture<>();
    try (CheckpointStore store =
        open(
            uri,
            elsewhere("node-1", 1, "run-a"),
            Clock.systemUTC(),
            Duration.ofSeconds(1),
            lost::complete)) {
      store.writeAppManifest(new AppManifest(1, "app", 1000, 0, List.of()));
      store.writeGeneration(0, Map.of("source-0", new byte[] {1}));
      assertTrue(fs(uri).delete(new Path(uri), true));

      for (Runnable write :
          List.<Runnable>of(
              () -> store.recordPlan(new BatchPlan(1000, List.of(new byte[0]))),
              () -> store.markDone(1000),
              () -> store.writeGeneration(1000, Map.of("source-0", new byte[] {2})))) {
        CheckpointVanishedException vanished =
            assertThrows(CheckpointVanishedException.class, write::run);
        assertTrue(vanished.getMessage().contains("vanished"), vanished.getMessage());
        assertTrue(vanished.getMessage().contains("restore the directory"), vanished.getMessage());
      }
      assertTrue(lost.get(30, TimeUnit.SECONDS) instanceof CheckpointVanishedException);
      assertFalse(fs(uri).exists(new Path(uri)), "the checkpoint directory was recreated");
    }
    assertFalse(fs(uri).exists(new Path(uri)), "closing recreated the checkpoint directory");
  }

  @Test
  void aDirectoryMadeAgainByAnotherDriverIsNotMistakenForTheOldOneAtTheSameEpoch()
      throws IOException {
    String uri = newDirectoryUri();
    CheckpointStore first = open(uri, elsewhere("node-1", 1, "run-a"));
    assertTrue(fs(uri).delete(new Path(uri), true));

    try (CheckpointStore second = open(uri, elsewhere("node-2", 1, "run-b"))) {
      assertEquals(1, second.lease().orElseThrow().epoch());

      CheckpointVanishedException vanished =
          assertThrows(
              CheckpointVanishedException.class,
              () -> first.recordPlan(new BatchPlan(1, List.of(new byte[0]))));
      assertTrue(vanished.getMessage().contains("another driver's"), vanished.getMessage());
      second.recordPlan(new BatchPlan(1, List.of(new byte[0])));
      first.close();
      second.checkWritable();
    }
  }

  @Test
  void anExecutorWritesNoStatePartIntoAVanishedDirectory() throws IOException {
    String uri = newDirectoryUri();
    try (CheckpointStore driver = open(uri, elsewhere("node-1", 1, "run-a"))) {
      CheckpointStore executor = CheckpointStore.existing(uri, conf(), 3);
      executor.writeStatePart(1000, 0, 0, new byte[] {1});
      assertTrue(fs(uri).delete(new Path(uri), true));

      assertThrows(
          CheckpointVanishedException.class,
          () ->
              CheckpointStore.existing(uri, conf(), 3).writeStatePart(2000, 0, 0, new byte[] {2}));
      assertFalse(fs(uri).exists(new Path(uri)), "the executor recreated the directory");
    }
  }

  @Test
  void ofDriversStartingTogetherOnOneDirectoryExactlyOneTakesTheLease() throws Exception {
    String uri = newDirectoryUri();
    int drivers = 6;
    CyclicBarrier together = new CyclicBarrier(drivers);
    ExecutorService threads = Executors.newFixedThreadPool(drivers);
    List<Future<CheckpointStore>> attempts = new ArrayList<>();
    try {
      for (int i = 0; i < drivers; i++) {
        LeaseClaimant claimant = elsewhere("node-" + i, 1, "run-" + i);
        attempts.add(
            threads.submit(
                () -> {
                  together.await();
                  return open(uri, claimant);
                }));
      }
      List<CheckpointStore> winners = new ArrayList<>();
      int refused = 0;
      for (Future<CheckpointStore> attempt : attempts) {
        try {
          winners.add(attempt.get(60, TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException e) {
          assertTrue(e.getCause() instanceof CheckpointInUseException, e.getCause().toString());
          refused++;
        }
      }
      assertEquals(1, winners.size(), "drivers holding the lease");
      assertEquals(drivers - 1, refused);
      winners.get(0).recordPlan(new BatchPlan(1000, List.of(new byte[0])));
      winners.get(0).close();
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aTakeoverKeepsThePreviousEpochForTheRecordAndForgetsOlderOnes() throws Exception {
    String uri = newDirectoryUri();
    List<CheckpointStore> attempts = new ArrayList<>();
    for (int attempt = 1; attempt <= 4; attempt++) {
      attempts.add(open(uri, elsewhere("node-" + attempt, attempt, "run-a")));
    }

    assertEquals(
        List.of(CheckpointLayout.leaseName(3), CheckpointLayout.leaseName(4)),
        leaseFiles(uri).stream().filter(name -> !name.contains(".renewed-")).toList());
    attempts.forEach(CheckpointStore::close);
    assertEquals(
        List.of(
            CheckpointLayout.leaseName(3),
            CheckpointLayout.leaseName(4),
            CheckpointLayout.releasedName(4)),
        leaseFiles(uri).stream().filter(name -> !name.contains(".renewed-")).toList());
  }
}
