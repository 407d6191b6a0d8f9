package dev.millrace.runtime.checkpoint;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the lease file of one epoch says: which driver took the checkpoint directory's lease, when,
 * for how long a silence, and why it could. Written once, when the epoch is created, and never
 * changed; renewals are separate marker files (see {@link CheckpointLayout}).
 *
 * <p>Stored as UTF-8 {@code key=value} lines ending with {@code end=}, so that {@code cat} shows it
 * and a reader can tell a file still being written from a complete one.
 *
 * @param epoch the lease epoch: the highest epoch in the directory holds the lease
 * @param driver the driver that holds it
 * @param acquiredAtMillis when it took the lease, on its clock
 * @param timeoutMillis how long without a renewal before the lease lapses; the holder renews well
 *     within it
 * @param takeover why the driver could take the lease (a free directory, a released lease, a newer
 *     attempt of the same supervisor, a lapsed lease, a holder process that is gone)
 */
public record LeaseHolder(
    long epoch, LeaseClaimant driver, long acquiredAtMillis, long timeoutMillis, String takeover) {
  private static final int FORMAT_VERSION = 1;
  private static final String END = "\nend=\n";
  private static final List<String> KEYS =
      List.of(
          "formatVersion",
          "epoch",
          "host",
          "machine",
          "pid",
          "processStartMillis",
          "attempt",
          "supervisionId",
          "acquiredAtMillis",
          "timeoutMillis",
          "takeover",
          "end");

  /** Rejects nulls. */
  public LeaseHolder {
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(takeover, "takeover");
  }

  /** When the lease lapses if it is last renewed at {@code renewedAtMillis}. */
  public long lapsesAt(long renewedAtMillis) {
    return renewedAtMillis + timeoutMillis;
  }

  /**
   * For messages: {@code host vm, pid 4242, attempt 3 of supervisor run-1f2e, holding it since
   * 2026-12-07T10:00:00Z (epoch 7)}.
   */
  public String describe() {
    return driver.describe()
        + ", holding it since "
        + Instant.ofEpochMilli(acquiredAtMillis)
        + " (lease epoch "
        + epoch
        + ")";
  }

  byte[] toBytes() {
    return new KeyValueLines()
        .add("formatVersion", FORMAT_VERSION)
        .add("epoch", epoch)
        .add("host", driver.host())
        .add("machine", driver.machine())
        .add("pid", driver.pid())
        .add("processStartMillis", driver.processStartMillis())
        .add("attempt", driver.attempt())
        .add("supervisionId", driver.supervisionId())
        .add("acquiredAtMillis", acquiredAtMillis)
        .add("timeoutMillis", timeoutMillis)
        .add("takeover", takeover)
        .add("end", "")
        .toBytes();
  }

  /**
   * Decodes a lease file.
   *
   * @throws MalformedFileException if it is incomplete (its writer may still be writing it),
   *     malformed, or of a newer format
   */
  static LeaseHolder fromBytes(byte[] bytes) throws MalformedFileException {
    // Checked first: a file read while its writer is still writing it ends anywhere, often in the
    // middle of a line.
    if (!new String(bytes, StandardCharsets.UTF_8).endsWith(END)) {
      throw new MalformedFileException("it does not end with the line end=: incomplete");
    }
    Map<String, String> values = new HashMap<>();
    for (Map.Entry<String, String> e : KeyValueLines.parse(bytes)) {
      if (!KEYS.contains(e.getKey())) {
        throw new MalformedFileException("unknown key '" + e.getKey() + "'");
      }
      values.put(e.getKey(), e.getValue());
    }
    for (String key : KEYS) {
      if (!values.containsKey(key)) {
        throw new MalformedFileException(key + " is missing");
      }
    }
    int version = KeyValueLines.parseInt(values.get("formatVersion"), "formatVersion");
    if (version > FORMAT_VERSION) {
      throw new MalformedFileException(
          "it has format version " + version + ", written by a newer Millrace");
    }
    return new LeaseHolder(
        KeyValueLines.parseLong(values.get("epoch"), "epoch"),
        new LeaseClaimant(
            values.get("host"),
            values.get("machine"),
            KeyValueLines.parseLong(values.get("pid"), "pid"),
            KeyValueLines.parseLong(values.get("processStartMillis"), "processStartMillis"),
            KeyValueLines.parseInt(values.get("attempt"), "attempt"),
            values.get("supervisionId")),
        KeyValueLines.parseLong(values.get("acquiredAtMillis"), "acquiredAtMillis"),
        KeyValueLines.parseLong(values.get("timeoutMillis"), "timeoutMillis"),
        values.get("takeover"));
  }
}
