package io.leadline.models.sim;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.expectThrows;

import io.leadline.api.LeadlineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/** A profile path that names some other file says so without quoting a word of it. */
public class SimProfileFileTest {
  private static final String SECRET = "sk-never-echo-this-0123456789";

  @DataProvider
  public Object[][] notProfiles() {
    return new Object[][] {
      {"OPENAI_API_KEY=" + SECRET + "\n"},
      {"- " + SECRET + "\n- two\n"},
      {"token: " + SECRET + "\nother: 1\n"},
      {"{ unclosed: [" + SECRET + "\n"},
      {""},
    };
  }

  @Test(dataProvider = "notProfiles")
  public void aFileThatIsNotAProfileIsNamedNotQuoted(String content) throws IOException {
    Path file = Files.createTempFile("not-a-profile", ".env");
    try {
      Files.writeString(file, content);
      LeadlineException error =
          expectThrows(
              LeadlineException.class,
              () -> SimProfile.resolve(file.toString(), file.getParent(), "model s: profile"));
      assertEquals(
          error.getMessage(),
          "model s: profile "
              + file
              + ": not a sim profile (expected a YAML mapping with snapshot: and accuracy:, like"
              + " settings/sim-v1.yaml)");
    } finally {
      Files.delete(file);
    }
  }
}
