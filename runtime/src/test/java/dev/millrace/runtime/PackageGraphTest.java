package dev.millrace.runtime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
   * captures: the engine's rooms, its entry point (the root package {@code dev.millrace.runtime},
   * named "runtime") and the user's API ("streaming").
   */
  private static final List<String> ENGINE =
      List.of("dev.millrace.runtime.(**)", "dev.millrace.(runtime)", "dev.millrace.(streaming)");

  private static final JavaClasses MAIN_CODE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.millrace.runtime", "dev.millrace.streaming");

  /**
   * The one seam: the user's API starts the engine through its entry point, and the engine uses the
   * API's values (Duration, Pair, Batch, the user's functions). Every other dependency counts.
   */
  @Test
  void noDependencyCycleRunsBetweenTheEnginesPackages() {
    PackageGraph whole = PackageGraph.of(MAIN_CODE, ENGINE);
    PackageGraph graph = whole.without("streaming", "runtime");

    assertTrue(
        graph
            .packages()
            .containsAll(
                List.of("backend.local", "checkpoint", "cli", "scheduler", "runtime", "streaming")),
        () -> "the engine's packages were not imported, found only " + graph.packages());
    assertFalse(
        whole.dependencies("streaming", "runtime").isEmpty(),
        "the seam this test allows is where the API starts the engine; if it is gone, drop it");
    assertEquals(
        "",
        graph.describe(graph.cycles()),
        "These packages of the runtime depend on each other in a cycle. Break it by moving the"
            + " class that closes it to the package its concept belongs in, or by an interface"
            + " the lower package owns");
  }

  /**
   * The user's API reaches the engine only through its entry point, the package {@code
   * dev.millrace.runtime}: nothing in {@code dev.millrace.streaming} uses an engine room.
   */
  @Test
  void theUsersApiReachesTheEngineOnlyThroughItsEntryPoint() {
    noClasses()
        .that()
        .resideInAPackage("dev.millrace.streaming..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.millrace.runtime.*..")
        .because(
            "the user's API reaches the engine only through the engine entry point in"
                + " dev.millrace.runtime")
        .check(MAIN_CODE);
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
