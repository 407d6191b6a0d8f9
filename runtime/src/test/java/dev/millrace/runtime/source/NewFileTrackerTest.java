package dev.millrace.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class NewFileTrackerTest {

  @Test
  void forgetsNamesNoLongerInTheDirectory() {
    NewFileTracker tracker = new NewFileTracker(List.of(file("old", 0)));
    for (int batch = 1; batch <= 100; batch++) {
      long time = batch * 1_000L;
      tracker.select(List.of(file("f" + batch, time)), time);
    }

    assertEquals(1, tracker.rememberedNames());
  }

  @Test
  void takesFileAtBatchTimeEqualToItsModificationTime() {
    NewFileTracker tracker = new NewFileTracker(List.of());
    ListedFile f = file("exact", 1_000);

    assertEquals(List.of(), tracker.select(List.of(f), 999));
    assertEquals(List.of(f), tracker.select(List.of(f), 1_000));
  }

  @Test
  void treatsDotAndUnderscoreNamesAsHidden() {
    assertEquals(true, NewFileTracker.isHidden(".part"));
    assertEquals(true, NewFileTracker.isHidden("_SUCCESS"));
    assertEquals(false, NewFileTracker.isHidden("data.txt"));
  }

  private static ListedFile file(String name, long modified) {
    return new ListedFile("/in/" + name, name, modified, 1);
  }
}
