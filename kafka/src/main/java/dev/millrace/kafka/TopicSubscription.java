package dev.millrace.kafka;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which topics a source reads: a fixed list or every topic whose whole name matches a pattern.
 * Either way the planner asks the broker at each plan, so topics and partitions created later are
 * read from the next batch on.
 */
public sealed interface TopicSubscription {

  /** Whether {@code topic} is read. */
  boolean includes(String topic);

  /** The topics named in {@code subscribe}. */
  record Topics(List<String> topics) implements TopicSubscription {
    public Topics {
      topics = List.copyOf(topics);
    }

    @Override
    public boolean includes(String topic) {
      return topics.contains(topic);
    }

    @Override
    public String toString() {
      return "subscribe=" + String.join(",", topics);
    }
  }

  /** The topics whose whole name matches {@code subscribePattern}. */
  record TopicPattern(Pattern pattern) implements TopicSubscription {
    @Override
    public boolean includes(String topic) {
      return pattern.matcher(topic).matches();
    }

    @Override
    public String toString() {
      return "subscribePattern=" + pattern.pattern();
    }
  }
}
