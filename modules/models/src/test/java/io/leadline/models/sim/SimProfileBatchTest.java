package io.leadline.models.sim;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.expectThrows;

import io.leadline.api.LeadlineException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/** The optional {@code batch:} section of a sim profile. */
public class SimProfileBatchTest {
  private static final String BASE = "snapshot: sim-test\naccuracy: {default: 0.5}\n";

  @Test
  public void pinsEveryDefault() {
    SimProfile.Batch batch = SimProfile.parse("p.yaml", BASE).batch();
    assertEquals(batch, SimProfile.Batch.DEFAULT);
    assertEquals(batch.delay(), Duration.ofMillis(2000));
    assertEquals(batch.expire(), 0.0);
    assertEquals(batch.openAiMaxRequests(), 50_000);
    assertEquals(batch.anthropicMaxRequests(), 100_000);
    assertEquals(batch.openAiMaxBytes(), 200L * 1024 * 1024);
    assertEquals(batch.anthropicMaxBytes(), 256L * 1024 * 1024);
  }

  @Test
  public void readsTheSection() {
    SimProfile.Batch batch =
        SimProfile.parse(
                "p.yaml",
                BASE + "batch: {delay_ms: 150, expire: 0.25, max_requests: 7, max_bytes: 4096}\n")
            .batch();
    assertEquals(
        batch,
        new SimProfile.Batch(
            Duration.ofMillis(150), 0.25, OptionalLong.of(7), OptionalLong.of(4096)));
    assertEquals(batch.openAiMaxRequests(), 7);
    assertEquals(batch.anthropicMaxRequests(), 7);
    assertEquals(batch.openAiMaxBytes(), 4096);
    assertEquals(batch.anthropicMaxBytes(), 4096);
  }

  @Test
  public void aProfileWithoutTheSectionKeepsItsFingerprint() {
    // The digest of settings/sim-v1.yaml's text, as the profile reader computed it before batches.
    SimProfile v1 = SimProfile.load(Path.of("../../settings/sim-v1.yaml"));
    assertEquals(v1.fingerprint(), "sim-9716c48929f5");
    SimProfile batched =
        v1.withBatch(
            new SimProfile.Batch(
                Duration.ofMillis(200), 0.5, OptionalLong.empty(), OptionalLong.empty()));
    assertEquals(batched.fingerprint(), v1.fingerprint(), "batching changes no answer");
    assertEquals(batched.batch().expire(), 0.5);
  }

  @DataProvider
  public Object[][] badSections() {
    return new Object[][] {
      {
        "batch: {delay: 5}",
        "p.yaml: batch: unknown key 'delay'; known: delay_ms, expire, max_bytes, max_requests"
      },
      {
        "batch: {delay_ms: -1}",
        "p.yaml: batch.delay_ms: expected a number in [0.0, 8.64E7], got -1"
      },
      {"batch: {expire: 1.5}", "p.yaml: batch.expire: expected a number in [0.0, 1.0], got 1.5"},
      {
        "batch: {max_requests: 0}",
        "p.yaml: batch.max_requests: expected a whole number in [1, 9223372036854775807], got 0"
      },
      {
        "batch: {max_bytes: 1.5}",
        "p.yaml: batch.max_bytes: expected a whole number in [1, 9223372036854775807], got 1.5"
      },
      {"batch: 3", "p.yaml: batch: expected a mapping, got 3"},
    };
  }

  @Test(dataProvider = "badSections")
  public void aBadSectionIsOneLineNamingFileAndKey(String section, String message) {
    LeadlineException error =
        expectThrows(LeadlineException.class, () -> SimProfile.parse("p.yaml", BASE + section));
    assertEquals(error.getMessage(), message);
  }
}
