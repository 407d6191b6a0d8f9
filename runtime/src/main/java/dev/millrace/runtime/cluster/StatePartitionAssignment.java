package dev.millrace.runtime.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which executor session owns each partition of a state. Pure: a partition stays with a live owner;
 * a partition without one goes to the least loaded live session; then partitions move from the most
 * to the least loaded until loads differ by at most one, so a joining executor takes its share and
 * no more moves than that. The same inputs give the same answer.
 */
public final class StatePartitionAssignment {
  /** No owner. */
  public static final long NONE = 0;

  private StatePartitionAssignment() {}

  /**
   * The owners after {@code current} (a session id per partition, {@link #NONE} for none) meets the
   * {@code live} sessions; all {@link #NONE} if none is live.
   */
  public static long[] assign(long[] current, List<Long> live) {
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
    for (int p : orphans) {
      owned.get(leastLoaded(owned, live)).add(p);
    }
    while (true) {
      long most = mostLoaded(owned, live);
      long least = leastLoaded(owned, live);
      List<Integer> from = owned.get(most);
      if (from.size() - owned.get(least).size() <= 1) {
        break;
      }
      owned.get(least).add(from.remove(from.size() - 1));
    }
    owned.forEach((session, partitions) -> partitions.forEach(p -> next[p] = session));
    return next;
  }

  private static long leastLoaded(Map<Long, List<Integer>> owned, List<Long> live) {
    long best = live.get(0);
    for (long session : live) {
      if (owned.get(session).size() < owned.get(best).size()) {
        best = session;
      }
    }
    return best;
  }

  private static long mostLoaded(Map<Long, List<Integer>> owned, List<Long> live) {
    long best = live.get(0);
    for (long session : live) {
      if (owned.get(session).size() > owned.get(best).size()) {
        best = session;
      }
    }
    return best;
  }
}
