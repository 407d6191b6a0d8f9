package dev.millrace.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class WatchedNamespacesTest {
  @Test
  void nothingBlankOrStarWatchesEveryNamespace() {
    assertTrue(WatchedNamespaces.parse(null).isAll());
    assertTrue(WatchedNamespaces.parse(" ").isAll());
    assertTrue(WatchedNamespaces.parse("*").isAll());
  }

  @Test
  void aCommaSeparatedListWatchesThoseNamespaces() {
    assertEquals(Set.of("team-a", "team-b"), WatchedNamespaces.parse("team-a, team-b,").names());
  }

  @Test
  void aNameKubernetesWouldRejectIsAnErrorNamingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> WatchedNamespaces.parse("team-a,Team_B"));
    assertTrue(e.getMessage().contains("'Team_B'"), e.getMessage());
  }
}
