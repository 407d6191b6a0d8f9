package dev.millrace.runtime.source;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Appends received records to a {@link WriteAheadLog}, one block per call, each flushed ({@link
 * dev.millrace.runtime.fs.FileAccess#createFlushable}, {@code hflush} on HDFS) before {@link
 * #append} returns: on HDFS the block is then in every data node of the pipeline and visible to new
 * readers, on a local disk it is in the operating system's cache. Both survive the death of this
 * process; neither survives losing the machine (local) or every replica at once (HDFS).
 *
 * <p>Rolls to a new segment once the current one reaches the log's segment size. After a failed
 * {@code append} nothing of the block counts: the next call starts a new segment at the same
 * sequence number, superseding whatever part of the block reached the old one.
 *
 * <p>Owned by one thread at a time: created on the generator's thread, then handed to the receiver
 * thread when it starts.
 */
final class WalWriter implements AutoCloseable {
  private final WriteAheadLog log;
  private OutputStream out;
  private long segmentLength;
  private long nextSeq;

  /** A writer whose next record is {@code nextSeq}; call {@link #open} before the first append. */
  WalWriter(WriteAheadLog log, long nextSeq) {
    this.log = log;
    this.nextSeq = nextSeq;
  }

  /** The sequence number the next appended record gets. */
  long nextSeq() {
    return nextSeq;
  }

  /**
   * Creates the segment the next records go to, so that a checkpoint directory that cannot hold the
   * log fails here rather than on the receiver thread.
   */
  void open() throws IOException {
    out = log.createSegment(nextSeq);
    segmentLength = WalSegmentFormat.SEGMENT_HEADER_BYTES;
  }

  /**
   * Writes {@code records} as one block of the log's payload and flushes it; on return they are
   * acknowledged.
   */
  void append(List<?> records) throws IOException {
    if (records.isEmpty()) {
      return;
    }
    if (out == null) {
      open();
    }
    byte[] block = log.payload().encodeBlock(nextSeq, records);
    out.write(block);
    out.flush();
    nextSeq += records.size();
    segmentLength += block.length;
    if (segmentLength >= log.segmentBytes()) {
      // The block is flushed and acknowledged: failing to close the full segment must not make
      // the caller write these lines again under new numbers.
      abandon();
    }
  }

  /**
   * Closes the current segment quietly, after a failure or once it is full; the next append starts
   * a new one.
   */
  void abandon() {
    OutputStream failed = out;
    out = null;
    if (failed != null) {
      try {
        failed.close();
      } catch (IOException e) {
        // What reached the file was flushed already or is superseded by the next segment.
      }
    }
  }

  /** Closes the current segment, if one is open. */
  @Override
  public void close() throws IOException {
    OutputStream open = out;
    out = null;
    if (open != null) {
      open.close();
    }
  }
}
