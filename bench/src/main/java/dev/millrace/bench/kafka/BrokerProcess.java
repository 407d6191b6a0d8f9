package dev.millrace.bench.kafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The {@link KafkaBroker} JVM, seen from the suite: started, its address, stopped. */
final class BrokerProcess implements AutoCloseable {
  private final Process process;
  private final String bootstrap;

  private BrokerProcess(Process process, String bootstrap) {
    this.process = process;
    this.bootstrap = bootstrap;
  }

  /** Starts a broker on {@code classpath} and waits until it serves. */
  static BrokerProcess start(String classpath) throws IOException, InterruptedException {
    Path log = Path.of("bench/target/kafka-broker.log");
    Process process =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g",
                    "-Dmillrace.test.log.level=warn",
                    "-cp",
                    classpath,
                    KafkaBroker.class.getName()))
            .redirectError(ProcessBuilder.Redirect.to(log.toFile()))
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("bootstrap,")) {
        return new BrokerProcess(process, line.substring("bootstrap,".length()));
      }
    }
    process.waitFor(10, TimeUnit.SECONDS);
    throw new IllegalStateException(
        "the Kafka broker JVM ended before it served (exit "
            + (process.isAlive() ? "none" : process.exitValue())
            + "): see "
            + log.toAbsolutePath());
  }

  /** {@code localhost:<port>}. */
  String bootstrap() {
    return bootstrap;
  }

  /** Closes the broker's standard input, its signal to stop; kills it if it does not. */
  @Override
  public void close() throws IOException, InterruptedException {
    process.getOutputStream().close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
