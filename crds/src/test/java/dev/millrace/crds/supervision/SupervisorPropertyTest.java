package dev.millrace.crds.supervision;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Random worlds obey the Supervisor while {@link TestingWorld} checks its promises after every
 * event. Seeds are fixed so a build is reproducible; {@code -Dsupervisor.seed=N} starts elsewhere
 * and {@code -Dsupervisor.runs=N} runs more. A failure names its seed.
 */
class SupervisorPropertyTest {
  private static final long FIRST_SEED = Long.getLong("supervisor.seed", 1L);
  private static final int RUNS = Integer.getInteger("supervisor.runs", 2000);

  @Test
  void supervisorKeepsItsPromisesInRandomWorlds() {
    Map<TestingWorld.Seen, Integer> seen = TestingWorld.newTally();
    long started = System.nanoTime();
    for (long seed = FIRST_SEED; seed < FIRST_SEED + RUNS; seed++) {
      new TestingWorld(seed, seen).run(100 + (int) Math.floorMod(seed * 7919, 300));
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.println(RUNS + " random worlds in " + millis + " ms; seen " + seen);
    seen.forEach(
        (what, times) -> assertTrue(times > 0, "the worlds never saw " + what + ": " + seen));
  }
}
