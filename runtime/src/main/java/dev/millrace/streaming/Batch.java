package dev.millrace.streaming;

import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One batch of one stream: what {@link DStream#foreachBatch} and {@link DStream#transform} hand to
 * user code. Transformations are lazy and fuse with the stream's own; {@link #collect()}, {@link
 * #count()} and {@link #take(int)} compute. The engine makes every batch: return the one given, or
 * one made from it by these operations.
 *
 * @param <T> record type
 */
public interface Batch<T> {

  /** The batch time in epoch milliseconds. */
  long time();

  /** Every record of the batch, in partition order. */
  List<T> collect();

  /** The number of records. */
  long count();

  /** Whether the batch has no record. */
  boolean isEmpty();

  /** The first {@code n} records in partition order; fewer if the batch is smaller. */
  List<T> take(int n);

  /** The number of partitions the batch's records are split into. */
  int numPartitions();

  /** {@code f} applied to every record. */
  <U> Batch<U> map(Function<? super T, ? extends U> f);

  /** Every element of {@code f} applied to every record. */
  <U> Batch<U> flatMap(Function<? super T, ? extends Iterable<? extends U>> f);

  /** Whatever {@code f} emits for each record, without building a collection per record. */
  <U> Batch<U> mapMulti(BiConsumer<? super T, Consumer<U>> f);

  /** The records {@code p} accepts. */
  Batch<T> filter(Predicate<? super T> p);

  /** Every record turned into a key-value pair. */
  <K, V> PairBatch<K, V> mapToPair(Function<? super T, Pair<K, V>> f);

  /** The records of this batch and then those of {@code other}. */
  Batch<T> union(Batch<T> other);

  /** The reduction of all records with {@code f}, or empty if the batch has none. */
  Optional<T> reduce(BinaryOperator<T> f);
}
