package dev.millrace.bench.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import dev.millrace.runtime.codec.CodecKryo;
import dev.millrace.runtime.codec.RecordCodec;
import dev.millrace.streaming.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Encode+decode throughput of the codec candidates against Java serialization, on word-count pairs
 * and small user records. Run on demand with {@code bench/run codec} (a 4 GB heap); it measures the
 * runtime's public {@code RecordCodec} against codecs of its own.
 */
public final class RecordCodecBenchmark {
  private static final int WARMUP_ROUNDS = 3;
  private static final int MEASURED_ROUNDS = 10;

  /** A small user record, Serializable only so that Java serialization can run as the peer. */
  record Click(String user, long timestamp, int page) implements Serializable {}

  /** Pair's stand-in for Java serialization, which refuses the non-Serializable Pair. */
  record SerializablePair<K, V>(K key, V value) implements Serializable {}

  private RecordCodecBenchmark() {}

  /** Runs every candidate on every data set and prints records per second and bytes. */
  public static void main(String[] args) {
    List<Pair<String, Long>> pairs = new ArrayList<>();
    List<SerializablePair<String, Long>> serializablePairs = new ArrayList<>();
    for (int i = 0; i < 1_000_000; i++) {
      String word = "word" + (i * 7919 % 50_000);
      long count = i % 1000;
      pairs.add(Pair.of(word, count));
      serializablePairs.add(new SerializablePair<>(word, count));
    }
    List<Click> clicks = new ArrayList<>();
    for (int i = 0; i < 200_000; i++) {
      clicks.add(new Click("user-" + (i % 5000), 1_700_000_000_000L + i * 13L, i % 97));
    }
    RecordCodec tagged = RecordCodec.standard();
    RecordCodec kryo = new KryoOnlyCodec();
    RecordCodec java = new JavaSerializationCodec();

    System.out.printf(
        Locale.ROOT,
        "%d cores, %s %s%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"));
    double javaPairs = run("java serialization", "1M Pair<String,Long>", java, serializablePairs);
    ratio(run("kryo only", "1M Pair<String,Long>", kryo, pairs), javaPairs);
    ratio(run("tagged + kryo", "1M Pair<String,Long>", tagged, pairs), javaPairs);
    double javaClicks = run("java serialization", "200k Click records", java, clicks);
    ratio(run("kryo only", "200k Click records", kryo, clicks), javaClicks);
    ratio(run("tagged + kryo", "200k Click records", tagged, clicks), javaClicks);
  }

  private static void ratio(double recordsPerSecond, double javaRecordsPerSecond) {
    System.out.printf(
        Locale.ROOT, "    %.1fx java serialization%n", recordsPerSecond / javaRecordsPerSecond);
  }

  /** Best encode+decode rate over the measured rounds, in records per second. */
  private static double run(String candidate, String data, RecordCodec codec, List<?> records) {
    int size = 0;
    for (int round = 0; round < WARMUP_ROUNDS; round++) {
      size = roundTrip(codec, records);
    }
    long best = Long.MAX_VALUE;
    for (int round = 0; round < MEASURED_ROUNDS; round++) {
      long start = System.nanoTime();
      roundTrip(codec, records);
      best = Math.min(best, System.nanoTime() - start);
    }
    double recordsPerSecond = records.size() / (best / 1e9);
    System.out.printf(
        Locale.ROOT,
        "%-20s %-22s %8.0f ms %12.0f records/s %10d bytes%n",
        candidate,
        data,
        best / 1e6,
        recordsPerSecond,
        size);
    return recordsPerSecond;
  }

  private static int roundTrip(RecordCodec codec, List<?> records) {
    byte[] bytes = codec.encode(records);
    List<Object> decoded = codec.decode(bytes);
    if (decoded.size() != records.size() || !decoded.get(7).equals(records.get(7))) {
      throw new IllegalStateException("round trip lost records");
    }
    return bytes.length;
  }

  /** Candidate (a): every record through Kryo's writeClassAndObject, same Kryo configuration. */
  private static final class KryoOnlyCodec implements RecordCodec {
    private final Pool<Kryo> kryos = CodecKryo.pool();

    @Override
    public byte[] encode(List<?> records) {
      Output output = new Output(4096, -1);
      Kryo kryo = kryos.obtain();
      try {
        output.writeVarInt(records.size(), true);
        for (Object record : records) {
          kryo.writeClassAndObject(output, record);
        }
      } finally {
        kryo.reset();
        kryos.free(kryo);
      }
      return output.toBytes();
    }

    @Override
    public List<Object> decode(byte[] bytes) {
      Input input = new Input(bytes);
      Kryo kryo = kryos.obtain();
      try {
        int count = input.readVarInt(true);
        List<Object> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          records.add(kryo.readClassAndObject(input));
        }
        return records;
      } finally {
        kryo.reset();
        kryos.free(kryo);
      }
    }
  }

  /** The peer: java.io serialization of an ArrayList of Serializable records. */
  private static final class JavaSerializationCodec implements RecordCodec {
    @Override
    public byte[] encode(List<?> records) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(new ArrayList<>(records));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Object> decode(byte[] bytes) {
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
        return (List<Object>) in.readObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
