package dev.millrace.runtime.source;

import dev.millrace.runtime.backpressure.RateLimit;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.streaming.Source;
import dev.millrace.streaming.SourceHealth;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The engine's input over a {@link Source}, an application's own or one of the engine's (Kafka, the
 * file and queue streams): each batch takes the source's plan, logs it as the list of the source's
 * encoded parts, and reads each part as one partition wherever the task runs. A recovery hands the
 * logged plans back to the source. What an {@link EngineSource} tells beyond the public interface
 * (its status, what batches without a plan had read, plans of its earlier builds) is asked of it
 * here.
 *
 * <p>Plan bytes: a format version (1), the number of parts, then each part's length and bytes. An
 * {@link EngineSource} decodes a plan its earlier build logged itself.
 *
 * @param <T> record type
 * @param <P> the source's plan part
 */
public final class SourceInput<T, P> implements InputSource<T> {
  private static final byte FORMAT = 1;

  private final Source<T, P> source;
  private volatile RateLimit rateLimit;

  /** The input reading {@code source}. */
  public SourceInput(Source<T, P> source) {
    this.source = source;
  }

  @Override
  public void start(long firstBatchTime) {
    source.start();
  }

  /**
   * The next plan within the rate limit; for a graceful stop's last batch, what the source holds
   * ({@link Source#planLast}).
   */
  @Override
  public Dataset<T> take(long batchTime, boolean lastBatch) {
    List<P> plan;
    if (lastBatch) {
      plan = source.planLast(batchTime);
    } else {
      RateLimit limit = rateLimit;
      plan = source.plan(batchTime, limit == null ? Long.MAX_VALUE : limit.recordsPerBatch());
    }
    if (plan == null) {
      throw new IllegalStateException(
          "source '"
              + source.name()
              + "' returned no plan for batch "
              + batchTime
              + "; return an empty list for a batch that reads nothing");
    }
    return new PlannedDataset<>(source, plan);
  }

  @Override
  public void updateRateLimit(RateLimit limit) {
    rateLimit = limit;
  }

  @Override
  public void stop() {
    source.stop();
  }

  @Override
  public boolean hasBufferedInput() {
    return source.holdsUnplanned();
  }

  /** A plan names what any process can read again. */
  @Override
  public boolean replaysAnywhere() {
    return true;
  }

  @Override
  public byte[] encodePlan(Dataset<T> taken) {
    @SuppressWarnings("unchecked")
    List<P> plan = ((PlannedDataset<T, P>) taken).plan();
    // Sized first and copied once: a queue stream's plan holds the batch's records, megabytes at
    // high rates, and a growing buffer would copy them several times per batch.
    List<byte[]> parts = new ArrayList<>(plan.size());
    int length = 1 + Integer.BYTES;
    for (P part : plan) {
      byte[] encoded = source.encode(part);
      parts.add(encoded);
      length += Integer.BYTES + encoded.length;
    }
    ByteBuffer bytes = ByteBuffer.allocate(length);
    bytes.put(FORMAT).putInt(parts.size());
    for (byte[] encoded : parts) {
      bytes.putInt(encoded.length).put(encoded);
    }
    return bytes.array();
  }

  @Override
  public Optional<InputParts> parts(String input, Dataset<T> taken, int shown) {
    if (!(taken instanceof PlannedDataset<?, ?> planned)) {
      return Optional.empty();
    }
    @SuppressWarnings("unchecked")
    List<P> plan = ((PlannedDataset<T, P>) planned).plan();
    String partName = source instanceof EngineSource<?, ?> own ? own.partName() : "part";
    List<String> described = new ArrayList<>(Math.min(shown, plan.size()));
    for (int i = 0; i < plan.size() && i < shown; i++) {
      described.add(described(plan.get(i), partName, i));
    }
    return Optional.of(new InputParts(input, plan.size(), described));
  }

  /**
   * {@code part} as the source describes it, or numbered ({@code partName index}) if it does not:
   * an application's {@code describe} that throws is only for a page, and never fails the batch.
   */
  private String described(P part, String partName, int index) {
    try {
      String told = source.describe(part);
      return told == null ? partName + " " + index : InputParts.shortened(told);
    } catch (RuntimeException e) {
      return InputParts.shortened(partName + " " + index + " (describe failed: " + e + ")");
    }
  }

  @Override
  public Dataset<T> replay(long batchTime, byte[] plan) {
    return new PlannedDataset<>(source, decode(plan));
  }

  /** The parts of a plan {@link #encodePlan} wrote (or an earlier build of an engine source). */
  List<P> decode(byte[] plan) {
    if (source instanceof EngineSource<T, P> own && own.isEarlierPlan(plan)) {
      return own.decodeEarlierPlan(plan);
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plan))) {
      byte format = in.readByte();
      if (format != FORMAT) {
        throw new IllegalArgumentException(
            "a plan of source '"
                + source.name()
                + "' has format "
                + format
                + ", which this build does not read (it reads "
                + FORMAT
                + ")");
      }
      int parts = in.readInt();
      List<P> decoded = new ArrayList<>(parts);
      for (int i = 0; i < parts; i++) {
        byte[] part = new byte[in.readInt()];
        in.readFully(part);
        decoded.add(source.decode(part));
      }
      return decoded;
    } catch (IOException e) {
      throw new UncheckedIOException("a plan of source '" + source.name() + "' is cut short", e);
    }
  }

  @Override
  public byte[] snapshot() {
    return source.position();
  }

  @Override
  public void recover(long nextBatchTime, byte[] snapshot, List<byte[]> plansSince) {
    List<List<P>> plans = new ArrayList<>(plansSince.size());
    for (byte[] plan : plansSince) {
      plans.add(decode(plan));
    }
    source.recover(snapshot, plans);
  }

  @Override
  public void checkReplayable(long batchTime, byte[] plan) {
    source.checkReplayable(batchTime, decode(plan));
  }

  @Override
  public void checkpointCommitted(long batchTime, byte[] snapshot) {
    source.checkpointCommitted(batchTime, snapshot);
  }

  @Override
  public OptionalLong inputRemovableUpTo() {
    return source instanceof EngineSource<T, P> own
        ? own.inputRemovableUpTo()
        : OptionalLong.empty();
  }

  /**
   * Without their plans it cannot be known which records those batches had read; the batches logged
   * after them continue where their own plans start, so what they read is skipped. When no logged
   * batch follows, nothing is: the batches planned in their place read it.
   */
  @Override
  public SkippedInput unplanned(
      long firstTime, long lastTime, byte[] snapshot, NavigableMap<Long, byte[]> plansSince) {
    if (source instanceof EngineSource<T, P> own) {
      NavigableMap<Long, List<P>> decoded = new TreeMap<>();
      plansSince.forEach((time, plan) -> decoded.put(time, decode(plan)));
      EngineSource.Unplanned<P> told = own.unplanned(firstTime, lastTime, snapshot, decoded);
      if (told != null) {
        return new SkippedInput(
            encodePlan(new PlannedDataset<>(source, told.skipped())),
            told.description(),
            told.extent());
      }
    }
    byte[] none = encodePlan(new PlannedDataset<>(source, List.of()));
    if (plansSince.tailMap(lastTime, false).isEmpty()) {
      return new SkippedInput(none, "nothing", SkippedInput.Extent.NOTHING);
    }
    return new SkippedInput(
        none,
        "the records source '"
            + source.name()
            + "' had planned for them (which ones is not known without their plans)",
        SkippedInput.Extent.UNCERTAIN);
  }

  /**
   * An {@link EngineSource}'s own status, or the source's {@link Source#health()}; a source whose
   * {@code health()} fails or returns nothing is shown by its name, with that failure as its last
   * error, so that a faulty source cannot break the status endpoint.
   */
  @Override
  public SourceStatus status() {
    if (source instanceof EngineSource<T, P> own) {
      return own.status();
    }
    SourceHealth health;
    try {
      health = source.health();
    } catch (RuntimeException e) {
      return new SourceStatus(
          source.name(),
          null,
          null,
          "the health() of source '" + source.name() + "' failed: " + e,
          System.currentTimeMillis(),
          null,
          null,
          0,
          0,
          null);
    }
    if (health == null) {
      return SourceStatus.described(source.name());
    }
    return new SourceStatus(
        health.description() == null ? source.name() : health.description(),
        null,
        epochMillis(health.outageSince()),
        health.lastError(),
        epochMillis(health.lastErrorTime()),
        null,
        null,
        0,
        0,
        null,
        health.recordsPlanned(),
        health.figures(),
        health.lag());
  }

  private static Long epochMillis(Instant time) {
    return time == null ? null : time.toEpochMilli();
  }
}
