package dev.millrace.runtime;

import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.runtime.stream.Windows;
import dev.millrace.streaming.Batch;
import dev.millrace.streaming.ConfigurationException;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Pair;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One stream of an application's graph as the application defined it: which operation, on which
 * streams, with which functions. A value: it holds the user's functions but no data and no engine
 * object; the {@link Engine} builds the stream that computes batches from it when the context
 * starts, and an executor builds its own copy the same way.
 *
 * <p>{@link #id()} is the stream's number in definition order, which is also the number of the node
 * the engine builds from it ({@code operation#id} in messages and checkpoints). A definition
 * refuses a shape that can never run (a window that is not a multiple of its stream's slide,
 * streams of different slides in one union) when it is made, where the application wrote it.
 */
public sealed interface StreamDefinition {

  /** The stream's number in the order the application defined its streams. */
  int id();

  /** The operation that made the stream, e.g. {@code reduceByKey}. */
  String operation();

  /** The interval between the stream's batches. */
  Duration slide();

  /** The streams this one reads. */
  List<StreamDefinition> parents();

  /** {@code operation#id}, for messages. */
  default String name() {
    return operation() + "#" + id();
  }

  /** A stream read from outside. */
  record Input(int id, String operation, SourceDefinition source, Duration slide)
      implements StreamDefinition {
    @Override
    public List<StreamDefinition> parents() {
      return List.of();
    }
  }

  /** {@code f} applied to every record ({@code map}, {@code mapToPair}, {@code mapValues}). */
  record Map<T, U>(
      int id, String operation, StreamDefinition parent, Function<? super T, ? extends U> f)
      implements OneParent {}

  /** Every element of {@code f} applied to every record. */
  record FlatMap<T, U>(
      int id, StreamDefinition parent, Function<? super T, ? extends Iterable<? extends U>> f)
      implements OneParent {
    @Override
    public String operation() {
      return "flatMap";
    }
  }

  /** Whatever {@code f} hands its consumer for each record. */
  record MapMulti<T, U>(int id, StreamDefinition parent, BiConsumer<? super T, Consumer<U>> f)
      implements OneParent {
    @Override
    public String operation() {
      return "mapMulti";
    }
  }

  /** The records {@code p} accepts. */
  record Filter<T>(int id, StreamDefinition parent, Predicate<? super T> p) implements OneParent {
    @Override
    public String operation() {
      return "filter";
    }
  }

  /** The same records spread evenly over {@code partitions} partitions. */
  record Repartition(int id, StreamDefinition parent, int partitions) implements OneParent {
    @Override
    public String operation() {
      return "repartition";
    }
  }

  /** One record per batch: the batch's record count. */
  record Count(int id, StreamDefinition parent) implements OneParent {
    @Override
    public String operation() {
      return "count";
    }
  }

  /** One record per non-empty batch: its records reduced with the associative {@code f}. */
  record Reduce<T>(int id, StreamDefinition parent, BinaryOperator<T> f) implements OneParent {
    @Override
    public String operation() {
      return "reduce";
    }
  }

  /**
   * Each batch replaced by {@code f} of it; {@code pairs} says whether {@code f} is handed a batch
   * of pairs ({@code PairBatch}).
   */
  record Transform<T, U>(
      int id, StreamDefinition parent, Function<Batch<T>, ? extends Batch<U>> f, boolean pairs)
      implements OneParent {
    @Override
    public String operation() {
      return "transform";
    }
  }

  /** The values of each key in a batch reduced with {@code f} into {@code partitions}. */
  record ReduceByKey<K, V>(
      int id, String operation, StreamDefinition parent, BinaryOperator<V> f, int partitions)
      implements OneParent {}

  /** All values of each key in a batch, in arrival order, in {@code partitions}. */
  record GroupByKey(int id, StreamDefinition parent, int partitions) implements OneParent {
    @Override
    public String operation() {
      return "groupByKey";
    }
  }

  /**
   * The values of each key in both streams' batches at one time, grouped into {@code partitions}
   * and turned into output pairs by {@code emit} ({@code join}, {@code leftOuterJoin}, {@code
   * cogroup}).
   */
  record CoGroup<K, V, W, R>(
      int id,
      String operation,
      StreamDefinition left,
      StreamDefinition right,
      int partitions,
      GroupEmitter<K, V, W, R> emit)
      implements StreamDefinition {
    /** Requires both streams to slide together. */
    public CoGroup {
      requireSameSlide(operation, left, right);
    }

    @Override
    public Duration slide() {
      return left.slide();
    }

    @Override
    public List<StreamDefinition> parents() {
      return List.of(left, right);
    }
  }

  /** The records of all {@code members}, which share one slide, batch by batch. */
  record Union(int id, List<StreamDefinition> members) implements StreamDefinition {
    /** Requires one slide for all members. */
    public Union {
      members = List.copyOf(members);
      for (StreamDefinition m : members) {
        requireSameSlide("union", members.get(0), m);
      }
    }

    @Override
    public String operation() {
      return "union";
    }

    @Override
    public Duration slide() {
      return members.get(0).slide();
    }

    @Override
    public List<StreamDefinition> parents() {
      return members;
    }
  }

  /** Every {@code slide}, the parent's records of the last {@code length}. */
  record Window(int id, String operation, StreamDefinition parent, Duration length, Duration slide)
      implements StreamDefinition {
    /** Requires a length and slide that are multiples of the parent's slide. */
    public Window {
      requireWindow(operation, parent, length, slide);
    }

    @Override
    public List<StreamDefinition> parents() {
      return List.of(parent);
    }
  }

  /** A running state per key, updated by {@code update} every batch, in {@code partitions}. */
  record UpdateState<K, V, S>(
      int id,
      StreamDefinition parent,
      BiFunction<List<V>, Optional<S>, Optional<S>> update,
      int partitions)
      implements OneParent {
    @Override
    public String operation() {
      return "updateStateByKey";
    }
  }

  /**
   * The incremental windowed reduce over {@code reducedPerBatch} (each batch already reduced by
   * key): each window is the previous one with the batches that left removed by {@code inverse} and
   * those that entered added by {@code reduce}; {@code filter} (null for none) limits the output
   * only.
   */
  record WindowReduce<K, V>(
      int id,
      StreamDefinition reducedPerBatch,
      Duration length,
      Duration slide,
      BinaryOperator<V> reduce,
      BinaryOperator<V> inverse,
      Predicate<? super Pair<K, V>> filter,
      int partitions)
      implements StreamDefinition {
    /** Requires a length and slide that are multiples of the reduced stream's slide. */
    public WindowReduce {
      requireWindow("reduceByKeyAndWindow", reducedPerBatch, length, slide);
    }

    @Override
    public String operation() {
      return "reduceByKeyAndWindow";
    }

    @Override
    public List<StreamDefinition> parents() {
      return List.of(reducedPerBatch);
    }
  }

  /** What {@link CoGroup} emits for one key's two groups of values. */
  @FunctionalInterface
  interface GroupEmitter<K, V, W, R> {
    /** Hands {@code out} the output pairs for {@code key}, whose groups are {@code groups}. */
    void emit(K key, Pair<List<V>, List<W>> groups, Consumer<Pair<K, R>> out);
  }

  /** A definition computed from exactly one parent at the parent's slide. */
  sealed interface OneParent extends StreamDefinition {
    /** The stream read. */
    StreamDefinition parent();

    /** The parent's slide. */
    @Override
    default Duration slide() {
      return parent().slide();
    }

    /** Only the parent. */
    @Override
    default List<StreamDefinition> parents() {
      return List.of(parent());
    }
  }

  /**
   * Checks that a window of {@code length} sliding by {@code slide} fits {@code parent}: both
   * positive multiples of its slide.
   *
   * @throws ConfigurationException naming the value and a valid one
   */
  static void requireWindow(
      String operation, StreamDefinition parent, Duration length, Duration slide) {
    java.util.Objects.requireNonNull(length, "windowLength");
    java.util.Objects.requireNonNull(slide, "slideInterval");
    Windows.validate(operation, parent.slide(), length, slide);
  }

  private static void requireSameSlide(
      String operation, StreamDefinition base, StreamDefinition other) {
    StreamGraph.requireSameSlide(operation, base.name(), base.slide(), other.name(), other.slide());
  }
}
