package dev.millrace.runtime.source;

import dev.millrace.runtime.checkpoint.CheckpointException;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.ListDataset;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log of a receiving input's records ({@link WriteAheadLog} under the checkpoint
 * directory): the receiver appends each group of records before storing it, which is what
 * acknowledges them; a batch's replay and a recovery read ranges back; committed checkpoints delete
 * the segments before them.
 *
 * @param <T> record type
 */
final class ReceivedRecordLog<T> {
  private static final Logger LOG = LoggerFactory.getLogger(ReceivedRecordLog.class);
  private static final int MAX_PRESIZE = 4096;

  private final WriteAheadLog log;
  private final String stream;
  private final String recordNoun;
  // Created on the generator's thread before the receiver starts, then owned by the receiver.
  private WalWriter writer;
  // Receiver thread only: the sequence number after the last record handed to the ledger.
  private long publishedSeq;

  /**
   * The log {@code log} of the input {@code stream} names in messages, which calls a record a
   * {@code recordNoun} ({@code line}, {@code record}) when it counts them for an operator.
   */
  ReceivedRecordLog(WriteAheadLog log, String stream, String recordNoun) {
    this.log = log;
    this.stream = stream;
    this.recordNoun = recordNoun;
  }

  String directory() {
    return log.directory();
  }

  /**
   * Opens the writer for a fresh start, after whatever an earlier run left in the log, and returns
   * the sequence number the first record of this run gets.
   */
  long startAfterEarlierLog() {
    long end = endOfEarlierLog();
    openWriter(end);
    publishedSeq = end;
    return end;
  }

  /** Appends {@code records} as one block and flushes it: they are acknowledged once it returns. */
  void append(List<? extends T> records) throws IOException {
    writer.append(records);
  }

  /** Gives up the block being written: the next append starts a new segment at the same number. */
  void abandonBlock() {
    writer.abandon();
  }

  /** The records appended so far have reached the ledger. */
  void published() {
    publishedSeq = writer.nextSeq();
  }

  /** How many appended (acknowledged) records have not reached the ledger. */
  long unpublishedRecords() {
    return writer.nextSeq() - publishedSeq;
  }

  /**
   * Where a fresh start continues numbering: after whatever an earlier run left in the log, which
   * no batch of this run reads and the first checkpoint deletes.
   */
  private long endOfEarlierLog() {
    try {
      List<WriteAheadLog.Segment> segments = log.segments();
      if (segments.isEmpty()) {
        return 0;
      }
      WriteAheadLog.LogRead read =
          log.read(
              segments.get(segments.size() - 1).firstSeq(), Long.MAX_VALUE, (seq, record) -> {});
      read.damage()
          .ifPresent(
              d ->
                  LOG.warn(
                      "the write-ahead log of {} left by an earlier run ends in a damaged block"
                          + " ({}); the new run does not read it",
                      stream,
                      d.describe()));
      LOG.info(
          "{} starts afresh: its write-ahead log {} holds {} records of an earlier run that no"
              + " batch will read; they are deleted after the first checkpoint",
          stream,
          log.directory(),
          read.endSeq());
      return read.endSeq();
    } catch (IOException e) {
      throw logFailure("read", e);
    }
  }

  private void openWriter(long nextSeq) {
    WalWriter opened = new WalWriter(log, nextSeq);
    try {
      opened.open();
    } catch (IOException e) {
      throw logFailure("create a segment of", e);
    }
    writer = opened;
  }

  private CheckpointException logFailure(String action, IOException e) {
    return new CheckpointException(
        stream
            + " could not "
            + action
            + " its write-ahead log "
            + log.directory()
            + ": "
            + e
            + ". Check that the checkpoint directory's file system is reachable and that this"
            + " process may read and write it.",
        e);
  }

  void closeWriter() {
    if (writer == null) {
      return;
    }
    try {
      writer.close();
    } catch (IOException e) {
      // Every acknowledged block was flushed before; closing adds nothing a reader needs.
      LOG.debug("closing the write-ahead log of {} failed", stream, e);
    }
  }

  /**
   * The records of the plan's range, read back from the write-ahead log.
   *
   * @throws CorruptWriteAheadLogException if the log no longer holds every record of the range
   * @throws IllegalArgumentException if the plan is not one this source wrote
   */
  Dataset<T> replay(long batchTime, byte[] plan, int partitions) {
    WalRange range = decode(() -> WalRange.fromBytes(plan), "recorded plan of batch " + batchTime);
    List<T> records = new ArrayList<>((int) Math.min(range.size(), MAX_PRESIZE));
    WriteAheadLog.LogRead read;
    try {
      read = log.<T>read(range.from(), range.to(), (seq, record) -> records.add(record));
    } catch (IOException e) {
      throw logFailure("read", e);
    }
    if (read.endSeq() < range.to()) {
      throw lost("batch " + batchTime + " took", range.from(), range.to(), read);
    }
    return ListDataset.sliced(records, partitions);
  }

  /**
   * Positions the next take after the snapshot and the plans, buffers the acknowledged records the
   * log holds beyond that (received before the crash, taken by no batch) for it, and starts the
   * writer on a new log segment, for the receiver. A torn last block, which the crash cut short and
   * so was never acknowledged, is skipped with a warning.
   *
   * @throws CorruptWriteAheadLogException if the log lacks acknowledged records or is damaged
   * @throws IllegalArgumentException if the snapshot or a plan is not one this source wrote
   */
  void recover(
      long nextBatchTime,
      byte[] snapshot,
      List<byte[]> plansSince,
      ReceivedRecordLedger<T> ledger) {
    long position = decode(() -> WalRange.position(snapshot), "checkpointed position");
    for (byte[] plan : plansSince) {
      position = Math.max(position, decode(() -> WalRange.fromBytes(plan), "recorded plan").to());
    }
    List<T> unplanned = new ArrayList<>();
    WriteAheadLog.LogRead read;
    try {
      read = log.<T>read(position, Long.MAX_VALUE, (seq, record) -> unplanned.add(record));
    } catch (IOException e) {
      throw logFailure("read", e);
    }
    if (read.endSeq() < position) {
      throw lost("the checkpoint and batch plans took", read.endSeq(), position, read);
    }
    if (read.damage().isPresent()) {
      WriteAheadLog.Damage damage = read.damage().get();
      if (!damage.torn() || !damage.newestSegment()) {
        throw lost("the receiver acknowledged", read.endSeq(), Long.MAX_VALUE, read);
      }
      LOG.warn(
          "the write-ahead log of {} ends in a block the crash cut short ({}); its records were"
              + " never acknowledged and are skipped",
          stream,
          damage.describe());
    }
    ledger.restore(unplanned, position);
    openWriter(read.endSeq());
    publishedSeq = read.endSeq();
    LOG.info(
        "{} recovered its write-ahead log {}: batch {} takes from record {}, starting with {}"
            + " records received before the restart",
        stream,
        log.directory(),
        nextBatchTime,
        position,
        unplanned.size());
  }

  /**
   * The records of the write-ahead log between the range the batch before them took (or the
   * snapshot's position) and the range of the batch after them: exactly what they had taken, since
   * batches take consecutive ranges.
   */
  SkippedInput unplanned(
      long firstTime, long lastTime, byte[] snapshot, NavigableMap<Long, byte[]> plansSince) {
    Map.Entry<Long, byte[]> before = plansSince.lowerEntry(firstTime);
    long from =
        before == null
            ? decode(() -> WalRange.position(snapshot), "checkpointed position")
            : decode(() -> WalRange.fromBytes(before.getValue()), "recorded plan").to();
    Map.Entry<Long, byte[]> after = plansSince.higherEntry(lastTime);
    if (after == null) {
      return new SkippedInput(
          new WalRange(from, from).toBytes(),
          "nothing: the "
              + recordNoun
              + "s they had taken, from record "
              + from
              + " of the write-ahead log on, are taken again by the batches planned in their place",
          SkippedInput.Extent.NOTHING);
    }
    WalRange range =
        new WalRange(
            from, decode(() -> WalRange.fromBytes(after.getValue()), "recorded plan").from());
    if (range.size() == 0) {
      return new SkippedInput(
          range.toBytes(), "nothing: they had taken no " + recordNoun, SkippedInput.Extent.NOTHING);
    }
    return new SkippedInput(
        range.toBytes(),
        range.size()
            + " "
            + recordNoun
            + (range.size() == 1 ? "" : "s")
            + " (records "
            + range.from()
            + " to "
            + (range.to() - 1)
            + " of the write-ahead log "
            + log.directory()
            + ")",
        SkippedInput.Extent.EXACT);
  }

  /** Deletes the log segments that hold only records before {@code snapshot}'s position. */
  void checkpointCommitted(long batchTime, byte[] snapshot) {
    long position = decode(() -> WalRange.position(snapshot), "committed position");
    try {
      int deleted = log.deleteBefore(position);
      LOG.debug(
          "{} deleted {} write-ahead log segments before record {}", stream, deleted, position);
    } catch (IOException e) {
      LOG.warn(
          "{} could not delete old segments of its write-ahead log {} ({}); will retry after the"
              + " next checkpoint",
          stream,
          log.directory(),
          e.toString());
    }
  }

  private <V> V decode(Supplier<V> decoder, String what) {
    try {
      return decoder.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the "
              + what
              + " of "
              + stream
              + " cannot be read as a write-ahead log position or range ("
              + e.getMessage()
              + "); was the checkpoint written for another graph?",
          e);
    }
  }

  private CorruptWriteAheadLogException lost(
      String whoHadThem, long from, long to, WriteAheadLog.LogRead read) {
    String where =
        read.damage()
            .map(WriteAheadLog.Damage::describe)
            .orElse("the newest segment ends at record " + read.endSeq());
    return new CorruptWriteAheadLogException(
        "The write-ahead log "
            + log.directory()
            + " of "
            + stream
            + " lacks records "
            + from
            + (to == Long.MAX_VALUE ? " on" : " to " + (to - 1))
            + ", which "
            + whoHadThem
            + ": "
            + where
            + ". The segment was damaged or deleted after it was written. Restore the checkpoint"
            + " directory from a backup, or truncate the segment before the damaged block to"
            + " accept losing those records, or start from an empty checkpoint directory (the"
            + " application's state is then lost).");
  }
}
