package dev.millrace.kafka;

import java.util.regex.Pattern;

/** Kafka's rule for topic names, checked where a user names one so a typo fails at once. */
final class TopicNames {
  private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  private TopicNames() {}

  /** Throws if {@code topic} is a name Kafka refuses. */
  static void check(String topic) {
    if (!LEGAL.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
      throw new IllegalArgumentException(
          "'"
              + topic
              + "' is not a Kafka topic name (1 to 249 of the characters a-z A-Z 0-9 . _ -)");
    }
  }
}
