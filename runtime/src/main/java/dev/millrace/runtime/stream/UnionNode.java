package dev.millrace.runtime.stream;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.UnionDataset;
import dev.millrace.streaming.Duration;
import java.util.ArrayList;
import java.util.List;

/** The records of several streams with the same slide, batch by batch. */
public final class UnionNode<T> extends StreamNode<T> {
  private final List<StreamNode<? extends T>> members;

  /** The union of {@code members}; they must share one slide interval. */
  public UnionNode(List<StreamNode<? extends T>> members) {
    super(requireSameSlides(members), "union");
    this.members = List.copyOf(members);
  }

  private static StreamGraph requireSameSlides(List<? extends StreamNode<?>> members) {
    for (StreamNode<?> m : members) {
      StreamGraph.requireSameSlide("union", members.get(0), m);
    }
    return members.get(0).graph;
  }

  @Override
  public Duration slide() {
    return members.get(0).slide();
  }

  @Override
  public List<StreamNode<?>> parents() {
    return new ArrayList<>(members);
  }

  @Override
  protected Dataset<T> compute(long time) {
    List<Dataset<? extends T>> parts = new ArrayList<>(members.size());
    for (StreamNode<? extends T> m : members) {
      Dataset<? extends T> ds = m.getOrCompute(time);
      if (ds != null) {
        parts.add(ds);
      }
    }
    return new UnionDataset<>(parts);
  }
}
