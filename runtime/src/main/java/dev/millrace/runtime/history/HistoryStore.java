package dev.millrace.runtime.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.runtime.fs.FileAccess;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch history kept in a checkpoint directory, in its {@value #DIRECTORY} directory: files
 * {@code batches-<run>-<sequence>.jsonl}, a header line giving the count of batch lines that follow
 * and one JSON line per batch, oldest first.
 *
 * <p>Every save is a new file, never a rename or an overwrite, so it works alike on every file
 * system (object stores publish a file when it is closed, a local or HDFS file may be cut short by
 * a crash): a reader takes the newest file that is whole, by run then sequence, and a save deletes
 * the older files after its own is closed. A driver of an older run that is still running (one
 * whose lease was taken over) may go on writing files of its run; readers ignore them.
 */
public final class HistoryStore {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryStore.class);

  /** The directory in the checkpoint directory that holds the history. */
  public static final String DIRECTORY = "ui-history";

  private static final int FORMAT = 1;
  private static final Pattern FILE = Pattern.compile("batches-(\\d{10})-(\\d{20})\\.jsonl");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FileAccess files;
  private final String checkpointDir;
  private final String dir;

  private HistoryStore(FileAccess files, String checkpointDir) {
    this.files = files;
    this.checkpointDir = checkpointDir;
    this.dir = files.resolve(checkpointDir, DIRECTORY);
  }

  /**
   * The history of checkpoint directory {@code checkpointDir}, on its file system opened with
   * {@code hadoop}. Connects to nothing yet.
   *
   * @throws IllegalArgumentException naming the directory if it is no valid location
   */
  public static HistoryStore in(String checkpointDir, Configuration hadoop) {
    FileAccess files = FileAccess.forLocation(checkpointDir, hadoop, "checkpoint directory");
    return new HistoryStore(files, files.normalize(checkpointDir));
  }

  /** Where the history's files are. */
  public String location() {
    return dir;
  }

  /** A saved history file's run and sequence, as its name gives them. */
  private record Saved(String name, int run, long sequence) {
    static Optional<Saved> of(String name) {
      Matcher m = FILE.matcher(name);
      return m.matches()
          ? Optional.of(new Saved(name, Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))))
          : Optional.empty();
    }
  }

  private static final Comparator<Saved> NEWEST_FIRST =
      Comparator.comparingInt(Saved::run).thenComparingLong(Saved::sequence).reversed();

  /**
   * The batches of the newest whole history file, oldest first; none if there is no history yet. A
   * file cut short or unreadable is skipped for the one before it, with a warning.
   *
   * @throws IOException if the directory cannot be listed
   */
  public List<BatchSummary> load() throws IOException {
    List<Saved> saved = saved();
    for (Saved file : saved) {
      String location = files.resolve(dir, file.name());
      try {
        Optional<List<BatchSummary>> batches = read(location);
        if (batches.isPresent()) {
          return batches.get();
        }
        LOG.warn(
            "batch history file {} is cut short (a crash while saving); using the one before",
            location);
      } catch (IOException | RuntimeException e) {
        LOG.warn(
            "cannot read batch history file {}: {}; using the one before", location, e.toString());
      }
    }
    return List.of();
  }

  /**
   * A history of at most {@code retained} batches for driver attempt {@code attempt}, starting with
   * the batches saved here; empty, with a warning, when they cannot be read: the history is for
   * people to look at and never keeps a driver from starting.
   */
  public BatchHistory restore(int retained, int attempt) {
    List<BatchSummary> earlier;
    try {
      earlier = load();
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "cannot read the batch history in {}: {}; the UI shows this attempt's batches only",
          dir,
          e.toString());
      earlier = List.of();
    }
    BatchHistory history = new BatchHistory(retained, attempt, earlier);
    if (!earlier.isEmpty()) {
      LOG.info(
          "the UI shows {} batches of earlier driver runs from {}; this is run {}",
          earlier.size(),
          dir,
          history.run());
    }
    return history;
  }

  private List<Saved> saved() throws IOException {
    List<String> names;
    try {
      names = files.names(dir);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    List<Saved> saved = new ArrayList<>();
    for (String name : names) {
      Saved.of(name).ifPresent(saved::add);
    }
    saved.sort(NEWEST_FIRST);
    return saved;
  }

  private Optional<List<BatchSummary>> read(String location) throws IOException {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(files.open(location, 0), StandardCharsets.UTF_8))) {
      String header = in.readLine();
      if (header == null) {
        return Optional.empty();
      }
      Header h = JSON.readValue(header, Header.class);
      if (h.format() != FORMAT) {
        throw new IOException(
            "format " + h.format() + " is not this version's " + FORMAT + " (a newer Millrace?)");
      }
      List<BatchSummary> batches = new ArrayList<>(h.batches());
      for (int i = 0; i < h.batches(); i++) {
        String line = in.readLine();
        if (line == null) {
          return Optional.empty();
        }
        try {
          batches.add(JSON.readValue(line, BatchSummary.class));
        } catch (JsonProcessingException e) {
          // The last line of a file cut short mid-line.
          return Optional.empty();
        }
      }
      return Optional.of(batches);
    }
  }

  /** The first line of a history file. */
  private record Header(int format, int batches) {}

  /**
   * Saves {@code batches} as the {@code sequence}-th file of run {@code run}, then deletes the
   * files it replaces (this run's earlier ones and every earlier run's). Does nothing while the
   * checkpoint directory does not exist: the engine creates it, and a directory made here first
   * would look like a damaged checkpoint.
   *
   * @return whether it saved
   * @throws IOException if the file cannot be written
   */
  public boolean save(int run, long sequence, List<BatchSummary> batches) throws IOException {
    if (!files.exists(checkpointDir)) {
      return false;
    }
    ByteArrayOutputStream text = new ByteArrayOutputStream(128 + batches.size() * 160);
    text.write(JSON.writeValueAsBytes(new Header(FORMAT, batches.size())));
    text.write('\n');
    for (BatchSummary batch : batches) {
      text.write(JSON.writeValueAsBytes(batch));
      text.write('\n');
    }
    files.createDirectories(dir);
    String name = String.format("batches-%010d-%020d.jsonl", run, sequence);
    try (OutputStream out = files.create(files.resolve(dir, name))) {
      text.writeTo(out);
    }
    for (Saved old : saved()) {
      if (!old.name().equals(name) && old.run() <= run) {
        files.deleteRecursively(files.resolve(dir, old.name()));
      }
    }
    return true;
  }
}
