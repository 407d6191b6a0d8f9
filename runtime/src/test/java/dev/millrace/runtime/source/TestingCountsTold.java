package dev.millrace.runtime.source;

import java.util.Iterator;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A text file stream that also tells a test how many lines each batch held, when {@link
 * PlannedDataset} reports a plan read in full ({@link EngineSource#planRead}).
 */
final class TestingCountsTold implements EngineSource<String, FilePart> {
  private final TextFileSource files;
  private final LongConsumer told;

  TestingCountsTold(TextFileSource files, LongConsumer told) {
    this.files = files;
    this.told = told;
  }

  @Override
  public void planRead(List<FilePart> plan, long records) {
    told.accept(records);
    files.planRead(plan, records);
  }

  @Override
  public boolean keepsReadParts() {
    return files.keepsReadParts();
  }

  @Override
  public String partName() {
    return files.partName();
  }

  @Override
  public String name() {
    return files.name();
  }

  @Override
  public void start() {
    files.start();
  }

  @Override
  public void recover(byte[] position, List<List<FilePart>> plansSince) {
    files.recover(position, plansSince);
  }

  @Override
  public List<FilePart> plan(long batchTime, long maxRecords) {
    return files.plan(batchTime, maxRecords);
  }

  @Override
  public Iterator<String> read(FilePart part) {
    return files.read(part);
  }

  @Override
  public byte[] position() {
    return files.position();
  }

  @Override
  public byte[] encode(FilePart part) {
    return files.encode(part);
  }

  @Override
  public FilePart decode(byte[] part) {
    return files.decode(part);
  }

  @Override
  public SourceStatus status() {
    return files.status();
  }
}
