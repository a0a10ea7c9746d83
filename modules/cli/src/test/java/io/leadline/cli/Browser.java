package io.leadline.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium driven through {@code /usr/bin/chromedriver}, for the report pages' tests: a
 * page is loaded at a given CSS width (a phone's 390 px is below headless Chromium's smallest
 * window, so the width is emulated as a phone's screen), a script of the test's runs in it, and a
 * screenshot of the whole page is written.
 */
final class Browser implements AutoCloseable {
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

  private final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  static Browser open() throws IOException {
    if (!Files.isExecutable(Path.of(CHROMEDRIVER))) {
      throw new AssertionError(
          CHROMEDRIVER + " is missing: run bin/ensure-tools (apt-get install chromium-driver)");
    }
    Path profile = Files.createTempDirectory("browser-profile");
    ChromeOptions options = new ChromeOptions();
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + profile,
        "--window-size=1280,1000");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
            .build();
    return new Browser(new ChromeDriver(service, options), profile);
  }

  /** Loads {@code page} in a viewport {@code width} CSS pixels wide (a phone's below 500). */
  void load(Path page, int width) {
    load(page.toUri().toString(), width);
  }

  /** Loads the page at {@code url} as {@link #load(Path, int)} does. */
  void load(String url, int width) {
    boolean phone = width < 500;
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of(
            "width", width, "height", phone ? 844 : 1000, "deviceScaleFactor", 1, "mobile", phone));
    driver.get(url);
    // The page's scripts have run when its charts say how many they drew (every page sets it).
    for (int i = 0; i < 100 && script("return document.body.dataset.charts") == null; i++) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** The driver, for a test that clicks. */
  ChromeDriver driver() {
    return driver;
  }

  /** Runs {@code body} (a function body) in the page; returns what it returns. */
  Object script(String body, Object... args) {
    return driver.executeScript(body, args);
  }

  /** A PNG of the whole page (not only the viewport) at {@code file}. */
  @SuppressWarnings("unchecked")
  void screenshot(Path file) throws IOException {
    Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
    Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
    Map<String, Object> shot =
        driver.executeCdpCommand(
            "Page.captureScreenshot",
            Map.of(
                "format",
                "png",
                "captureBeyondViewport",
                true,
                "clip",
                Map.of(
                    "x",
                    0,
                    "y",
                    0,
                    "width",
                    ((Number) size.get("width")).doubleValue(),
                    "height",
                    Math.min(16_000, ((Number) size.get("height")).doubleValue()),
                    "scale",
                    1)));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
  }

  @Override
  public void close() throws IOException {
    driver.quit();
    CliRun.deleteRecursively(profile);
  }
}
