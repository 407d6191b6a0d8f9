package dev.millrace.yarn;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an ApplicationMaster attempt keeps its {@link AmLedger} for the next one: the staging
 * directory's {@link StagingDirectory#LEDGER}. It is rewritten when what it says has changed, and
 * at least every {@link #PROGRESS_INTERVAL} while only batch progress moves, so the file system is
 * not written every batch. A ledger that cannot be read or written is logged and lived without: the
 * application runs on, and a new attempt restarts the driver from its checkpoint instead of
 * adopting it. Owned by the supervision thread.
 */
final class LedgerStore {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerStore.class);

  /** How often the ledger is rewritten when only clocks and batch progress have changed. */
  static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);

  private final StagingDirectory staging;
  private AmLedger written;
  private Instant writtenAt = Instant.MIN;

  LedgerStore(StagingDirectory staging) {
    this.staging = staging;
  }

  /** The ledger a previous attempt left, if any could be read. */
  Optional<AmLedger> read() {
    try {
      Optional<byte[]> bytes = staging.read(StagingDirectory.LEDGER);
      if (bytes.isPresent()) {
        return Optional.of(AmLedger.fromJson(bytes.get()));
      }
      return Optional.empty();
    } catch (IOException e) {
      LOG.warn(
          "cannot read the ledger {} ({}); starting supervision afresh: the driver restarts from"
              + " its checkpoint",
          staging.uri(StagingDirectory.LEDGER),
          e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Writes {@code ledger}, as of {@code time}, if it is due. A write that fails is tried again on
   * the next call.
   */
  void keep(AmLedger ledger, Instant time) {
    boolean due =
        written == null
            || !ledger.sameButProgress(written)
            || !time.isBefore(writtenAt.plus(PROGRESS_INTERVAL));
    if (!due) {
      return;
    }
    try {
      staging.publish(StagingDirectory.LEDGER, ledger.toJson());
      written = ledger;
      writtenAt = time;
    } catch (IOException e) {
      LOG.warn(
          "cannot write the ledger {}: {}; a restarted ApplicationMaster would restart the driver"
              + " from its checkpoint instead of adopting it",
          staging.uri(StagingDirectory.LEDGER),
          e.toString());
    }
  }
}
