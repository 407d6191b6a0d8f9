package dev.millrace.kafka;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A string serializer that throws once, on the {@code n}-th value it serializes after {@link
 * #failOn} armed it: the output's producer serializes in {@code send()}, so the earlier records of
 * the batch are already sent into the open transaction when it throws. An {@link Error} stands for
 * the driver dying there (the output cannot abort); a runtime exception for a failed send.
 */
public final class TestingSabotagedSerializer implements Serializer<String> {
  private static final AtomicInteger COUNTDOWN = new AtomicInteger(-1);
  private static final AtomicReference<Supplier<? extends Throwable>> FAILURE =
      new AtomicReference<>();

  /** Throws {@code failure}'s throwable at the {@code n}-th serialization from now, once. */
  static void failOn(int n, Supplier<? extends Throwable> failure) {
    FAILURE.set(failure);
    COUNTDOWN.set(n);
  }

  @Override
  public byte[] serialize(String topic, String data) {
    if (COUNTDOWN.get() > 0 && COUNTDOWN.decrementAndGet() == 0) {
      Throwable failure = FAILURE.get().get();
      if (failure instanceof Error error) {
        throw error;
      }
      throw (RuntimeException) failure;
    }
    return data == null ? null : data.getBytes(StandardCharsets.UTF_8);
  }
}
