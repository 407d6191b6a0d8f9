package dev.millrace.streaming;

import static dev.millrace.streaming.References.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DStreamTest {
  private final TestingStreams t = new TestingStreams();

  @AfterEach
  void stop() {
    t.close();
  }

  private static List<List<String>> lines() {
    return List.of(
        List.of("a b c", "b c", "c"),
        List.of(),
        List.of("x y", "y x x", "a"),
        List.of("  leading and  double  spaces ", "end"));
  }

  @Test
  void narrowOperatorsMatchJavaStreamsBatchByBatch() {
    List<List<String>> input = lines();
    DStream<String> words =
        t.queue(input).flatMap(l -> Arrays.asList(l.split(" "))).filter(w -> !w.isEmpty());
    TestingStreams.Collected<Integer> lengths = t.collect(words.map(String::length));
    TestingStreams.Collected<String> upper =
        t.collect(words.mapMulti((w, out) -> out.accept(w.toUpperCase())));
    t.runBatches(input.size());

    for (int k = 1; k <= input.size(); k++) {
      List<String> expectedWords =
          input.get(k - 1).stream()
              .flatMap(l -> Arrays.stream(l.split(" ")))
              .filter(w -> !w.isEmpty())
              .collect(Collectors.toList());
      assertEquals(
          expectedWords.stream().map(String::length).collect(Collectors.toList()),
          lengths.batch(k),
          "map of batch " + k + " keeps order within the source partitions");
      assertEquals(
          expectedWords.stream().map(String::toUpperCase).collect(Collectors.toList()),
          upper.batch(k));
    }
  }

  @Test
  void reduceByKeyCountsWordsOfEachBatchSeparately() {
    List<List<String>> input = lines();
    PairDStream<String, Integer> counts =
        t.queue(input)
            .flatMap(l -> Arrays.asList(l.split(" ")))
            .mapToPair(w -> Pair.of(w, 1))
            .reduceByKey(Integer::sum);
    TestingStreams.Collected<Pair<String, Integer>> out = t.collect(counts);
    t.runBatches(input.size());

    for (int k = 1; k <= input.size(); k++) {
      Map<String, Integer> expected =
          input.get(k - 1).stream()
              .flatMap(l -> Arrays.stream(l.split(" ")))
              .collect(Collectors.toMap(w -> w, w -> 1, Integer::sum));
      assertEquals(expected, References.asMap(out.batch(k)), "batch " + k);
    }
  }

  @Test
  void reduceByKeyWithManyPartitionsMatchesReferenceOnRandomInput() {
    Random rnd = new Random(42);
    List<List<Pair<Integer, Long>>> input = new ArrayList<>();
    for (int b = 0; b < 5; b++) {
      List<Pair<Integer, Long>> batch = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        batch.add(Pair.of(rnd.nextInt(300), (long) rnd.nextInt(1000)));
      }
      input.add(batch);
    }
    TestingStreams.Collected<Pair<Integer, Long>> out =
        t.collect(PairDStream.of(t.queue(input)).reduceByKey(Long::sum, 7));
    TestingStreams.Collected<Pair<Integer, List<Long>>> groups =
        t.collect(PairDStream.of(t.queue(input)).groupByKey(3));
    t.runBatches(input.size());

    for (int k = 1; k <= input.size(); k++) {
      assertEquals(
          References.reduceByKey(input.get(k - 1), Long::sum), References.asMap(out.batch(k)));
      Map<Integer, List<Long>> expectedGroups =
          input.get(k - 1).stream()
              .collect(
                  Collectors.groupingBy(
                      Pair::key, Collectors.mapping(Pair::value, Collectors.toList())));
      Map<Integer, List<Long>> actualGroups = References.asMap(groups.batch(k));
      assertEquals(expectedGroups.keySet(), actualGroups.keySet());
      expectedGroups.forEach(
          (key, values) ->
              assertEquals(sorted(values), sorted(actualGroups.get(key)), "key " + key));
    }
  }

  @Test
  void countReduceAndCountByValueFollowTheSeedTable() {
    List<List<Integer>> input =
        List.of(List.of(3, 1, 3), List.of(), List.of(5), List.of(2, 2, 2, 9));
    DStream<Integer> numbers = t.queue(input);
    TestingStreams.Collected<Long> count = t.collect(numbers.count());
    TestingStreams.Collected<Integer> sum = t.collect(numbers.reduce(Integer::sum));
    TestingStreams.Collected<Pair<Integer, Long>> byValue = t.collect(numbers.countByValue());
    t.runBatches(input.size());

    assertEquals(List.of(3L), count.batch(1));
    assertEquals(List.of(0L), count.batch(2), "count() of an empty batch is one record: 0");
    assertEquals(List.of(4L), count.batch(4));
    assertEquals(List.of(7), sum.batch(1));
    assertEquals(List.of(), sum.batch(2), "reduce() of an empty batch has no record");
    assertEquals(List.of(15), sum.batch(4));
    assertEquals(Map.of(3, 2L, 1, 1L), References.asMap(byValue.batch(1)));
    assertEquals(Map.of(2, 3L, 9, 1L), References.asMap(byValue.batch(4)));
  }

  @Test
  void unionAndRepartitionKeepEveryRecordExactlyOnce() {
    List<List<Integer>> left = List.of(List.of(1, 2, 3), List.of(4));
    List<List<Integer>> right = List.of(List.of(10), List.of(20, 30, 40, 50, 60, 70));
    DStream<Integer> a = t.queue(left);
    DStream<Integer> b = t.queue(right);
    TestingStreams.Collected<Integer> union = t.collect(a.union(b));
    TestingStreams.Collected<Integer> ctxUnion = t.collect(t.ssc.union(a, b, a));
    List<Integer> partitionCounts = new java.util.concurrent.CopyOnWriteArrayList<>();
    DStream<Integer> spread = a.union(b).repartition(5);
    spread.foreachBatch(batch -> partitionCounts.add(batch.numPartitions()));
    TestingStreams.Collected<Integer> repartitioned = t.collect(spread);
    t.runBatches(2);

    assertEquals(sorted(List.of(1, 2, 3, 10)), sorted(union.batch(1)));
    assertEquals(sorted(List.of(4, 20, 30, 40, 50, 60, 70)), sorted(union.batch(2)));
    assertEquals(sorted(List.of(1, 1, 2, 2, 3, 3, 10)), sorted(ctxUnion.batch(1)));
    assertEquals(sorted(union.batch(2)), sorted(repartitioned.batch(2)));
    assertEquals(List.of(5, 5), partitionCounts);
  }

  @Test
  void mapValuesKeepsKeysAndTransformsValues() {
    List<List<Pair<String, Integer>>> input = List.of(List.of(Pair.of("a", 1), Pair.of("b", 2)));
    TestingStreams.Collected<Pair<String, String>> out =
        t.collect(PairDStream.of(t.queue(input)).mapValues(v -> "v" + v));
    t.runBatches(1);
    assertEquals(List.of(Pair.of("a", "v1"), Pair.of("b", "v2")), sorted(out.batch(1)));
  }

  @Test
  void transformJoinsEachBatchWithAStaticDatasetLikeTheSeedsSpamFilter() {
    Map<String, Double> spamScores = Map.of("viagra", 0.99, "hello", 0.01, "lottery", 0.8);
    List<List<String>> input = List.of(List.of("hello viagra hello", "lottery unknown"));
    PairDStream<String, Integer> counts =
        t.queue(input)
            .flatMap(l -> Arrays.asList(l.split(" ")))
            .mapToPair(w -> Pair.of(w, 1))
            .reduceByKey(Integer::sum);
    PairDStream<String, Integer> cleaned =
        counts.transformPairs(
            batch ->
                batch.join(spamScores).filter(p -> p.value().value() < 0.5).mapValues(Pair::key));
    TestingStreams.Collected<Pair<String, Integer>> out = t.collect(cleaned);
    TestingStreams.Collected<String> unknown =
        t.collect(
            counts.transform(
                batch ->
                    PairBatch.of(batch)
                        .leftOuterJoin(spamScores)
                        .filter(p -> p.value().value().isEmpty())
                        .map(Pair::key)));
    t.runBatches(1);

    assertEquals(List.of(Pair.of("hello", 2)), out.batch(1));
    assertEquals(List.of("unknown"), unknown.batch(1));
  }

  @Test
  void batchOperationsComputeOnDemandInsideForeachBatch() {
    List<List<Integer>> input = List.of(List.of(5, 1, 4, 2, 3));
    List<Object> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    t.queue(input)
        .foreachBatch(
            b -> {
              seen.add(b.count());
              seen.add(b.take(2).size());
              seen.add(b.reduce(Integer::max).orElseThrow());
              seen.add(b.isEmpty());
              seen.add(
                  sorted(b.mapToPair(x -> Pair.of(x % 2, x)).reduceByKey(Integer::sum).collect()));
            });
    t.runBatches(1);
    assertEquals(List.of(5L, 2, 5, false, List.of(Pair.of(0, 6), Pair.of(1, 9))), seen);
  }

  @Test
  void printShowsTheFirstTenRecordsUnderTheSeedsHeader() {
    List<List<Integer>> input = new ArrayList<>();
    List<Integer> twelve = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      twelve.add(i);
    }
    input.add(twelve);
    input.add(List.of(7));
    TestingStreams single = new TestingStreams("local[1]");
    t.close();
    try (single) {
      single.queue(input).print();
      single.queue(List.of(List.of(Pair.of("hello", 1)))).print(3);
      single.runBatches(2);
      String expected =
          "-------------------------------------------\n"
              + "Time: 1000 ms\n"
              + "-------------------------------------------\n"
              + "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n...\n\n"
              + "-------------------------------------------\n"
              + "Time: 1000 ms\n"
              + "-------------------------------------------\n"
              + "(hello,1)\n\n"
              + "-------------------------------------------\n"
              + "Time: 2000 ms\n"
              + "-------------------------------------------\n"
              + "7\n\n"
              + "-------------------------------------------\n"
              + "Time: 2000 ms\n"
              + "-------------------------------------------\n\n";
      assertEquals(expected, single.printed());
    }
  }

  @Test
  void fusedPipelineCallsEachFunctionOncePerRecord() {
    List<List<Integer>> input = List.of(List.of(1, 2, 3, 4, 5, 6));
    java.util.concurrent.atomic.AtomicInteger mapCalls =
        new java.util.concurrent.atomic.AtomicInteger();
    TestingStreams.Collected<Integer> out =
        t.collect(
            t.queue(input)
                .map(
                    x -> {
                      mapCalls.incrementAndGet();
                      return x * 10;
                    })
                .filter(x -> x > 20));
    t.runBatches(1);
    assertEquals(List.of(30, 40, 50, 60), out.batch(1));
    assertEquals(6, mapCalls.get());
    assertTrue(t.ssc.defaultParallelism() == 2);
  }

  @Test
  void persistComputesAStreamOnceForSeveralOutputs() {
    List<List<Integer>> input = List.of(List.of(1, 2, 3));
    java.util.concurrent.atomic.AtomicInteger plainCalls =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger persistedCalls =
        new java.util.concurrent.atomic.AtomicInteger();
    DStream<Integer> plain = t.queue(input).map(x -> plainCalls.incrementAndGet());
    DStream<Integer> persisted =
        t.queue(input).map(x -> persistedCalls.incrementAndGet()).persist();
    for (DStream<Integer> s : List.of(plain, persisted)) {
      s.foreachBatch(Batch::count);
      s.foreachBatch(Batch::collect);
    }
    t.runBatches(1);
    assertEquals(6, plainCalls.get(), "without persist each output recomputes the map");
    assertEquals(3, persistedCalls.get(), "persisted: computed once, read twice");
  }
}
