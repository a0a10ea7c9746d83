package io.leadline.records;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.testng.annotations.Test;

/**
 * A model run in-process by llama.cpp in the manifest: its GGUF file's facts round-trip, label its
 * report column as a real local model with its parameter count, and are absent for other models.
 */
public class LocalModelRecordsTest {
  private static RunManifest.Model model(Optional<RunManifest.LocalModel> local) {
    return new RunManifest.Model(
        "stories260k",
        "llama-cpp",
        "stories260K",
        "completions",
        "in-process (llama.cpp)",
        false,
        Optional.empty(),
        Optional.empty(),
        List.of("stories260K.gguf (llama, 292,800 parameters)"),
        Map.of(),
        List.of(),
        java.util.Optional.empty(),
        java.util.Optional.empty(),
        java.util.Optional.empty(),
        java.util.List.of(),
        local);
  }

  @Test
  public void aLocalModelsFactsRoundTripAndLabelItsColumn() {
    RunManifest.Model stories =
        model(
            Optional.of(
                new RunManifest.LocalModel(
                    "stories260K.gguf", "270cba1b", "llama", 292_800, 512, 2048, 2048)));
    String json = RecordJson.write(stories);
    assertTrue(
        json.contains(
            "\"local_model\" : {\n    \"file\" : \"stories260K.gguf\",\n    \"sha256\" :"
                + " \"270cba1b\",\n    \"architecture\" : \"llama\",\n    \"parameters\" :"
                + " 292800,"),
        json);
    assertEquals(RecordJson.read(json, RunManifest.Model.class, "model"), stories);
    assertEquals(
        stories.localLabel(), Optional.of("real local model, llama.cpp, 292.8K parameters"));
    RunManifest.Model remote = model(Optional.empty());
    assertFalse(RecordJson.write(remote).contains("local_model"));
    assertEquals(remote.localLabel(), Optional.empty());
  }

  @Test
  public void parameterCountsReadAsOnModelCards() {
    assertEquals(RunManifest.LocalModel.count(999), "999");
    assertEquals(RunManifest.LocalModel.count(292_800), "292.8K");
    assertEquals(RunManifest.LocalModel.count(7_241_732_096L), "7.2B");
    assertEquals(RunManifest.LocalModel.count(1_000_000), "1M");
  }

  @Test
  public void aLocalModelIsNeverSimulated() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new RunManifest.Model(
                "m",
                "llama-cpp",
                "m",
                "completions",
                "h",
                true,
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Map.of(),
                List.of(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.List.of(),
                Optional.of(new RunManifest.LocalModel("m.gguf", "ab", "llama", 1, 1, 1, 1))));
  }
}
