package dev.millrace.runtime.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a checkpoint directory belongs to, written once when an application first starts with it:
 * recovery compares it with the graph rebuilt from code before restoring any state.
 *
 * <p>Stored as UTF-8 {@code key=value} lines, one {@code statefulOperator=} line per operator, so
 * an operator can read it with {@code cat}.
 *
 * @param formatVersion the checkpoint format version the directory was written with
 * @param appName the application's name
 * @param batchIntervalMillis the batch interval the application ran with
 * @param zeroTimeMillis the time before the application's first batch: every batch time, before and
 *     after a restart, is this plus a multiple of the batch interval
 * @param statefulOperators names (and shapes) of the stateful operators, in graph order
 */
public record AppManifest(
    int formatVersion,
    String appName,
    long batchIntervalMillis,
    long zeroTimeMillis,
    List<String> statefulOperators) {

  /** The newest checkpoint format version this build writes and reads. */
  public static final int CURRENT_FORMAT_VERSION = 1;

  /** Rejects nulls and copies the operator list. */
  public AppManifest {
    Objects.requireNonNull(appName, "appName");
    statefulOperators = List.copyOf(statefulOperators);
  }

  byte[] toBytes() {
    KeyValueLines lines =
        new KeyValueLines()
            .add("formatVersion", formatVersion)
            .add("appName", appName)
            .add("batchIntervalMillis", batchIntervalMillis)
            .add("zeroTimeMillis", zeroTimeMillis);
    statefulOperators.forEach(name -> lines.add("statefulOperator", name));
    return lines.toBytes();
  }

  /**
   * Decodes a manifest; {@code path} only names the file in messages.
   *
   * @throws UnsupportedCheckpointVersionException if it was written by a newer Millrace
   */
  static AppManifest fromBytes(byte[] bytes, String path) throws MalformedFileException {
    List<Map.Entry<String, String>> entries = KeyValueLines.parse(bytes);
    if (entries.isEmpty() || !entries.get(0).getKey().equals("formatVersion")) {
      throw new MalformedFileException("the first line is not formatVersion=<number>");
    }
    int version = KeyValueLines.parseInt(entries.get(0).getValue(), "formatVersion");
    if (version > CURRENT_FORMAT_VERSION) {
      throw new UnsupportedCheckpointVersionException(path, version, CURRENT_FORMAT_VERSION);
    }
    String appName = null;
    Long interval = null;
    Long zeroTime = null;
    List<String> operators = new ArrayList<>();
    for (Map.Entry<String, String> e : entries.subList(1, entries.size())) {
      switch (e.getKey()) {
        case "appName" -> appName = e.getValue();
        case "batchIntervalMillis" -> interval = KeyValueLines.parseLong(e.getValue(), e.getKey());
        case "zeroTimeMillis" -> zeroTime = KeyValueLines.parseLong(e.getValue(), e.getKey());
        case "statefulOperator" -> operators.add(e.getValue());
        default -> throw new MalformedFileException("unknown key '" + e.getKey() + "'");
      }
    }
    if (appName == null || interval == null || zeroTime == null) {
      throw new MalformedFileException("appName, batchIntervalMillis or zeroTimeMillis is missing");
    }
    return new AppManifest(version, appName, interval, zeroTime, operators);
  }
}
