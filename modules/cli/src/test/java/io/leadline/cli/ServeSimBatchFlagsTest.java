package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/** {@code serve-sim --batch-*}: the flags reach the batch APIs, and bad values are one line. */
public class ServeSimBatchFlagsTest {
  @Test(timeOut = 60_000)
  public void flagsOverrideTheProfilesBatchSection() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Thread server =
        new Thread(
            () ->
                Leadline.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                    .execute(
                        "serve-sim",
                        "--port",
                        "0",
                        "--batch-delay",
                        "0",
                        "--batch-expire",
                        "1",
                        "--batch-max-requests",
                        "3"));
    server.start();
    Matcher url = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+/v1) ").matcher("");
    while (!url.reset(out.toString()).find()) {
      assertTrue(server.isAlive(), "serve-sim stopped: " + err);
      Thread.sleep(20);
    }
    String params =
        "{\"model\":\"sim-v1\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> three = post(http, url.group(1), batch(params, "a", "b", "c"));
    HttpResponse<String> four = post(http, url.group(1), batch(params, "a", "b", "c", "d"));
    server.interrupt();
    server.join(10_000);
    // No delay: ended at once; expire 1: every request expired; at most 3 requests.
    assertEquals(three.statusCode(), 200, three.body());
    assertTrue(three.body().contains("\"processing_status\":\"ended\""), three.body());
    assertTrue(three.body().contains("\"expired\":3"), three.body());
    assertEquals(four.statusCode(), 400, four.body());
  }

  private static String batch(String params, String... ids) {
    StringBuilder body = new StringBuilder("{\"requests\":[");
    for (int i = 0; i < ids.length; i++) {
      body.append(i == 0 ? "" : ",")
          .append("{\"custom_id\":\"")
          .append(ids[i])
          .append("\",\"params\":")
          .append(params)
          .append('}');
    }
    return body.append("]}").toString();
  }

  private static HttpResponse<String> post(HttpClient http, String base, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + "/messages/batches"))
            .header("anthropic-version", "2023-06-01")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @DataProvider
  public Object[][] badFlags() {
    return new Object[][] {
      {"--batch-delay", "-1", "--batch-delay: expected milliseconds in [0, 86400000], got -1"},
      {"--batch-expire", "1.5", "--batch-expire: expected a fraction in [0, 1], got 1.5"},
      {"--batch-max-requests", "0", "--batch-max-requests: expected a whole number >= 1, got 0"},
      {"--batch-max-bytes", "0", "--batch-max-bytes: expected a whole number >= 1, got 0"},
    };
  }

  @Test(dataProvider = "badFlags")
  public void aBadValueIsOneLine(String flag, String value, String message) {
    CliRun run = CliRun.of("serve-sim", "--port", "0", flag, value);
    assertEquals(run.exitCode(), 2);
    assertEquals(run.err(), "leadline serve-sim: " + message + "\n");
  }
}
