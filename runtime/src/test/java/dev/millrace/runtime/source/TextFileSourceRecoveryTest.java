package dev.millrace.runtime.source;

import static dev.millrace.runtime.source.TestingFilePlans.files;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.task.TaskRunner;
import dev.millrace.streaming.CleanSource;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a {@link TextFileSource} tells and does when a driver recovers from a checkpoint. */
class TextFileSourceRecoveryTest {
  @TempDir Path dir;

  private final NavigableMap<Long, byte[]> plans = new TreeMap<>();

  /**
   * Files a, b, c and d, there before batch 1000, taken one a batch ({@code maxFilesPerBatch} 1) by
   * batches 1000 to {@code batches} * 1000, whose plans are kept; returns the snapshot at start.
   */
  private byte[] takeOneFileABatch(int batches) throws IOException {
    InputSource<String> source = source();
    source.start(0);
    byte[] snapshot = source.snapshot();
    write("a", 500);
    write("b", 600);
    write("c", 700);
    write("d", 800);
    for (long t = 1000; t <= batches * 1000L; t += 1000) {
      plans.put(t, source.encodePlan(source.take(t, false)));
    }
    return snapshot;
  }

  @Test
  void aBatchWithoutAPlanHadTakenTheNewFilesThatTheNextBatchPassedOver() throws IOException {
    byte[] snapshot = takeOneFileABatch(3);
    plans.remove(2000L);

    SkippedInput skipped = source().unplanned(2000, 2000, snapshot, plans);

    // b comes before c, which batch 3000 took, so it was not new then: batch 2000 had taken it.
    // d comes after c: batch 2000 may have held it back, as batch 3000 did.
    assertEquals(SkippedInput.Extent.UNCERTAIN, skipped.extent());
    assertTrue(
        skipped.description().startsWith("1 file of 2 bytes: " + dir.resolve("b")),
        skipped.description());
    assertTrue(
        skipped.description().contains("left for later batches")
            && skipped.description().endsWith(dir.resolve("d").toString()),
        skipped.description());
    assertEquals(List.of("b"), skippedNames(skipped));
  }

  @Test
  void aBatchWithoutAPlanBeforeOneThatTookNothingHadTakenEveryNewFile() throws IOException {
    byte[] snapshot = takeOneFileABatch(5);
    plans.remove(4000L);

    SkippedInput skipped = source().unplanned(4000, 4000, snapshot, plans);

    assertEquals(SkippedInput.Extent.EXACT, skipped.extent());
    assertEquals(List.of("d"), skippedNames(skipped));
  }

  @Test
  void theNewestBatchWithoutAPlanSkipsNothingAsItsFilesAreTakenAgain() throws IOException {
    byte[] snapshot = takeOneFileABatch(3);
    plans.remove(3000L);

    SkippedInput skipped = source().unplanned(3000, 3000, snapshot, plans);

    assertEquals(SkippedInput.Extent.NOTHING, skipped.extent());
    assertEquals(List.of(), skippedNames(skipped));
  }

  @Test
  void skippedFilesAreNeverTakenAgainNorRemovedByCleanSource() throws Exception {
    byte[] snapshot = takeOneFileABatch(3);
    plans.remove(2000L);
    SkippedInput skipped = source().unplanned(2000, 2000, snapshot, plans);
    plans.put(2000L, skipped.plan());
    InputSource<String> recovered =
        new TextFileSource(dir.toString(), null, 1, "files", 1, CleanSource.delete()).input();
    recovered.recover(4000, snapshot, List.copyOf(plans.values()));

    assertEquals(List.of(file("d")), files(recovered.take(4000, false)));
    recovered.checkpointCommitted(4000, recovered.snapshot());
    recovered.stop();

    // a, c and d were read and are deleted; b, which batch 2000 had taken, was not.
    assertEquals(List.of("b"), names());
  }

  /**
   * Before the file stream was a {@code Source}, a plan was the list of its files' names,
   * modification times and sizes, and a skipped batch's plan a position naming the files passed
   * over: a recovery after an upgrade reads both again.
   */
  @Test
  void plansAnEarlierBuildLoggedAreReadAgainAndTheirFilesNotTakenAgain() throws IOException {
    byte[] snapshot = takeOneFileABatch(0);
    ByteArrayOutputStream earlierPlan = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(earlierPlan)) {
      out.writeInt(1);
      out.writeUTF("a");
      out.writeLong(500);
      out.writeLong(2);
    }
    byte[] earlierSkip = new FileStreamPosition(List.of("b"), List.of()).toBytes();
    InputSource<String> recovered = source();

    recovered.recover(3000, snapshot, List.of(earlierPlan.toByteArray(), earlierSkip));

    TaskRunner runner = new TaskRunner(1, "test");
    try {
      assertEquals(List.of("a"), runner.collect(recovered.replay(1000, earlierPlan.toByteArray())));
      assertEquals(List.of(), runner.collect(recovered.replay(2000, earlierSkip)));
    } finally {
      runner.close();
    }
    assertEquals(List.of(file("c")), files(recovered.take(3000, false)), "a and b not again");
  }

  /** The files {@code skipped} passes over, so that no later batch takes them. */
  private List<String> skippedNames(SkippedInput skipped) {
    List<String> names = new ArrayList<>();
    for (FilePart part : ((SourceInput<String, FilePart>) source()).decode(skipped.plan())) {
      names.add(((PassedOverFile) part).name());
    }
    return names;
  }

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private InputSource<String> source() {
    return new TextFileSource(dir.toString(), null, 1, "files", 1).input();
  }

  private String file(String name) {
    return dir.resolve(name).toString();
  }

  private void write(String name, long modifiedMillis) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, name + "\n", StandardCharsets.UTF_8);
    Files.setLastModifiedTime(file, FileTime.fromMillis(modifiedMillis));
  }

  @Test
  void aReplayNeedingAFileThatIsGoneIsRefusedNamingTheFileTheBatchAndTheRule() throws IOException {
    byte[] snapshot = takeOneFileABatch(2);
    Files.delete(dir.resolve("b"));
    InputSource<String> recovered = source();
    recovered.recover(3000, snapshot, List.copyOf(plans.values()));

    recovered.checkReplayable(1000, plans.get(1000L));
    InputMissingException e =
        assertThrows(
            InputMissingException.class, () -> recovered.checkReplayable(2000, plans.get(2000L)));

    assertTrue(e.getMessage().contains("input file " + file("b")), e.getMessage());
    assertTrue(e.getMessage().contains("batch 2000 took it"), e.getMessage());
    assertTrue(
        e.getMessage().contains("must stay in the directory until a checkpoint covers its batch"),
        e.getMessage());
    assertEquals(file("b"), e.getCause().getFile());
  }
}
