package io.leadline.engine;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;

import io.leadline.api.LeadlineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeMethod;
import org.testng.annotations.Test;

public class RunFolderTest {
  private static final String PLAN = "a".repeat(64);
  private static final String OTHER = "b".repeat(64);
  private Path dir;

  @BeforeMethod
  public void start() throws Exception {
    dir = Files.createTempDirectory("run-folder-test");
  }

  @AfterMethod(alwaysRun = true)
  public void stop() {
    SweepFixture.deleteRecursively(dir);
  }

  private RunFolder claim(Path out, String plan, SweepSpec.Existing existing) {
    return RunFolder.claim(
        Optional.of(out.toString()),
        dir,
        plan,
        existing,
        new Configuration(),
        new SweepListener() {});
  }

  /** Issue 21: a second sweep into the same --out is refused at once, in one line. */
  @Test
  public void aSecondSweepIntoTheFolderIsRefusedWhileTheFirstHoldsIt() {
    Path out = dir.resolve("same");
    RunFolder first = claim(out, PLAN, SweepSpec.Existing.REFUSE);
    LeadlineException refused = expectThrows(() -> claim(out, PLAN, SweepSpec.Existing.REFUSE));
    assertTrue(
        refused
            .getMessage()
            .startsWith("--out: " + out + " is being written by another sweep (pid "),
        refused.getMessage());
    assertEquals(refused.getMessage().lines().count(), 1);
    assertEquals(refused.kind().exitCode(), 2);
    // Neither --resume nor --overwrite takes a folder another sweep is writing.
    expectThrows(() -> claim(out, PLAN, SweepSpec.Existing.OVERWRITE));
    String written = first.commit();
    assertEquals(written, out.toString());
    assertTrue(Files.isDirectory(out));
    assertTrue(!Files.exists(out.resolve("same.partial")), "never nested");
    assertTrue(!Files.exists(dir.resolve("same.partial")));
    assertTrue(!Files.exists(out.resolve(".lease")));
  }

  @Test
  public void anUnfinishedFolderOfTheSamePlanIsContinuedAndOfAnotherRefused() {
    Path out = dir.resolve("left");
    claim(out, PLAN, SweepSpec.Existing.REFUSE).abandon();
    claim(out, PLAN, SweepSpec.Existing.REFUSE).abandon();
    LeadlineException refused = expectThrows(() -> claim(out, OTHER, SweepSpec.Existing.REFUSE));
    assertTrue(refused.getMessage().contains("stopped before finishing"), refused.getMessage());
    assertTrue(refused.getMessage().contains("--overwrite"), refused.getMessage());
    claim(out, OTHER, SweepSpec.Existing.OVERWRITE).commit();
    assertTrue(Files.isDirectory(out));
  }

  @Test
  public void aFinishedFolderNeedsResumeWithItsPlanOrOverwrite() throws Exception {
    Path out = dir.resolve("done");
    claim(out, PLAN, SweepSpec.Existing.REFUSE).commit();
    Files.writeString(out.resolve("manifest.json"), "{\"plan_hash\": \"" + PLAN + "\"}");
    LeadlineException exists = expectThrows(() -> claim(out, PLAN, SweepSpec.Existing.REFUSE));
    assertEquals(
        exists.getMessage(),
        "--out: "
            + out
            + " already exists (a finished run); add --resume to continue it (same plan),"
            + " --overwrite to replace it, or name a new folder");
    LeadlineException other = expectThrows(() -> claim(out, OTHER, SweepSpec.Existing.RESUME));
    assertTrue(other.getMessage().contains("plan hash aaaaaaaaaaaa, this sweep's bbbbbbbbbbbb"));
    RunFolder resumed = claim(out, PLAN, SweepSpec.Existing.RESUME);
    assertTrue(Files.exists(out.resolve("manifest.json")), "the old folder stays until the swap");
    resumed.commit();
    assertTrue(!Files.exists(out.resolve("manifest.json")), "swapped for the new one");
    try (var names = Files.list(dir)) {
      assertEquals(
          names.map(p -> p.getFileName().toString()).sorted().toList(), java.util.List.of("done"));
    }
  }

  private static LeadlineException expectThrows(Runnable claim) {
    try {
      claim.run();
    } catch (LeadlineException e) {
      return e;
    }
    assertThrows(LeadlineException.class, () -> {});
    throw new AssertionError("not refused");
  }
}
