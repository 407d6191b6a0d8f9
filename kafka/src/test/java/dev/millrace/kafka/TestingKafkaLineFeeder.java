package dev.millrace.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes lines of words to the partitions of a topic at a steady pace on a thread of its own, as a
 * stream of events arrives: most lines on their own, some in transactions of one to three lines,
 * and a third of those transactions aborted. An aborted line holds a word {@code aborted-<n>} no
 * committed line holds, so a consumer that counted it shows it. Remembers the count of every word
 * of the committed lines, the failure-free result.
 *
 * <p>Random choices come from the seed given; each send waits for the broker's acknowledgement, so
 * once {@link #stop} returns, every line it counts is in the topic.
 */
final class TestingKafkaLineFeeder implements AutoCloseable {
  static final String ABORTED = "aborted-";
  private static final int VOCABULARY = 30;

  private final String servers;
  private final String topic;
  private final int partitions;
  private final long periodMillis;
  private final Random random;
  private final Thread thread;
  private final Map<String, Long> committed = new TreeMap<>();
  private final Set<String> abortedWords = new TreeSet<>();
  private volatile boolean running;
  private volatile Throwable failure;
  private int lines;
  private int transactions;
  private int aborts;

  TestingKafkaLineFeeder(
      String servers, String topic, int partitions, long seed, long periodMillis) {
    this.servers = servers;
    this.topic = topic;
    this.partitions = partitions;
    this.periodMillis = periodMillis;
    this.random = new Random(seed);
    this.thread = new Thread(this::feed, "kafka-line-feeder");
    thread.setDaemon(true);
  }

  void start() {
    running = true;
    thread.start();
  }

  /** Stops writing after the line or transaction in progress, and waits until it has. */
  void stop() throws InterruptedException {
    running = false;
    thread.join(60_000);
    if (thread.isAlive()) {
      throw new AssertionError("the feeder did not stop within 60 s");
    }
    if (failure != null) {
      throw new AssertionError("the feeder failed", failure);
    }
  }

  private void feed() {
    try (Producer<String, String> plain = new KafkaProducer<>(properties(null));
        Producer<String, String> transactional =
            new KafkaProducer<>(properties("crash-feeder-" + random.nextLong()))) {
      transactional.initTransactions();
      long next = System.nanoTime();
      while (running) {
        int kind = random.nextInt(10);
        if (kind < 6) {
          List<String> line = line();
          plain.send(record(line)).get();
          commit(List.of(line));
        } else {
          boolean abort = kind >= 8;
          transactional.beginTransaction();
          List<List<String>> sent = new ArrayList<>();
          for (int n = 1 + random.nextInt(3); n > 0; n--) {
            List<String> line = line();
            if (abort) {
              line.add(ABORTED + aborts);
            }
            transactional.send(record(line));
            sent.add(line);
          }
          if (abort) {
            // Flushed first, so the aborted records and the abort marker take offsets.
            transactional.flush();
            transactional.abortTransaction();
            synchronized (this) {
              abortedWords.add(ABORTED + aborts++);
            }
          } else {
            transactional.commitTransaction();
            commit(sent);
          }
          synchronized (this) {
            transactions++;
          }
        }
        next += periodMillis * 1_000_000L;
        long sleep = next - System.nanoTime();
        if (sleep > 0) {
          TimeUnit.NANOSECONDS.sleep(sleep);
        }
      }
    } catch (ExecutionException e) {
      failure = e.getCause();
    } catch (Exception e) {
      failure = e;
    }
  }

  private List<String> line() {
    List<String> words = new ArrayList<>();
    for (int n = 1 + random.nextInt(6); n > 0; n--) {
      words.add("w" + random.nextInt(VOCABULARY));
    }
    return words;
  }

  private ProducerRecord<String, String> record(List<String> line) {
    return new ProducerRecord<>(topic, random.nextInt(partitions), null, String.join(" ", line));
  }

  private synchronized void commit(List<List<String>> sent) {
    for (List<String> line : sent) {
      lines++;
      line.forEach(word -> committed.merge(word, 1L, Long::sum));
    }
  }

  /** The count of every word of the committed lines so far. */
  synchronized Map<String, Long> committedCounts() {
    return new TreeMap<>(committed);
  }

  /** The words of the aborted transactions. */
  synchronized Set<String> abortedWords() {
    return new TreeSet<>(abortedWords);
  }

  /** How many committed lines were written. */
  synchronized int lines() {
    return lines;
  }

  /** How many transactions were written, committed or aborted. */
  synchronized int transactions() {
    return transactions;
  }

  /** How many transactions were aborted. */
  synchronized int aborts() {
    return aborts;
  }

  private Properties properties(String transactionalId) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    // PLATFORM-NOTES: a low back-off avoids CONCURRENT_TRANSACTIONS waits between transactions.
    props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "10");
    if (transactionalId != null) {
      props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    }
    return props;
  }

  @Override
  public void close() throws InterruptedException {
    if (running) {
      stop();
    }
  }
}
