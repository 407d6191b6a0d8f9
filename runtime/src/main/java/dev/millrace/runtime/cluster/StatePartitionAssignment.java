package dev.millrace.runtime.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which executor session owns each partition of a state. Pure: a partition stays with a live owner;
 * a partition without one goes to the least loaded live session; then partitions move from the most
 * to the least loaded until no session owning one of them is loaded more than one above the least,
 * so a joining executor takes its share and no more moves than that. Load counts the partitions of
 * the other states too ({@code otherLoad}), so several states spread over the executors together
 * instead of each over the first ones. The same inputs give the same answer.
 */
public final class StatePartitionAssignment {
  /** No owner. */
  public static final long NONE = 0;

  private StatePartitionAssignment() {}

  /**
   * The owners after {@code current} (a session id per partition, {@link #NONE} for none) meets the
   * {@code live} sessions, which own {@code otherLoad} partitions of other states; all {@link
   * #NONE} if none is live.
   */
  public static long[] assign(long[] current, List<Long> live, Map<Long, Integer> otherLoad) {
    long[] next = new long[current.length];
    if (live.isEmpty()) {
      return next;
    }
    Map<Long, List<Integer>> owned = new HashMap<>();
    for (long session : live) {
      owned.put(session, new ArrayList<>());
    }
    List<Integer> orphans = new ArrayList<>();
    for (int p = 0; p < current.length; p++) {
      List<Integer> mine = owned.get(current[p]);
      if (mine == null) {
        orphans.add(p);
      } else {
        mine.add(p);
      }
    }
    Map<Long, Integer> load = new HashMap<>();
    for (long session : live) {
      load.put(session, otherLoad.getOrDefault(session, 0) + owned.get(session).size());
    }
    for (int p : orphans) {
      long to = leastLoaded(load, live);
      owned.get(to).add(p);
      load.merge(to, 1, Integer::sum);
    }
    // Each move lowers the sum of squared loads, so this ends.
    while (true) {
      long from = NONE;
      for (long session : live) {
        if (!owned.get(session).isEmpty() && (from == NONE || load.get(session) > load.get(from))) {
          from = session;
        }
      }
      long to = leastLoaded(load, live);
      if (from == NONE || load.get(from) - load.get(to) <= 1) {
        break;
      }
      List<Integer> partitions = owned.get(from);
      owned.get(to).add(partitions.remove(partitions.size() - 1));
      load.merge(from, -1, Integer::sum);
      load.merge(to, 1, Integer::sum);
    }
    owned.forEach((session, partitions) -> partitions.forEach(p -> next[p] = session));
    return next;
  }

  private static long leastLoaded(Map<Long, Integer> load, List<Long> live) {
    long best = live.get(0);
    for (long session : live) {
      if (load.get(session) < load.get(best)) {
        best = session;
      }
    }
    return best;
  }
}
