package dev.millrace.kafka;

import dev.millrace.streaming.StreamingApplication;
import dev.millrace.streaming.StreamingContext;
import java.util.Arrays;

/**
 * {@link TestingKafkaCrashDriver}'s word count as an application a spec names, so that {@code
 * millrace driver --spec} runs it with executors. Arguments: bootstrap servers, input topic, counts
 * topic, totals topic.
 */
public final class TestingKafkaWordCountApplication implements StreamingApplication {

  @Override
  public void define(StreamingContext ssc, String[] args) {
    if (args.length != 4) {
      throw new IllegalArgumentException(
          "arguments: bootstrap-servers input-topic counts-topic totals-topic; got "
              + Arrays.toString(args));
    }
    TestingKafkaCrashDriver.define(ssc, args[0], args[1], args[2], args[3]);
  }
}
