package dev.millrace.runtime.checkpoint;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One committed, verified checkpoint generation: the named files written for a batch time.
 *
 * <p>The map is unmodifiable and ordered by name; the byte arrays are shared, not copied, so
 * callers must not modify them. Two generations are equal when their batch times, names and file
 * contents are equal.
 *
 * @param batchTime the batch time (epoch milliseconds) the generation was written for
 * @param files file name to contents
 */
public record Generation(long batchTime, Map<String, byte[]> files) {
  /** Copies {@code files} into an unmodifiable map ordered by name. */
  public Generation {
    files = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(files, "files")));
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof Generation that)
        || batchTime != that.batchTime
        || !files.keySet().equals(that.files.keySet())) {
      return false;
    }
    return files.entrySet().stream()
        .allMatch(e -> Arrays.equals(e.getValue(), that.files.get(e.getKey())));
  }

  @Override
  public int hashCode() {
    int hash = Long.hashCode(batchTime);
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      hash = 31 * hash + e.getKey().hashCode() ^ Arrays.hashCode(e.getValue());
    }
    return hash;
  }

  @Override
  public String toString() {
    StringBuilder sizes = new StringBuilder();
    files.forEach(
        (name, bytes) ->
            sizes
                .append(sizes.length() == 0 ? "" : ", ")
                .append(name)
                .append('=')
                .append(bytes.length));
    return "Generation[batchTime=" + batchTime + ", files={" + sizes + "} bytes]";
  }
}
