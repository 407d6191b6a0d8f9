package dev.millrace.streaming;

import dev.millrace.runtime.driver.ApplicationRunner;
import dev.millrace.runtime.launch.ExitCode;
import java.util.Arrays;

/**
 * A checkpointed application reading a user-written receiver ({@link TestingAckingReceiver}), run
 * as a real driver process for {@link ReceiverCrashTest} to kill with SIGKILL and start again: each
 * batch's numbers are saved to {@code <output>/numbers-T.txt}. Prints {@code BATCH <time> done}
 * after every batch; SIGTERM stops it gracefully.
 *
 * <p>Arguments: sender host, sender port, output directory, checkpoint directory, batch interval in
 * milliseconds.
 */
public final class TestingReceiverDriver {
  static final String NUMBERS = "numbers";

  private TestingReceiverDriver() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 5) {
      throw new IllegalArgumentException(
          "arguments: host port output-dir checkpoint-dir batch-interval-ms; got "
              + Arrays.toString(args));
    }
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    String output = args[2];
    long interval = Long.parseLong(args[4]);
    StreamingContext ssc =
        StreamingContext.getOrCreate(
            args[3],
            () -> {
              StreamingContext c =
                  StreamingContext.builder()
                      .master("local[2]")
                      .appName("receiver-crash")
                      .batchInterval(Durations.milliseconds(interval))
                      .build();
              c.receiverStream(new TestingAckingReceiver(host, port))
                  .map(String::valueOf)
                  .saveAsTextFiles(output + "/" + NUMBERS, "txt");
              return c;
            });
    ssc.addStreamingListener(
        new StreamingListener() {
          @Override
          public void onBatchCompleted(BatchInfo batch) {
            System.out.println("BATCH " + batch.batchTime() + " done");
            System.out.flush();
          }
        });
    ExitCode code = ApplicationRunner.runUntilStopped(ssc);
    System.exit(code.code());
  }
}
