package dev.millrace.runtime.source;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Decides which files of a directory listing a batch takes: those not taken before, not present
 * when the stream started, not hidden, and modified no later than the batch time.
 *
 * <p>It remembers names only while the directory still holds them, so its memory is bounded by the
 * directory, not by how long the stream runs; a name that a listing saw gone counts as new when it
 * comes back. It tells the files a batch took (as listed then: a removal of covered input removes
 * only these) from the names it ignores (present at the first start). Owned by the one thread that
 * takes batches.
 */
final class NewFileTracker {
  /** The order in which a batch takes new files. */
  static final Comparator<ListedFile> BY_TIME_THEN_NAME =
      Comparator.comparingLong(ListedFile::modifiedMillis).thenComparing(ListedFile::name);

  private final Set<String> ignored = new HashSet<>();
  private final Map<String, ListedFile> taken = new HashMap<>();

  /** A tracker that will never take the files of {@code existing}, the listing at start. */
  NewFileTracker(Collection<ListedFile> existing) {
    for (ListedFile f : existing) {
      ignored.add(f.name());
    }
  }

  /**
   * A tracker that takes none of {@code ignored} and {@code taken}: the position a checkpoint
   * recorded, and the files of the batches logged after it.
   */
  static NewFileTracker remembering(Collection<String> ignored, Collection<ListedFile> taken) {
    NewFileTracker tracker = new NewFileTracker(List.of());
    tracker.ignored.addAll(ignored);
    for (ListedFile f : taken) {
      tracker.ignored.remove(f.name());
      tracker.taken.put(f.name(), f);
    }
    return tracker;
  }

  /** The names ignored since the first start, sorted. */
  List<String> ignoredNames() {
    return ignored.stream().sorted().toList();
  }

  /** The files taken and still in the directory at the latest listing, sorted by name. */
  List<ListedFile> takenFiles() {
    return taken.values().stream().sorted(Comparator.comparing(ListedFile::name)).toList();
  }

  /**
   * The files of {@code listing} that batch {@code batchTime} takes, ordered by modification time
   * then name; they are never returned again while they stay in the directory.
   */
  List<ListedFile> select(List<ListedFile> listing, long batchTime) {
    return select(listing, batchTime, List::size);
  }

  /**
   * As {@link #select(List, long)}, but of the new files, ordered, the batch takes only the first
   * {@code howMany} says; the others stay new, so later batches take them in the same order.
   */
  List<ListedFile> select(
      List<ListedFile> listing, long batchTime, ToIntFunction<List<ListedFile>> howMany) {
    Set<String> present = new HashSet<>();
    for (ListedFile f : listing) {
      present.add(f.name());
    }
    ignored.retainAll(present);
    taken.keySet().retainAll(present);
    List<ListedFile> candidates =
        listing.stream()
            .filter(f -> !isHidden(f.name()))
            .filter(f -> f.modifiedMillis() <= batchTime)
            .filter(f -> !ignored.contains(f.name()) && !taken.containsKey(f.name()))
            .sorted(BY_TIME_THEN_NAME)
            .toList();
    List<ListedFile> selected = candidates.subList(0, howMany.applyAsInt(candidates));
    for (ListedFile f : selected) {
      taken.put(f.name(), f);
    }
    return selected;
  }

  /** How many names are remembered as taken or present at start. */
  int rememberedNames() {
    return ignored.size() + taken.size();
  }

  /** Writers create files under such names and rename them when complete. */
  static boolean isHidden(String name) {
    return name.startsWith(".") || name.startsWith("_");
  }
}
