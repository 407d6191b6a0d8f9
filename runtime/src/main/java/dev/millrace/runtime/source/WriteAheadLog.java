package dev.millrace.runtime.source;

import dev.millrace.runtime.fs.FileAccess;
import dev.millrace.runtime.fs.FlushUnsupportedException;
import dev.millrace.runtime.source.WalSegmentFormat.RecordSink;
import dev.millrace.runtime.source.WalSegmentFormat.SegmentEnd;
import dev.millrace.runtime.source.WalSegmentFormat.SegmentRead;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log of one receiving input (a socket stream, an application's receiver): a
 * directory of segment files in {@link WalSegmentFormat}, each named after the sequence number of
 * its first record.
 *
 * <p>Segments form a chain: a segment holds the records from its own first number up to the first
 * number of the next segment. Anything a segment holds beyond that was written by a writer that
 * failed or crashed before the flush that would have acknowledged it, and the next segment holds
 * those numbers again, as acknowledged by its own writer.
 *
 * <p>Reading, listing and deleting are safe from any thread while one {@link WalWriter} appends.
 */
final class WriteAheadLog {
  private static final Logger LOG = LoggerFactory.getLogger(WriteAheadLog.class);

  /** The size at which a segment is full and the writer rolls to a new one: 64 MiB. */
  static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

  private static final Pattern SEGMENT_NAME = Pattern.compile("(\\d{20})\\.wal");

  private final FileAccess files;
  private final String directory;
  private final String stream;
  private final long segmentBytes;
  private final WalSegmentFormat.Payload payload;

  /** A segment file and the sequence number of its first record. */
  record Segment(long firstSeq, String location) {}

  /**
   * Damage met by a {@link #read}: the segment, the offset of the bad block, whether it is a torn
   * write (the file ends inside the block) rather than corruption, and whether the segment is the
   * newest, the one a crash may have cut short.
   */
  record Damage(String segment, long offset, boolean torn, boolean newestSegment, String detail) {
    String describe() {
      return segment + " at offset " + offset + ": " + detail;
    }
  }

  /**
   * How far a {@link #read} got: the number after the last record it handed over (contiguous from
   * where it started), and the damage that stopped it, if any.
   */
  record LogRead(long endSeq, Optional<Damage> damage) {}

  /**
   * A log in {@code directory}, a location of {@code files} two levels below the checkpoint
   * directory, of the input {@code stream} names in messages (e.g. {@code socket text stream
   * 'app-host:9999'}), rolling to a new segment once one reaches {@code segmentBytes}, whose new
   * segments hold {@code payload} blocks.
   */
  WriteAheadLog(
      FileAccess files,
      String directory,
      String stream,
      long segmentBytes,
      WalSegmentFormat.Payload payload) {
    if (segmentBytes < 1) {
      throw new IllegalArgumentException(
          "write-ahead log segments of " + stream + " need at least 1 byte, got " + segmentBytes);
    }
    this.files = files;
    this.directory = directory;
    this.stream = stream;
    this.segmentBytes = segmentBytes;
    this.payload = payload;
  }

  /** How the blocks of the segments this log creates hold their records. */
  WalSegmentFormat.Payload payload() {
    return payload;
  }

  String directory() {
    return directory;
  }

  long segmentBytes() {
    return segmentBytes;
  }

  /** The segments in the directory, oldest first; none if the directory does not exist yet. */
  List<Segment> segments() throws IOException {
    List<FileAccess.Entry> entries;
    try {
      entries = files.list(directory);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    List<Segment> segments = new ArrayList<>();
    for (FileAccess.Entry entry : entries) {
      Matcher m = SEGMENT_NAME.matcher(entry.name());
      if (m.matches() && entry.regularFile()) {
        segments.add(new Segment(Long.parseLong(m.group(1)), entry.location()));
      }
    }
    segments.sort(Comparator.comparingLong(Segment::firstSeq));
    return segments;
  }

  /**
   * Hands {@code sink} the records from {@code from} (inclusive) to {@code to} (exclusive, {@link
   * Long#MAX_VALUE} for all), in order, reading only the segments that can hold them. Stops early
   * at the end of the newest segment, or at damage that leaves a hole before {@code to}.
   */
  <T> LogRead read(long from, long to, RecordSink<T> sink) throws IOException {
    List<Segment> segments = segments();
    long seq = from;
    for (int i = 0; i < segments.size() && seq < to; i++) {
      Segment segment = segments.get(i);
      boolean newest = i == segments.size() - 1;
      long bound = newest ? Long.MAX_VALUE : segments.get(i + 1).firstSeq();
      if (bound <= seq) {
        continue;
      }
      if (segment.firstSeq() > seq) {
        return new LogRead(
            seq,
            Optional.of(
                new Damage(
                    segment.location(),
                    0,
                    false,
                    newest,
                    "no segment holds records "
                        + seq
                        + " to "
                        + (segment.firstSeq() - 1)
                        + "; the segment holding them was deleted or never written")));
      }
      SegmentRead segmentRead;
      try (InputStream in = files.open(segment.location(), 0)) {
        segmentRead = WalSegmentFormat.read(in, segment.firstSeq(), seq, Math.min(to, bound), sink);
      }
      seq = segmentRead.endSeq();
      Optional<Damage> damage = damage(segment, newest, segmentRead);
      if (newest) {
        return new LogRead(seq, damage);
      }
      if (seq < bound && seq < to) {
        return new LogRead(
            seq,
            Optional.of(
                damage.orElse(
                    new Damage(
                        segment.location(),
                        segmentRead.endOffset(),
                        false,
                        false,
                        "the segment ends at record "
                            + seq
                            + " but the next one starts at record "
                            + bound))));
      }
      damage.ifPresent(
          d ->
              LOG.debug(
                  "write-ahead log segment {} of {} ends in a write that was never acknowledged,"
                      + " superseded by the next segment: {}",
                  segment.location(),
                  stream,
                  d.describe()));
    }
    return new LogRead(seq, Optional.empty());
  }

  private static Optional<Damage> damage(Segment segment, boolean newest, SegmentRead read) {
    if (read.end() instanceof SegmentEnd.Torn t) {
      return Optional.of(new Damage(segment.location(), t.offset(), true, newest, t.detail()));
    }
    if (read.end() instanceof SegmentEnd.Corrupt c) {
      return Optional.of(new Damage(segment.location(), c.offset(), false, newest, c.detail()));
    }
    return Optional.empty();
  }

  /**
   * Creates the segment whose first record is {@code firstSeq}, with its header written and
   * flushed. A segment of that name left by an earlier writer holds no acknowledged record (its
   * writer acknowledged nothing from {@code firstSeq} on) and is replaced.
   *
   * @throws WriteAheadLogUnsupportedException if the file system cannot flush an open file
   */
  OutputStream createSegment(long firstSeq) throws IOException {
    String checkpoint = files.parent(files.parent(directory));
    // A checkpoint directory deleted under the running driver stays deleted: the driver stops at
    // its next batch, and until then the receiver retries instead of making the directory again.
    if (!files.exists(checkpoint)) {
      throw new FileNotFoundException(
          "checkpoint directory " + checkpoint + " is gone; not making it again for this log");
    }
    files.createDirectories(directory);
    String segment = segmentLocation(firstSeq);
    // Delete, then create without overwrite: on HDFS, overwriting a file whose dead writer still
    // holds the lease fails, deleting it does not.
    files.deleteRecursively(segment);
    OutputStream out;
    try {
      out = files.createFlushable(segment);
    } catch (FlushUnsupportedException e) {
      throw new WriteAheadLogUnsupportedException(
          "Checkpoint directory "
              + checkpoint
              + " cannot hold the write-ahead log of "
              + stream
              + ": its file system ("
              + e.scheme()
              + ") cannot flush a file that is still open, so received records could not be made"
              + " durable before batches take them. Use an hdfs:// or local checkpoint directory"
              + " (checkpoint.dir, millrace.checkpoint.dir or ssc.checkpoint) for applications that"
              + " read sockets or receivers; s3a:// suits applications whose inputs are files.");
    }
    out.write(payload.segmentHeader());
    out.flush();
    return out;
  }

  /**
   * Deletes the segments whose every record comes before {@code position}; never the newest one,
   * which a writer may still append to. Returns how many were deleted.
   */
  int deleteBefore(long position) throws IOException {
    List<Segment> segments = segments();
    int deleted = 0;
    for (int i = 0; i + 1 < segments.size(); i++) {
      if (segments.get(i + 1).firstSeq() > position) {
        break;
      }
      files.deleteRecursively(segments.get(i).location());
      deleted++;
    }
    return deleted;
  }

  private String segmentLocation(long firstSeq) {
    return files.resolve(directory, String.format("%020d", firstSeq) + WalSegmentFormat.SUFFIX);
  }
}
