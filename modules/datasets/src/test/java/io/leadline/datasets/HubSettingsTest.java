package io.leadline.datasets;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.leadline.api.LeadlineException;
import java.util.Map;
import org.testng.annotations.Test;

public class HubSettingsTest {
  @Test
  public void settingsComeFromTheEnvironmentAndHideTheToken() {
    HubSettings settings =
        HubSettings.fromEnvironment(
            Map.of(
                "HF_ENDPOINT", "http://127.0.0.1:9/",
                "HF_TOKEN", "hf_secretsecretsecret",
                "HF_HUB_OFFLINE", "1",
                "LEADLINE_HOME", "/tmp/lh"));
    assertEquals(settings.hubEndpoint().toString(), "http://127.0.0.1:9");
    assertEquals(settings.viewerEndpoint(), HubSettings.DEFAULT_VIEWER);
    assertTrue(settings.offline());
    assertTrue(settings.token().isPresent());
    assertTrue(!settings.toString().contains("secret"), settings.toString());
  }

  @Test
  public void badEndpointNamesTheVariable() {
    LeadlineException e =
        expectThrows(
            LeadlineException.class,
            () -> HubSettings.fromEnvironment(Map.of("HF_DATASETS_SERVER", "not a url")));
    assertTrue(e.getMessage().startsWith("HF_DATASETS_SERVER: expected a URL"), e.getMessage());
  }
}
