package dev.millrace.runtime.state;

import dev.millrace.runtime.checkpoint.CheckpointStore;
import java.util.List;

/**
 * A state partition its owning executor wrote for a checkpoint generation: the file, as the
 * generation names it (length and CRC32), and the keys it holds.
 *
 * @param file the part file's length and CRC32
 * @param keys the keys in the partition; -1 if the executor did not say
 */
public record OwnedPart(CheckpointStore.StatePart file, long keys) {

  /** The files of {@code parts}, in order: what the generation's reference names. */
  public static List<CheckpointStore.StatePart> files(List<OwnedPart> parts) {
    return parts.stream().map(OwnedPart::file).toList();
  }

  /** The keys of all {@code parts}; -1 if any did not say. */
  public static long keys(List<OwnedPart> parts) {
    long keys = 0;
    for (OwnedPart part : parts) {
      if (part.keys() < 0) {
        return -1;
      }
      keys += part.keys();
    }
    return keys;
  }

  /** The bytes of all {@code parts}' files. */
  public static long bytes(List<OwnedPart> parts) {
    return parts.stream().mapToLong(p -> p.file().length()).sum();
  }
}
