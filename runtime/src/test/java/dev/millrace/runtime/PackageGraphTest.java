package dev.millrace.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.millrace.runtime.packagegraph.downstairs.Downstairs;
import dev.millrace.runtime.packagegraph.upstairs.Upstairs;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's packages depend on each other in one direction only, so each room can be read,
 * tested and changed without the rooms above it. A cycle fails this test with the packages on it
 * and the class-to-class dependencies that close it.
 */
class PackageGraphTest {

  /**
   * The packages whose dependencies must form no cycle, each named by the group its pattern
   * captures. {@code dev.millrace.streaming} joins once it only describes the graph (as {@code
   * "dev.millrace.(streaming)"}); the root package {@code dev.millrace.runtime}, the engine entry
   * point, stays out: it is the one seam through which the user's API reaches the engine.
   */
  private static final List<String> ENGINE = List.of("dev.millrace.runtime.(**)");

  private static final JavaClasses MAIN_CODE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.millrace.runtime", "dev.millrace.streaming");

  @Test
  void noDependencyCycleRunsBetweenTheEnginesPackages() {
    PackageGraph graph = PackageGraph.of(MAIN_CODE, ENGINE);

    assertTrue(
        graph.packages().containsAll(List.of("backend.local", "checkpoint", "cli", "scheduler")),
        () -> "the engine's packages were not imported, found only " + graph.packages());
    assertEquals(
        "",
        graph.describe(graph.cycles()),
        "These packages of the runtime depend on each other in a cycle. Break it by moving the"
            + " class that closes it to the package its concept belongs in, or by an interface"
            + " the lower package owns");
  }

  @Test
  void aCycleIsReportedWithItsPackagesAndTheClassesThatCloseIt() {
    JavaClasses stairs = new ClassFileImporter().importClasses(Upstairs.class, Downstairs.class);

    PackageGraph graph = PackageGraph.of(stairs, List.of("dev.millrace.runtime.packagegraph.(*)"));

    assertEquals(
        """
          {downstairs, upstairs}
            downstairs -> upstairs: Downstairs -> Upstairs
            upstairs -> downstairs: Upstairs -> Downstairs
        """,
        graph.describe(graph.cycles()));
  }
}
