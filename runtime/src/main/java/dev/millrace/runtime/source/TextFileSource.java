package dev.millrace.runtime.source;

import dev.millrace.runtime.backpressure.RateLimit;
import dev.millrace.runtime.config.StreamingOptions;
import dev.millrace.runtime.fs.FileAccess;
import dev.millrace.streaming.CleanSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lines of the text files that appear in a directory: {@code textFileStream}.
 *
 * <p>Which files a batch takes:
 *
 * <ul>
 *   <li>Only new files: those in the directory when the stream starts are never read.
 *   <li>A new file is taken by the first batch whose time is at or after the file's last-modified
 *       time (epoch milliseconds), and by no other batch.
 *   <li>Names starting with {@code .} or {@code _} are ignored, and so are subdirectories. Write a
 *       file under such a name (or elsewhere on the same file system) and rename it into place when
 *       it is complete: the source cannot tell a half-written file from a finished one.
 *   <li>Taken names are remembered only while they are in the directory, so memory is bounded by
 *       the directory, not by how long the stream runs. A file deleted and later created again
 *       under the same name is new, provided a batch listed the directory in between.
 *   <li>Within a batch, files are read in order of modification time, then name.
 *   <li>A batch takes at most {@code maxFilesPerBatch} files and, under a {@link RateLimit}, only
 *       as many as fit its records per batch, estimating each file's lines from its size and the
 *       bytes per line of the files read so far (1 until one has been read, which no file can
 *       exceed). It always takes at least one, so the stream progresses. Files held back are taken
 *       by the next batches in the same order, never skipped, never twice.
 *   <li>The last batch of a graceful stop takes no new files.
 * </ul>
 *
 * <p>The directory is a local path or a URI of any Hadoop file system ({@code hdfs://nn:8020/in},
 * {@code file:///in}, {@code s3a://bucket/in}); local paths and {@code file:} URIs are read with
 * {@code java.nio}, other schemes through their Hadoop file system. {@link #start} fails, naming
 * the URI, when the file system cannot be reached. Modification times are the file system's: on
 * HDFS, a rename keeps the time the file was last written.
 *
 * <p>A directory that does not exist is treated as empty, with one warning until it appears; the
 * source never creates it. When it appears, every file in it is new.
 *
 * <p>Files are read when the batch runs, not when it is planned: a batch's plan is a list of
 * {@linkplain FileSplit splits}, one task each, cutting files larger than 1 MiB into byte ranges
 * when the batch has fewer files than partitions; the first task that reads a split keeps its lines
 * for the batch's other readers. A line ends at {@code '\n'}, a {@code '\r'} before it is dropped,
 * and text is decoded as UTF-8. A taken file must stay in the directory until a checkpoint covers
 * its batch, not only until the batch has completed: after a driver failure, the recovery replays
 * every batch since the checkpoint it restores and reads their files again ({@link
 * #checkReplayable} fails naming a file that is gone). {@link #inputRemovableUpTo} tells up to
 * which batch that is, and with {@link CleanSource#delete()} or {@link CleanSource#archiveTo} the
 * source removes those files itself ({@link #checkpointCommitted}): only files it took, as they
 * were when taken.
 *
 * <p>The source is a {@link dev.millrace.streaming.Source}, read by the engine through {@link
 * SourceInput} like an application's own: {@link #start}, {@link #recover} and {@link #plan} run on
 * the one thread that generates batches, {@link #read} in any process that runs a task.
 */
public final class TextFileSource implements EngineSource<String, FilePart> {
  private static final byte SPLIT = 0;
  private static final byte PASSED_OVER = 1;
  private static final Logger LOG = LoggerFactory.getLogger(TextFileSource.class);
  private static final int MAX_NAMED_FILES = 20;

  private final String directory;
  private final FileAccess fs;
  private final int partitions;
  private final String streamName;
  private final int maxFilesPerBatch;
  private final LineSizeEstimate lineSizes = new LineSizeEstimate();
  private final InputCleaner cleaner; // null unless cleanSource removes files
  private volatile long removableUpTo = Long.MIN_VALUE;
  private NewFileTracker tracker;
  private boolean warnedMissing;
  // Written on the generator thread, read by the status endpoint's: guarded by statusLock.
  private final Object statusLock = new Object();
  private long bytesTaken;
  private Long missingSinceMs;
  private String lastError;
  private Long lastErrorTimeMs;

  /**
   * A source watching {@code directory}, reading each batch with about {@code partitions} tasks,
   * and naming its log lines and errors after {@code streamName}.
   */
  public TextFileSource(Path directory, int partitions, String streamName) {
    this(directory, partitions, streamName, Integer.MAX_VALUE);
  }

  /** A source as above whose batches take at most {@code maxFilesPerBatch} files each. */
  public TextFileSource(Path directory, int partitions, String streamName, int maxFilesPerBatch) {
    this(
        directory == null ? null : directory.toString(),
        null,
        partitions,
        streamName,
        maxFilesPerBatch);
  }

  /**
   * A source watching {@code directory}, a local path or a Hadoop file system URI opened with
   * {@code hadoop} (which may be null for a local path), taking at most {@code maxFilesPerBatch}
   * files a batch.
   *
   * @throws IllegalArgumentException if {@code directory} is not a valid path or URI, or no Hadoop
   *     file system is known for its scheme
   */
  public TextFileSource(
      String directory,
      Configuration hadoop,
      int partitions,
      String streamName,
      int maxFilesPerBatch) {
    this(directory, hadoop, partitions, streamName, maxFilesPerBatch, CleanSource.off());
  }

  /**
   * A source as above that removes the files it has read as {@code cleanSource} says, once a
   * committed checkpoint covers their batch.
   *
   * @throws IllegalArgumentException also if an archive directory is not on the input directory's
   *     file system, or is the input directory itself
   */
  public TextFileSource(
      String directory,
      Configuration hadoop,
      int partitions,
      String streamName,
      int maxFilesPerBatch,
      CleanSource cleanSource) {
    if (directory == null) {
      throw new IllegalArgumentException(
          "text file stream '" + streamName + "' needs a directory to watch, got null");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "text file stream '"
              + streamName
              + "' needs at least 1 partition per batch, got "
              + partitions);
    }
    this.fs =
        FileAccess.forLocation(
            directory,
            hadoop == null ? StreamingOptions.hadoopConfiguration() : hadoop,
            "the input directory of text file stream '" + streamName + "'");
    this.directory = fs.normalize(directory);
    this.partitions = partitions;
    this.streamName = streamName;
    if (maxFilesPerBatch < 1) {
      throw new IllegalArgumentException(
          "text file stream '"
              + streamName
              + "' was given a maximum of "
              + maxFilesPerBatch
              + " files per batch; a batch must be allowed at least 1 file to make progress");
    }
    this.maxFilesPerBatch = maxFilesPerBatch;
    Objects.requireNonNull(cleanSource, "cleanSource");
    if (cleanSource instanceof CleanSource.Archive archive) {
      String archiveDirectory = archiveDirectory(archive.directory(), hadoop);
      this.cleaner = new InputCleaner(fs, this.directory, archiveDirectory, streamName);
    } else if (cleanSource instanceof CleanSource.Delete) {
      this.cleaner = new InputCleaner(fs, this.directory, null, streamName);
    } else {
      this.cleaner = null;
    }
  }

  /** {@code location} as the input directory's file system names it, once checked. */
  private String archiveDirectory(String location, Configuration hadoop) {
    String what = "the archive directory of text file stream '" + streamName + "'";
    FileAccess archiveFs =
        FileAccess.forLocation(
            location, hadoop == null ? StreamingOptions.hadoopConfiguration() : hadoop, what);
    String archive = archiveFs.normalize(location);
    if (!fileSystemOf(archive).equals(fileSystemOf(directory))) {
      throw new IllegalArgumentException(
          what
              + " is "
              + location
              + ", on another file system than its input directory "
              + directory
              + "; files are archived by renaming them, so archive to a directory on the same file"
              + " system (for example a subdirectory of the input directory, which the stream does"
              + " not read)");
    }
    if (canonical(archive).equals(canonical(directory))) {
      throw new IllegalArgumentException(
          what
              + " "
              + location
              + " is the input directory itself; archive to another directory, for example a"
              + " subdirectory of it, which the stream does not read");
    }
    return archive;
  }

  /** {@code local}, or the scheme and authority of a Hadoop file system URI. */
  private static String fileSystemOf(String location) {
    if (FileAccess.scheme(location) == null) {
      return "local";
    }
    URI uri = new org.apache.hadoop.fs.Path(location).toUri();
    return uri.getScheme() + "://" + Objects.requireNonNullElse(uri.getAuthority(), "");
  }

  private static String canonical(String location) {
    return FileAccess.scheme(location) == null
        ? Path.of(location).toAbsolutePath().normalize().toString()
        : new org.apache.hadoop.fs.Path(location).toUri().normalize().getPath();
  }

  /** The engine's input reading this source. */
  public InputSource<String> input() {
    return new SourceInput<>(this);
  }

  @Override
  public String name() {
    return streamName;
  }

  /**
   * Lists the directory and remembers its files as not to be read.
   *
   * @throws UncheckedIOException naming the directory if it exists but cannot be listed, or its
   *     file system cannot be reached
   */
  @Override
  public void start() {
    List<ListedFile> existing = list();
    tracker = new NewFileTracker(existing);
    LOG.info(
        "text file stream '{}' watches {}; ignoring the {} files already there",
        streamName,
        directory,
        existing.size());
  }

  /**
   * The splits of the files new since the previous batch and modified no later than {@code
   * batchTime}, as many as fit {@code maxRecords} (at least one file), to be read when the batch
   * runs. The last batch of a graceful stop plans none ({@link #planLast}).
   *
   * @throws IllegalStateException before {@link #start}
   * @throws UncheckedIOException if the directory exists but cannot be listed
   */
  @Override
  public List<FilePart> plan(long batchTime, long maxRecords) {
    if (tracker == null) {
      throw new IllegalStateException(
          "text file stream '"
              + streamName
              + "' was asked for batch "
              + batchTime
              + " before start(); start the source first");
    }
    List<ListedFile> taken = tracker.select(list(), batchTime, budget(maxRecords)::filesToTake);
    LOG.debug("text file stream '{}' batch {} takes {}", streamName, batchTime, taken);
    long bytes = taken.stream().mapToLong(ListedFile::sizeBytes).sum();
    synchronized (statusLock) {
      bytesTaken += bytes;
    }
    return List.copyOf(SplitPlanner.plan(taken, partitions));
  }

  /**
   * The lines of {@code part}, a split; none for a file a recovery passed over.
   *
   * @throws InputMissingException naming the file when it was deleted before its batch read it
   * @throws UncheckedIOException naming the file when it cannot be read
   */
  @Override
  public Iterator<String> read(FilePart part) {
    return readAll(part).iterator();
  }

  /** The split's lines, the list a batch keeps as it is (the stream keeps read parts). */
  @Override
  public List<String> readAll(FilePart part) {
    if (!(part instanceof FileSplit split)) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    // A split starting mid-file begins after the first '\n' at or after start-1: the line that
    // contains byte start-1 started in the previous split, which reads it to its end.
    long from = split.start() == 0 ? 0 : split.start() - 1;
    String file = split.file().path();
    try (InputStream in = fs.open(file, from)) {
      Utf8LineReader reader = new Utf8LineReader(in, from);
      if (split.start() > 0) {
        reader.skipLine();
      }
      while (reader.position() < split.end()) {
        String line = reader.readLine();
        if (line == null) {
          break;
        }
        lines.add(line);
      }
    } catch (NoSuchFileException e) {
      throw new InputMissingException(
          "input file "
              + file
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
              + file
              + " of text file stream '"
              + streamName
              + "': "
              + e
              + "; check that the file is readable by this process"
              + fs.advice(file),
          e);
    }
    return lines;
  }

  /** Files cost more to read again than to hold for a batch's other readers. */
  @Override
  public boolean keepsReadParts() {
    return true;
  }

  @Override
  public String partName() {
    return "split";
  }

  /** A split as its file's path and byte range; a passed over file as such. */
  @Override
  public String describe(FilePart part) {
    if (part instanceof FileSplit split) {
      return split.file().path() + " [" + split.start() + ", " + split.end() + ")";
    }
    return ((PassedOverFile) part).name() + " (passed over by a recovery)";
  }

  /** Learns the bytes per line of the files read, which budgets later batches' files. */
  @Override
  public void planRead(List<FilePart> plan, long records) {
    long bytes = 0;
    for (FilePart part : plan) {
      if (part instanceof FileSplit split) {
        bytes += split.end() - split.start();
      }
    }
    lineSizes.observe(bytes, records);
  }

  /**
   * A split as the name, modification time and size of its file, then its byte range; a passed over
   * file as its name. Names are located in this source's directory when decoded, so a plan stays
   * valid for a process that sees the directory under another URI.
   */
  @Override
  public byte[] encode(FilePart part) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      if (part instanceof FileSplit split) {
        out.writeByte(SPLIT);
        ListedFile.writeAll(out, List.of(split.file()));
        out.writeLong(split.start());
        out.writeLong(split.end());
      } else {
        out.writeByte(PASSED_OVER);
        out.writeUTF(((PassedOverFile) part).name());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * A part {@link #encode} wrote.
   *
   * @throws IllegalArgumentException if the bytes are not one
   */
  @Override
  public FilePart decode(byte[] part) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(part))) {
      byte kind = in.readByte();
      FilePart decoded;
      if (kind == SPLIT) {
        List<ListedFile> file = ListedFile.readAll(in, part.length, this::locate);
        if (file.size() != 1) {
          throw new IOException(file.size() + " files in one split");
        }
        decoded = new FileSplit(file.get(0), in.readLong(), in.readLong());
      } else if (kind == PASSED_OVER) {
        decoded = new PassedOverFile(in.readUTF());
      } else {
        throw new IOException("part kind " + kind + " is not one this build reads");
      }
      if (in.available() > 0) {
        throw new IOException(in.available() + " bytes follow the part");
      }
      return decoded;
    } catch (IOException e) {
      throw notAPlan(e);
    }
  }

  private IllegalArgumentException notAPlan(IOException e) {
    return new IllegalArgumentException(
        "the recorded plan of text file stream '"
            + streamName
            + "' is not a list of files ("
            + e.getMessage()
            + "); was the checkpoint written for another graph?",
        e);
  }

  private String locate(String name) {
    return fs.resolve(directory, name);
  }

  /**
   * An earlier build logged a count of files (its first byte 0) or, for batches a recovery skipped,
   * a position (a negative version marker).
   */
  @Override
  public boolean isEarlierPlan(byte[] plan) {
    return plan.length > 0 && plan[0] != 1;
  }

  /**
   * A plan an earlier build logged: the names, modification times and sizes of the batch's files
   * (split as a batch is now), or, for batches a recovery skipped, a position whose ignored names
   * are the files passed over.
   */
  @Override
  public List<FilePart> decodeEarlierPlan(byte[] plan) {
    if (FileStreamPosition.isPosition(plan)) {
      return decodePosition(plan).ignored().stream().<FilePart>map(PassedOverFile::new).toList();
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plan))) {
      List<ListedFile> files = ListedFile.readAll(in, plan.length, this::locate);
      if (in.available() > 0) {
        throw new IOException(in.available() + " bytes follow the last file");
      }
      return List.copyOf(SplitPlanner.plan(files, partitions));
    } catch (IOException e) {
      throw notAPlan(e);
    }
  }

  /** The files {@code plan} reads, each once, in plan order. */
  private static List<ListedFile> files(List<FilePart> plan) {
    Map<String, ListedFile> files = new LinkedHashMap<>();
    for (FilePart part : plan) {
      if (part instanceof FileSplit split) {
        files.putIfAbsent(split.file().name(), split.file());
      }
    }
    return List.copyOf(files.values());
  }

  /**
   * Lists the directory and checks that every file of the plan is in it.
   *
   * @throws InputMissingException naming the first file of the plan that is gone
   * @throws UncheckedIOException naming the directory if it cannot be listed
   */
  @Override
  public void checkReplayable(long batchTime, List<FilePart> plan) {
    Set<String> present = new HashSet<>();
    for (ListedFile f : list()) {
      present.add(f.name());
    }
    for (ListedFile f : files(plan)) {
      if (!present.contains(f.name())) {
        throw new InputMissingException(
            "input file "
                + f.path()
                + " of text file stream '"
                + streamName
                + "' is gone, but batch "
                + batchTime
                + " took it and the recovery must replay that batch: a taken file must stay in the"
                + " directory until a checkpoint covers its batch (use cleanSource, as in"
                + " textFileStream(directory, CleanSource.delete()), to have the stream remove"
                + " files only then). Put the file back",
            new NoSuchFileException(f.path()));
      }
    }
  }

  /**
   * The names the source will not take again: those present at the first start, and the files it
   * took, as listed then, while they are in the directory.
   */
  @Override
  public byte[] position() {
    return new FileStreamPosition(tracker.ignoredNames(), tracker.takenFiles()).toBytes();
  }

  /**
   * Resumes watching: names in the position or in a replayed plan are not taken again, and every
   * other file in the directory, including those that arrived while the driver was down, is new.
   *
   * @throws UncheckedIOException naming the directory if it exists but cannot be listed, or its
   *     file system cannot be reached
   */
  @Override
  public void recover(byte[] position, List<List<FilePart>> plansSince) {
    NewFileTracker known = known(position, plansSince);
    list(); // fails here, naming the directory, if its file system cannot be reached
    tracker = known;
    LOG.info(
        "text file stream '{}' resumes watching {}; {} names already taken or ignored",
        streamName,
        directory,
        known.rememberedNames());
  }

  /**
   * What {@code position} and {@code plans} say the stream must not take again: the files of logged
   * plans as taken, the files {@link #unplanned} passed over as ignored.
   */
  private NewFileTracker known(byte[] position, Collection<List<FilePart>> plans) {
    FileStreamPosition decoded = decodePosition(position);
    List<String> ignored = new ArrayList<>(decoded.ignored());
    List<ListedFile> taken = new ArrayList<>(decoded.taken());
    for (List<FilePart> plan : plans) {
      taken.addAll(files(plan));
      for (FilePart part : plan) {
        if (part instanceof PassedOverFile passed) {
          ignored.add(passed.name());
        }
      }
    }
    return NewFileTracker.remembering(ignored, taken);
  }

  private FileStreamPosition decodePosition(byte[] bytes) {
    try {
      return FileStreamPosition.fromBytes(bytes, this::locate);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "the checkpointed position of text file stream '"
              + streamName
              + "' cannot be read ("
              + e.getMessage()
              + "); was the checkpoint written for another graph?",
          e);
    }
  }

  /**
   * The files the directory holds that neither the position nor any logged batch took, modified no
   * later than {@code lastTime}, and which the next logged batch passed over: it took files in
   * order of modification time then name, so one it did not take although it was new and ordered
   * before the last file it took was not new to it; such a file was taken by the missing batches. A
   * new file ordered after that last one may instead have been held back by a batch's file budget
   * ({@code maxFilesPerBatch}, backpressure); it is left for later batches, and the skip is then
   * uncertain. (A file that appeared only after the last logged batch listed the directory,
   * carrying an older modification time, would be taken for one of theirs: write files elsewhere
   * and move them in at once, as the class comment asks.)
   */
  @Override
  public Unplanned<FilePart> unplanned(
      long firstTime,
      long lastTime,
      byte[] position,
      NavigableMap<Long, List<FilePart>> plansSince) {
    // What the missing batches had taken is passed on as files passed over, not as taken files:
    // no batch read them, so cleanSource leaves them where they are.
    List<FilePart> none = List.of();
    Map.Entry<Long, List<FilePart>> next = plansSince.higherEntry(lastTime);
    if (next == null) {
      return new Unplanned<>(
          none,
          "nothing: the files they had taken are new to the stream again, and the batches planned"
              + " in their place take them",
          SkippedInput.Extent.NOTHING);
    }
    List<ListedFile> candidates =
        known(position, plansSince.values()).select(list(), lastTime, List::size);
    ListedFile lastTakenNext =
        files(next.getValue()).stream().max(NewFileTracker.BY_TIME_THEN_NAME).orElse(null);
    List<ListedFile> skipped = new ArrayList<>();
    List<ListedFile> heldBack = new ArrayList<>();
    for (ListedFile f : candidates) {
      boolean passedOver =
          lastTakenNext == null || NewFileTracker.BY_TIME_THEN_NAME.compare(f, lastTakenNext) < 0;
      (passedOver ? skipped : heldBack).add(f);
    }
    if (skipped.isEmpty() && heldBack.isEmpty()) {
      return new Unplanned<>(none, "nothing: they had taken no file", SkippedInput.Extent.NOTHING);
    }
    StringBuilder description =
        new StringBuilder(describeFiles(skipped))
            .append(" (they stay in the directory, never read; cleanSource leaves them)");
    if (!heldBack.isEmpty()) {
      description
          .append("; left for later batches, since a file budget (maxFilesPerBatch or")
          .append(" backpressure) may have held them back: ")
          .append(describeFiles(heldBack));
    }
    return new Unplanned<>(
        skipped.stream().<FilePart>map(f -> new PassedOverFile(f.name())).toList(),
        description.toString(),
        heldBack.isEmpty() ? SkippedInput.Extent.EXACT : SkippedInput.Extent.UNCERTAIN);
  }

  private static String describeFiles(List<ListedFile> files) {
    if (files.isEmpty()) {
      return "no file";
    }
    long bytes = files.stream().mapToLong(ListedFile::sizeBytes).sum();
    String names =
        files.stream()
            .limit(MAX_NAMED_FILES)
            .map(ListedFile::path)
            .collect(Collectors.joining(", "));
    return files.size()
        + (files.size() == 1 ? " file of " : " files of ")
        + bytes
        + " bytes: "
        + names
        + (files.size() > MAX_NAMED_FILES
            ? " and " + (files.size() - MAX_NAMED_FILES) + " more"
            : "");
  }

  private FileBatchBudget budget(long maxRecords) {
    return new FileBatchBudget(maxFilesPerBatch, maxRecords, lineSizes.bytesPerLine());
  }

  /**
   * The directory, the bytes of the files taken so far, an outage while the directory does not
   * exist, and up to which batch its files may be removed.
   */
  @Override
  public SourceStatus status() {
    OptionalLong removable = inputRemovableUpTo();
    synchronized (statusLock) {
      return new SourceStatus(
          directory,
          null,
          missingSinceMs,
          lastError,
          lastErrorTimeMs,
          null,
          bytesTaken,
          0,
          0,
          removable.isPresent() ? removable.getAsLong() : null);
    }
  }

  /**
   * Records that input up to {@code batchTime} may be removed, and removes the files {@code
   * position} says were taken by then, as {@code cleanSource} says, on the cleaner's thread.
   */
  @Override
  public void checkpointCommitted(long batchTime, byte[] position) {
    List<ListedFile> covered;
    try {
      covered = FileStreamPosition.fromBytes(position, this::locate).taken();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "the committed position of text file stream '"
              + streamName
              + "' cannot be read ("
              + e.getMessage()
              + ")",
          e);
    }
    removableUpTo = Math.max(removableUpTo, batchTime);
    if (cleaner != null) {
      cleaner.covered(batchTime, covered);
    } else {
      LOG.info(
          "text file stream '{}': the input of batches up to {} is covered by a checkpoint and may"
              + " be removed; {} files taken by then are in {} (cleanSource is off)",
          streamName,
          batchTime,
          covered.size(),
          directory);
    }
  }

  /**
   * The newest batch time whose input files may be removed: every batch up to it is covered by the
   * oldest checkpoint generation kept, the one a recovery may fall back to. Files of later batches
   * must stay, as a recovery may replay them.
   */
  @Override
  public OptionalLong inputRemovableUpTo() {
    long upTo = removableUpTo;
    return upTo == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(upTo);
  }

  /**
   * Stops the cleaner, letting a removal under way finish; files are read by the batches' tasks.
   */
  @Override
  public void stop() {
    if (cleaner != null) {
      cleaner.close();
    }
  }

  private List<ListedFile> list() {
    List<ListedFile> listed = new ArrayList<>();
    try {
      for (FileAccess.Entry entry : fs.list(directory)) {
        if (entry.regularFile()) {
          listed.add(
              new ListedFile(entry.location(), entry.name(), entry.modifiedMillis(), entry.size()));
        }
      }
    } catch (NoSuchFileException e) {
      if (!warnedMissing) {
        warnedMissing = true;
        long now = System.currentTimeMillis();
        synchronized (statusLock) {
          missingSinceMs = now;
          lastError = "input directory " + directory + " does not exist";
          lastErrorTimeMs = now;
        }
        LOG.warn(
            "input directory {} of text file stream '{}' does not exist; its batches are empty"
                + " until it is created",
            directory,
            streamName);
      }
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot list input directory "
              + directory
              + " of text file stream '"
              + streamName
              + "': "
              + e
              + "; check that it is a directory readable by this process"
              + fs.advice(directory),
          e);
    }
    if (warnedMissing) {
      warnedMissing = false;
      synchronized (statusLock) {
        missingSinceMs = null;
      }
      LOG.info("input directory {} of text file stream '{}' now exists", directory, streamName);
    }
    return listed;
  }
}
