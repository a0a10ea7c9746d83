package io.leadline.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;

import io.leadline.models.ModelsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testng.annotations.Test;

/**
 * What can be checked of {@code docker/} without a Docker engine: the image's build stage runs the
 * README's build command, so it copies the jars these tests ran; every path it copies exists once
 * that build is done; the entrypoint is valid shell; the compose file passes docker-compose's
 * schema validation (and a broken one does not); the models file the driver uses is valid.
 */
public class DockerIT {
  private static final Path ROOT = Path.of(System.getProperty("leadline.root"));
  private static final Pattern COPY =
      Pattern.compile("^COPY (--from=build )?(\\S+) (\\S+)$", Pattern.MULTILINE);

  @Test
  public void dockerfileBuildsAndCopiesTheJarsTheTestsUse() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertTrue(readme.contains("mvn -B -ntp -q -DskipTests package && bin/leadline sweep"));
    assertTrue(
        dockerfile.contains("RUN mvn -B -ntp -q -DskipTests package\n"),
        "the build stage runs the README's build command");
    Matcher copy = COPY.matcher(dockerfile);
    List<String> copied = new ArrayList<>();
    while (copy.find()) {
      String source = copy.group(2);
      Path path =
          copy.group(1) != null
              ? ROOT.resolve(source.substring("/src/".length()))
              : ROOT.resolve(source.replaceAll("/$", ""));
      if (!source.equals("./")) {
        assertTrue(Files.exists(path), "the Dockerfile copies " + source + ", which is missing");
      }
      copied.add(source);
    }
    assertTrue(copied.contains("/src/modules/app/target/leadline-app.jar"), copied.toString());
    assertTrue(copied.contains("/src/modules/app/target/spark-jars"), copied.toString());
    ModelsFile.load(ROOT.resolve("docker/models.yaml"));
  }

  @Test
  public void entrypointIsValidShell() throws Exception {
    assertEquals(run(List.of("bash", "-n", ROOT.resolve("docker/entrypoint.sh").toString())), 0);
  }

  @Test
  public void composeFilePassesDockerComposeValidation() throws Exception {
    Path compose = ROOT.resolve("docker/compose.yaml");
    assertEquals(run(List.of("docker-compose", "-f", compose.toString(), "config", "-q")), 0);

    Path broken = Files.createTempFile(ROOT.resolve("docker"), "broken-", ".yaml");
    try {
      Files.writeString(
          broken,
          Files.readString(compose).replace("    command: [\"spark-master\"]", "    commnd: x"));
      assertNotEquals(run(List.of("docker-compose", "-f", broken.toString(), "config", "-q")), 0);
    } finally {
      Files.delete(broken);
    }
  }

  private static int run(List<String> command) throws Exception {
    Process process;
    try {
      process = new ProcessBuilder(command).inheritIO().start();
    } catch (IOException e) {
      throw new AssertionError(
          command.get(0) + " is missing: run bin/ensure-tools (apt-get install docker-compose)", e);
    }
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), String.join(" ", command));
    return process.exitValue();
  }
}
