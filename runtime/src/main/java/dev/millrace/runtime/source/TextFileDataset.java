package dev.millrace.runtime.source;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.Sized;
import dev.millrace.runtime.dataset.StageBoundary;
import dev.millrace.runtime.dataset.TaskRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The lines of the files one batch of a {@link TextFileSource} took, read when the batch runs.
 *
 * <p>Each split of the batch's files is one partition; {@link #materialize} reads all splits in
 * parallel, one task each, and keeps their lines in memory. A partition computed before that is
 * read from its own split alone and not kept: an executor running one map task of a shuffle over
 * this batch reads only that task's split. Partitions follow the files' order and byte order within
 * a file, so reading the partitions in order yields every line of every file, in order, once. An
 * empty batch has one empty partition.
 */
public final class TextFileDataset extends Dataset<String> implements StageBoundary, Sized {
  private final String streamName;
  private final List<Path> files;
  private final List<FileSplit> splits;
  private final LongConsumer onRead;
  private volatile List<List<String>> partitions;

  /** The lines of {@code files}, to be read as {@code splits}. */
  TextFileDataset(String streamName, List<Path> files, List<FileSplit> splits) {
    this(streamName, files, splits, lines -> {});
  }

  /** As above, telling {@code onRead} how many lines the files held once they are read. */
  TextFileDataset(
      String streamName, List<Path> files, List<FileSplit> splits, LongConsumer onRead) {
    this.streamName = streamName;
    this.files = List.copyOf(files);
    this.splits = List.copyOf(splits);
    this.onRead = onRead;
  }

  /** The files of this batch, in the order their lines are read. */
  public List<Path> files() {
    return files;
  }

  /**
   * How many lines the batch's files held.
   *
   * @throws IllegalStateException before {@link #materialize}
   */
  public long size() {
    long total = 0;
    for (List<String> p : materialized()) {
      total += p.size();
    }
    return total;
  }

  @Override
  public boolean isMaterialized() {
    return partitions != null;
  }

  /**
   * Reads every split in a parallel task on {@code runner}.
   *
   * @throws UncheckedIOException naming the file when one cannot be read, for instance because it
   *     was deleted before its batch ran
   */
  @Override
  public void materialize(TaskRunner runner) {
    List<List<String>> read = new ArrayList<>(Collections.nCopies(numPartitions(), List.of()));
    runner.runTasks(
        splits.size(),
        i -> {
          List<String> lines = new ArrayList<>();
          readSplit(splits.get(i), lines::add);
          read.set(i, lines);
        });
    partitions = read;
    onRead.accept(size());
  }

  @Override
  public int numPartitions() {
    return Math.max(1, splits.size());
  }

  /** The lines of split {@code partition}: from memory once materialized, else from its file. */
  @Override
  public void compute(int partition, Consumer<? super String> out) {
    List<List<String>> p = partitions;
    if (p == null) {
      if (partition < splits.size()) {
        readSplit(splits.get(partition), out);
      }
      return;
    }
    List<String> lines = p.get(partition);
    for (int i = 0, n = lines.size(); i < n; i++) {
      out.accept(lines.get(i));
    }
  }

  @Override
  public List<Dataset<?>> parents() {
    return List.of();
  }

  private List<List<String>> materialized() {
    List<List<String>> p = partitions;
    if (p == null) {
      throw new IllegalStateException(
          "the files of text file stream '"
              + streamName
              + "' "
              + files
              + " have not been read yet; TaskRunner.prepare must materialize the batch first");
    }
    return p;
  }

  private void readSplit(FileSplit split, Consumer<? super String> out) {
    // A split starting mid-file begins after the first '\n' at or after start-1: the line that
    // contains byte start-1 started in the previous split, which reads it to its end.
    long from = split.start() == 0 ? 0 : split.start() - 1;
    try (SeekableByteChannel channel = Files.newByteChannel(split.file());
        InputStream in = Channels.newInputStream(channel.position(from))) {
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
      throw new UncheckedIOException(
          "input file "
              + split.file()
              + " of text file stream '"
              + streamName
              + "' was taken by a batch but deleted before the batch read it; delete or move"
              + " input files only after the batches that read them have completed",
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
              + "; check that the file is readable by this process",
          e);
    }
  }
}
