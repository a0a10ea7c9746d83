package io.leadline.engine;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.expectThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import org.testng.annotations.Test;

public class JobTest {
  private static final Plan PLAN =
      new Plan(List.of("a"), List.of(new Plan.Cell("gsm8k", "main", false, "gpt-fathom", "", 2)));

  @Test
  public void aJobSurvivesTheTripToTheExecutors() throws IOException, ClassNotFoundException {
    Job job = builder().concurrency(3).executors(2).sandboxWorkers(4).build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(job);
    }
    Job back;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (Job) in.readObject();
    }
    assertEquals(back.runId(), "run-1");
    assertEquals(back.identities(), job.identities());
    assertEquals(back.concurrency(), 3);
    assertEquals(back.executors(), 2);
    assertEquals(back.sandboxWorkers(), 4);
    assertEquals(back.plan().items(), 2);
    assertEquals(back.plan().cells(), PLAN.cells());
  }

  @Test
  public void buildRefusesMissingFieldsAndCountsOutOfRange() {
    assertEquals(
        expectThrows(NullPointerException.class, () -> builder().store(null).build()).getMessage(),
        "store is null");
    expectThrows(IllegalArgumentException.class, () -> builder().concurrency(-1).build());
    expectThrows(IllegalArgumentException.class, () -> builder().executors(0).build());
    expectThrows(IllegalArgumentException.class, () -> builder().sandboxWorkers(0).build());
    IllegalArgumentException noIdentity =
        expectThrows(IllegalArgumentException.class, () -> builder().identities(Map.of()).build());
    assertEquals(noIdentity.getMessage(), "no identity for model a");
  }

  private static Job.Builder builder() {
    return Job.builder()
        .runId("run-1")
        .benchmarksDir("benchmarks")
        .settingsDir("settings")
        .data(DataMode.BUNDLED)
        .home("home")
        .store("home/results")
        .hadoopConf(new byte[0])
        .modelsFile("models.yaml", "models: []\n")
        .identities(Map.of("a", new ModelIdentity("a", "sim", "sim-v1", "chat", "")))
        .plan(PLAN);
  }
}
