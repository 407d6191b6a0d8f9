package dev.millrace.runtime.history;

import static dev.millrace.runtime.history.HistoryStoreTest.completed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.checkpoint.TestingHdfs;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The history in a checkpoint directory on a real MiniDFSCluster. */
@Tag("process")
class HistoryStoreHdfsTest {
  @RegisterExtension static final TestingHdfs HDFS = new TestingHdfs();

  @Test
  void theHistoryIsSavedAndLoadedOnHdfsAndARestartCountsTheNextRun() throws Exception {
    String checkpoint = HDFS.uri() + "/checkpoints/history";
    new Path(checkpoint).getFileSystem(HDFS.conf()).mkdirs(new Path(checkpoint));
    HistoryStore store = HistoryStore.in(checkpoint, HDFS.conf());
    assertTrue(store.save(1, 1, List.of(completed(1, 100, 5))));
    assertTrue(store.save(1, 2, List.of(completed(1, 100, 5), completed(1, 200, 6))));

    assertEquals(List.of(completed(1, 100, 5), completed(1, 200, 6)), store.load());
    BatchHistory restarted = store.restore(10, 2);
    assertEquals(2, restarted.run());
    assertEquals(2, restarted.page(null, 0, 10).total());
    assertEquals(
        1,
        new Path(checkpoint)
            .getFileSystem(HDFS.conf())
            .listStatus(new Path(checkpoint, HistoryStore.DIRECTORY))
            .length,
        "the older save is deleted");
  }
}
