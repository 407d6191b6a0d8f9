package dev.millrace.runtime.recovery;

import dev.millrace.runtime.checkpoint.DamagedPlan;
import dev.millrace.runtime.source.SkippedInput;
import dev.millrace.runtime.stream.InputNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The batches a recovery finds without a plan that verifies in the batch log: after the generation
 * it restores and up to the last logged batch, in runs of consecutive batch times. An operator
 * deleted their plan files (as the error about a damaged plan advises), or they are damaged still.
 * Each input tells what the batches of a run had taken ({@link
 * dev.millrace.runtime.source.InputSource#unplanned}); the recovery skips that input, and the
 * sources count it as taken, so that what follows computes as if those batches' input had been
 * empty.
 *
 * <p>A run that no logged batch follows is not skipped: its batches are planned again from the
 * inputs. Only damaged plans can make such a run (a deleted newest plan leaves no trace but, at
 * most, a done mark).
 */
final class UnplannedBatches {
  /**
   * Batches {@code first} to {@code last} have no plan; {@code followed}: a logged batch comes
   * after them; {@code skipped}: what each input skips for them, in the graph's input order.
   */
  record Run(long first, long last, boolean followed, List<SkippedInput> skipped) {
    Run {
      skipped = List.copyOf(skipped);
    }

    boolean contains(long time) {
      return time >= first && time <= last;
    }

    boolean skipsNothing() {
      return skipped.stream().allMatch(s -> s.extent() == SkippedInput.Extent.NOTHING);
    }

    boolean uncertain() {
      return skipped.stream().anyMatch(s -> s.extent() == SkippedInput.Extent.UNCERTAIN);
    }

    String batches() {
      return first == last ? "batch " + first : "batches " + first + " to " + last;
    }
  }

  private final List<InputNode<?>> inputs;
  private final List<Run> runs;
  private final List<NavigableMap<Long, byte[]>> plansPerInput;

  private UnplannedBatches(
      List<InputNode<?>> inputs, List<Run> runs, List<NavigableMap<Long, byte[]>> plansPerInput) {
    this.inputs = inputs;
    this.runs = runs;
    this.plansPerInput = plansPerInput;
  }

  /**
   * The runs of batch times after {@code after}, every {@code interval}, up to the newest of the
   * {@code planned} and {@code damaged} times, that have no plan in {@code planned} (batch time to
   * each input's plan), with what each of {@code inputs} skips for them given its {@code positions}
   * in the restored generation. Changes nothing.
   */
  static UnplannedBatches find(
      long after,
      long interval,
      NavigableMap<Long, List<byte[]>> planned,
      Collection<Long> damaged,
      List<InputNode<?>> inputs,
      List<byte[]> positions) {
    List<NavigableMap<Long, byte[]>> plansPerInput = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      NavigableMap<Long, byte[]> plans = new TreeMap<>();
      for (var batch : planned.entrySet()) {
        plans.put(batch.getKey(), batch.getValue().get(i));
      }
      plansPerInput.add(plans);
    }
    long newest = planned.isEmpty() ? after : planned.lastKey();
    for (long time : damaged) {
      newest = Math.max(newest, time);
    }
    List<Run> runs = new ArrayList<>();
    for (long time = after + interval; time <= newest; time += interval) {
      if (planned.containsKey(time)) {
        continue;
      }
      long first = time;
      while (time + interval <= newest && !planned.containsKey(time + interval)) {
        time += interval;
      }
      List<SkippedInput> skipped = new ArrayList<>();
      for (int i = 0; i < inputs.size(); i++) {
        NavigableMap<Long, byte[]> plans = plansPerInput.get(i);
        SkippedInput skip = inputs.get(i).source().unplanned(first, time, positions.get(i), plans);
        // A later run's input starts where this one's skipped input ends.
        plans.put(first, skip.plan());
        skipped.add(skip);
      }
      runs.add(new Run(first, time, planned.higherKey(time) != null, skipped));
    }
    return new UnplannedBatches(inputs, runs, plansPerInput);
  }

  /** The runs, in time order. */
  List<Run> runs() {
    return runs;
  }

  /**
   * Input {@code i}'s plans in time order: the logged ones and, for each run, what it skips, which
   * {@code recover} must count as taken.
   */
  List<byte[]> plansForRecovery(int i) {
    return List.copyOf(plansPerInput.get(i).values());
  }

  /**
   * What to do about the {@code damaged} plans: restore them, or delete them, with what deleting
   * each would skip, as the recovery after the deletion will do it; deletion is not advised where
   * an input cannot tell exactly. {@code runsEmpty}: whether the recovery runs a skipped batch with
   * empty input (else it does not run it again).
   */
  String adviceFor(List<DamagedPlan> damaged, boolean runsEmpty) {
    List<Run> affected =
        runs.stream()
            .filter(r -> damaged.stream().anyMatch(d -> r.contains(d.batchTime())))
            .toList();
    boolean certain = affected.stream().noneMatch(Run::uncertain);
    boolean one = damaged.size() == 1;
    StringBuilder advice =
        new StringBuilder(one ? "Restore it from a backup" : "Restore them from a backup");
    if (certain) {
      advice.append(
          one ? ", or delete it to skip that batch" : ", or delete them to skip those batches");
    }
    advice.append(", then start again.");
    for (Run run : affected) {
      List<String> paths =
          damaged.stream().filter(d -> run.contains(d.batchTime())).map(DamagedPlan::path).toList();
      advice.append(" Deleting ").append(String.join(" and ", paths));
      if (!run.followed()) {
        advice
            .append(" makes the recovery plan ")
            .append(run.batches())
            .append(" again, as no logged batch follows: ");
      } else if (run.uncertain()) {
        advice
            .append(" would skip ")
            .append(run.batches())
            .append(", but not exactly the input it had taken: ");
      } else {
        advice
            .append(" makes the recovery ")
            .append(runsEmpty ? "run " : "pass over ")
            .append(run.batches())
            .append(runsEmpty ? " as if its input had been empty" : " without running it again")
            .append(" and skip, with a warning, what it had taken: ");
      }
      advice.append(describe(run)).append('.');
    }
    return advice.toString();
  }

  /** Each input's part of what {@code run} skips: {@code input textFileStream#0: 2 files ...}. */
  String describe(Run run) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      parts.add("input " + inputs.get(i).name() + ": " + run.skipped().get(i).description());
    }
    return parts.stream().collect(Collectors.joining("; "));
  }
}
