package dev.millrace.runtime.checkpoint;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The {@code _MANIFEST} that commits a generation: its format version, batch time, and the length
 * and CRC32 of every file. A generation without one was never committed; a file that does not match
 * its entry is corrupt. Pure: no I/O.
 */
record GenerationManifest(int formatVersion, long batchTime, Map<String, FileEntry> files) {

  /** Length and CRC32 of one file of a generation. */
  record FileEntry(long length, long crc32) {}

  GenerationManifest {
    files = Collections.unmodifiableMap(new TreeMap<>(files));
  }

  static GenerationManifest describe(long batchTime, Map<String, byte[]> contents) {
    Map<String, FileEntry> entries = new TreeMap<>();
    contents.forEach((name, bytes) -> entries.put(name, new FileEntry(bytes.length, crc32(bytes))));
    return new GenerationManifest(AppManifest.CURRENT_FORMAT_VERSION, batchTime, entries);
  }

  /** Why {@code content} is not the file this manifest lists under {@code name}, if it is not. */
  Optional<String> mismatch(String name, byte[] content) {
    FileEntry expected = files.get(name);
    if (content.length != expected.length()) {
      return Optional.of(
          "length " + content.length + " bytes, the manifest says " + expected.length());
    }
    long crc = crc32(content);
    if (crc != expected.crc32()) {
      return Optional.of(
          "CRC32 "
              + Long.toHexString(crc)
              + ", the manifest says "
              + Long.toHexString(expected.crc32()));
    }
    return Optional.empty();
  }

  byte[] toBytes() {
    KeyValueLines lines =
        new KeyValueLines().add("formatVersion", formatVersion).add("batchTime", batchTime);
    files.forEach(
        (name, entry) ->
            lines.add("file", entry.length() + "," + Long.toHexString(entry.crc32()) + "," + name));
    return lines.toBytes();
  }

  /**
   * Decodes a manifest; {@code path} only names the file in messages.
   *
   * @throws UnsupportedCheckpointVersionException if it was written by a newer Millrace
   */
  static GenerationManifest fromBytes(byte[] bytes, String path) throws MalformedFileException {
    List<Map.Entry<String, String>> entries = KeyValueLines.parse(bytes);
    if (entries.size() < 2
        || !entries.get(0).getKey().equals("formatVersion")
        || !entries.get(1).getKey().equals("batchTime")) {
      throw new MalformedFileException("it does not start with formatVersion= and batchTime=");
    }
    int version = KeyValueLines.parseInt(entries.get(0).getValue(), "formatVersion");
    if (version > AppManifest.CURRENT_FORMAT_VERSION) {
      throw new UnsupportedCheckpointVersionException(
          path, version, AppManifest.CURRENT_FORMAT_VERSION);
    }
    long batchTime = KeyValueLines.parseLong(entries.get(1).getValue(), "batchTime");
    Map<String, FileEntry> files = new TreeMap<>();
    for (Map.Entry<String, String> e : entries.subList(2, entries.size())) {
      String[] parts = e.getValue().split(",", 3);
      if (!e.getKey().equals("file") || parts.length != 3) {
        throw new MalformedFileException("expected file=<length>,<crc32>,<name>: " + e);
      }
      try {
        files.put(
            parts[2],
            new FileEntry(Long.parseLong(parts[0]), Long.parseUnsignedLong(parts[1], 16)));
      } catch (NumberFormatException ex) {
        throw new MalformedFileException("bad length or CRC32 in " + e);
      }
    }
    return new GenerationManifest(version, batchTime, files);
  }

  static long crc32(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }
}
