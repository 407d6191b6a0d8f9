package dev.millrace.bench.kafka;

import dev.millrace.kafka.TestingKafka;

/**
 * The benchmark's Kafka broker in a JVM of its own: the kafka module's {@code TestingKafka} (one
 * KRaft node, controller and broker, configured like a production broker with the settings a single
 * broker needs), on the kafka module's test class path. Prints {@code bootstrap,<host:port>} once
 * it serves, and stops when standard input closes (the suite's end, or the suite's death).
 *
 * <p>Its own JVM, not the suite's: the broker's Scala 2.13.18 and Spark's 2.13.8 (on the suite's
 * compile class path) would meet on one class path, and neither engine's child should share CPU
 * accounting or GC with it.
 */
public final class KafkaBroker {
  private KafkaBroker() {}

  public static void main(String[] args) throws Exception {
    TestingKafka kafka = new TestingKafka();
    // TestingKafka is a JUnit extension; its start uses nothing of the extension context.
    kafka.beforeAll(null);
    System.out.println("bootstrap," + kafka.bootstrapServers());
    System.out.flush();
    while (System.in.read() >= 0) {
      // Runs until the suite closes standard input.
    }
    kafka.stop();
    Runtime.getRuntime().halt(0);
  }
}
