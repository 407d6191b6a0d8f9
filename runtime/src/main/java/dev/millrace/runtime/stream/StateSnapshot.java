package dev.millrace.runtime.stream;

import java.util.List;

/**
 * What a {@link StatefulNode} puts into a checkpoint generation, and how big it is: the records the
 * generation's file holds (the state itself, or a reference to the part files executors wrote), the
 * keys the state holds, and the bytes of those part files.
 *
 * @param records what the generation's file for the node holds
 * @param keys the keys of {@code updateStateByKey}'s state or of a window's accumulators, the
 *     records of a window; -1 when an executor owning a part did not say
 * @param ownedBytes bytes of the part files executors wrote for it; 0 when the driver holds it
 */
public record StateSnapshot(List<Object> records, long keys, long ownedBytes) {

  /** A snapshot held in the generation's file: its {@code records}, of {@code keys} keys. */
  public static StateSnapshot held(List<Object> records, long keys) {
    return new StateSnapshot(records, keys, 0);
  }
}
