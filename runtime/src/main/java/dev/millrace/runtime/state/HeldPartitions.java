package dev.millrace.runtime.state;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Where the partitions of a materialized state are: held here, or kept by the executors that own
 * them, each fetched the first time this process reads it and kept with the dataset.
 */
final class HeldPartitions<K, S> {
  private final Function<List<Object>, HashMap<K, S>> fromWire;
  private final Map<Integer, HashMap<K, S>> fetched = new ConcurrentHashMap<>();
  private volatile HashMap<K, S>[] local;
  private volatile StateUpdateStage.OwnedPartitions owners;

  /** Partitions whose owners answer them in the wire form {@code fromWire} reads. */
  HeldPartitions(Function<List<Object>, HashMap<K, S>> fromWire) {
    this.fromWire = fromWire;
  }

  /** Whether the partitions are held here or by owners yet. */
  boolean isSet() {
    return local != null || owners != null;
  }

  /** Whether the partitions are kept by their owners. */
  boolean isOwnedElsewhere() {
    return owners != null;
  }

  /** Holds {@code partitions} here. */
  void holdHere(HashMap<K, S>[] partitions) {
    local = partitions;
  }

  /** The partitions are kept by their owners; {@code partitions} reads one. */
  void ownedBy(StateUpdateStage.OwnedPartitions partitions) {
    owners = partitions;
  }

  /**
   * Has the owner of partition {@code p} write it into the checkpoint directory for the generation
   * of batch {@code checkpointTime}.
   */
  OwnedPart snapshotOwned(int p, long checkpointTime) {
    StateUpdateStage.OwnedPartitions remote = owners;
    if (remote == null) {
      throw new IllegalStateException("only partitions kept by their owners are written by them");
    }
    return remote.snapshot(p, checkpointTime);
  }

  /**
   * Partition {@code p}.
   *
   * @throws IllegalStateException before the partitions are set; {@code what} names the state
   */
  Map<K, S> partition(int p, String what) {
    HashMap<K, S>[] here = local;
    if (here != null) {
      return here[p];
    }
    StateUpdateStage.OwnedPartitions remote = owners;
    if (remote == null) {
      throw new IllegalStateException(what + " read before it was computed");
    }
    return fetched.computeIfAbsent(p, partition -> fromWire.apply(remote.fetch(partition)));
  }
}
