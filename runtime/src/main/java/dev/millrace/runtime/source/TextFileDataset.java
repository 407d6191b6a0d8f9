package dev.millrace.runtime.source;

import dev.millrace.runtime.dataset.CountedInput;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.PartitionCounts;
import dev.millrace.runtime.fs.FileAccess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The lines of the files one batch of a {@link TextFileSource} took, read when the batch runs.
 *
 * <p>Each split of the batch's files is one partition. A partition is read from its own split by
 * the first task that computes it, counted, and kept, so that a second reader in the same process
 * (another output, another shuffle) does not read the file again; a process that computes no
 * partition reads nothing. An executor running one map task of a shuffle over this batch reads only
 * that task's split, and the driver, which runs its map tasks elsewhere, learns the counts from the
 * executors ({@link #countedElsewhere}) instead of reading the files itself. Partitions follow the
 * files' order and byte order within a file, so reading the partitions in order yields every line
 * of every file, in order, once. An empty batch has one empty partition.
 */
public final class TextFileDataset extends Dataset<String> implements CountedInput {
  private final String streamName;
  private final FileAccess fs;
  private final List<String> files;
  private final List<FileSplit> splits;
  private final LongConsumer onCounted;
  private final AtomicReferenceArray<List<String>> read;
  private final PartitionCounts counts;

  /** The lines of {@code files}, to be read through {@code fs} as {@code splits}. */
  TextFileDataset(String streamName, FileAccess fs, List<String> files, List<FileSplit> splits) {
    this(streamName, fs, files, splits, lines -> {});
  }

  /**
   * As above, telling {@code onCounted} how many lines the files held once every partition is
   * counted, here or elsewhere.
   */
  TextFileDataset(
      String streamName,
      FileAccess fs,
      List<String> files,
      List<FileSplit> splits,
      LongConsumer onCounted) {
    this.streamName = streamName;
    this.fs = fs;
    this.files = List.copyOf(files);
    this.splits = List.copyOf(splits);
    this.onCounted = onCounted;
    this.read = new AtomicReferenceArray<>(this.splits.size());
    this.counts = new PartitionCounts(this.splits.size());
  }

  /** The files of this batch (local paths or URIs), in the order their lines are read. */
  public List<String> files() {
    return files;
  }

  /**
   * How many lines the batch's files held, reading every split no task has counted yet.
   *
   * @throws UncheckedIOException naming the file when one cannot be read
   */
  @Override
  public long size() {
    long total = 0;
    for (int i = 0; i < splits.size(); i++) {
      total += counts.isCounted(i) ? counts.get(i) : lines(i).size();
    }
    return total;
  }

  @Override
  public Map<Integer, Long> countedPartitions() {
    return counts.counted();
  }

  @Override
  public void countedElsewhere(int partition, long records) {
    if (partition < 0 || partition >= splits.size() || records < 0) {
      throw new IllegalArgumentException(
          "text file stream '"
              + streamName
              + "' has "
              + splits.size()
              + " splits in this batch; a count of "
              + records
              + " lines for split "
              + partition
              + " cannot be one of them");
    }
    counted(partition, records);
  }

  @Override
  public int numPartitions() {
    return Math.max(1, splits.size());
  }

  /**
   * The lines of split {@code partition}, read from its file by the first reader.
   *
   * @throws UncheckedIOException naming the file when it cannot be read, for instance because it
   *     was deleted before its batch ran
   */
  @Override
  public void compute(int partition, Consumer<? super String> out) {
    if (partition >= splits.size()) {
      return;
    }
    List<String> lines = lines(partition);
    for (int i = 0, n = lines.size(); i < n; i++) {
      out.accept(lines.get(i));
    }
  }

  @Override
  public List<Dataset<?>> parents() {
    return List.of();
  }

  private List<String> lines(int partition) {
    List<String> lines = read.get(partition);
    if (lines == null) {
      // Two tasks reading the same split at once both read it; they keep equal lists.
      List<String> fresh = new ArrayList<>();
      readSplit(splits.get(partition), fresh::add);
      read.compareAndSet(partition, null, fresh);
      lines = read.get(partition);
      counted(partition, lines.size());
    }
    return lines;
  }

  private void counted(int partition, long lines) {
    if (counts.count(partition, lines)) {
      onCounted.accept(counts.total());
    }
  }

  private void readSplit(FileSplit split, Consumer<? super String> out) {
    // A split starting mid-file begins after the first '\n' at or after start-1: the line that
    // contains byte start-1 started in the previous split, which reads it to its end.
    long from = split.start() == 0 ? 0 : split.start() - 1;
    try (InputStream in = fs.open(split.file(), from)) {
      Utf8LineReader reader = new Utf8LineReader(in, from);
      if (split.start() > 0) {
        reader.skipLine();
      }
      while (reader.position() < split.end()) {
        String line = reader.readLine();
        if (line == null) {
          break;
        }
        out.accept(line);
      }
    } catch (NoSuchFileException e) {
      throw new InputMissingException(
          "input file "
              + split.file()
              + " of text file stream '"
              + streamName
              + "' was taken by a batch but deleted before the batch read it: a taken file must"
              + " stay in the directory until a checkpoint covers its batch. Put it back and start"
              + " again",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read bytes "
              + split.start()
              + " to "
              + split.end()
              + " of input file "
              + split.file()
              + " of text file stream '"
              + streamName
              + "': "
              + e
              + "; check that the file is readable by this process"
              + fs.advice(split.file()),
          e);
    }
  }
}
