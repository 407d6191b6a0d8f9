package dev.millrace.runtime.dataset;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A narrow, record-at-a-time operator: given where its output goes, returns where its input goes.
 * Chains of pipes fuse into one pass per partition.
 *
 * @param <I> input record type
 * @param <O> output record type
 */
@FunctionalInterface
public interface Pipe<I, O> {

  /** The consumer that feeds this operator, writing its results into {@code downstream}. */
  Consumer<I> wrap(Consumer<? super O> downstream);

  /** {@code x -> f(x)}. */
  static <I, O> Pipe<I, O> map(Function<? super I, ? extends O> f) {
    return out -> x -> out.accept(f.apply(x));
  }

  /** Keeps the records {@code p} accepts. */
  static <T> Pipe<T, T> filter(Predicate<? super T> p) {
    return out ->
        x -> {
          if (p.test(x)) {
            out.accept(x);
          }
        };
  }

  /** Every element of {@code f(x)}. */
  static <I, O> Pipe<I, O> flatMap(Function<? super I, ? extends Iterable<? extends O>> f) {
    return out ->
        x -> {
          for (O o : f.apply(x)) {
            out.accept(o);
          }
        };
  }

  /** Whatever {@code f} emits for each record, with no collection in between. */
  static <I, O> Pipe<I, O> mapMulti(java.util.function.BiConsumer<? super I, Consumer<O>> f) {
    return out -> {
      @SuppressWarnings("unchecked")
      Consumer<O> sink = (Consumer<O>) out;
      return x -> f.accept(x, sink);
    };
  }
}
