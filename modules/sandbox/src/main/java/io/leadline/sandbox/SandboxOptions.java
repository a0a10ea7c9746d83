package io.leadline.sandbox;

import io.leadline.api.LeadlineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How candidates run: in bubblewrap (new user, pid, net, ipc, uts and cgroup namespaces, read-only
 * {@code /usr} and {@code /dev}, a private 256 MiB {@code /tmp}, an empty environment, as an
 * unprivileged user) or, only when asked for explicitly, without isolation.
 *
 * @param isolated false only for {@code --unsafe-no-sandbox}
 * @param python the interpreter; inside the sandbox it must live under {@code /usr}
 */
public record SandboxOptions(boolean isolated, Path python, int workers) {
  static final Path BWRAP = Path.of("/usr/bin/bwrap");
  static final Path SETPRIV = Path.of("/usr/bin/setpriv");

  /** Size of each worker's private {@code /tmp}, where the candidates' scratch folders live. */
  static final long TMP_BYTES = 256L << 20;

  /** Isolated, with the system {@code python3}, on {@code workers} interpreters. */
  public static SandboxOptions isolated(int workers) {
    return new SandboxOptions(true, Path.of("/usr/bin/python3"), workers);
  }

  /**
   * Without isolation ({@code --unsafe-no-sandbox}): the {@code python3} on {@code PATH}, with only
   * the reference's in-process guard between candidates and the machine.
   *
   * @throws LeadlineException if there is no {@code python3} on {@code PATH}
   */
  public static SandboxOptions unsafe(int workers) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "python3");
      if (Files.isExecutable(candidate)) {
        return new SandboxOptions(false, candidate, workers);
      }
    }
    throw LeadlineException.userInput("python3 is not on PATH (apt-get install python3)");
  }

  /**
   * The parent's environment variables the worker keeps: none but a search path and locale in the
   * sandbox; outside it also those a user-installed Python needs (pyenv, virtualenv, conda), never
   * keys or tokens.
   */
  Set<String> environment() {
    return isolated
        ? Set.of()
        : Set.of(
            "PATH",
            "HOME",
            "LANG",
            "LC_ALL",
            "PYENV_ROOT",
            "PYENV_VERSION",
            "VIRTUAL_ENV",
            "CONDA_PREFIX");
  }

  List<String> command(Path script) throws IOException {
    if (!isolated) {
      return List.of(python.toString(), "-u", "-I", script.toString());
    }
    if (!Files.isExecutable(BWRAP)) {
      throw LeadlineException.userInput(
          "the code sandbox needs bubblewrap: install it (apt-get install bubblewrap), or pass"
              + " --unsafe-no-sandbox to run model-written code without isolation");
    }
    if (!python.startsWith("/usr/") || !Files.isExecutable(python)) {
      throw LeadlineException.userInput(
          "the code sandbox needs a system python3 under /usr (apt-get install python3); %s is"
              + " not one",
          python);
    }
    // bwrap runs unprivileged: the bound script must be readable by the sandbox user.
    Files.setPosixFilePermissions(script.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
    List<String> command = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      // Resource limits on processes do not bind root: candidates run as nobody.
      command.addAll(
          List.of(SETPRIV.toString(), "--reuid=65534", "--regid=65534", "--clear-groups"));
    }
    command.addAll(
        List.of(
            BWRAP.toString(),
            "--unshare-all",
            "--die-with-parent",
            "--new-session",
            "--clearenv",
            "--setenv",
            "PATH",
            "/usr/bin:/bin",
            "--setenv",
            "HOME",
            "/tmp",
            "--setenv",
            "LANG",
            "C.UTF-8",
            "--ro-bind",
            "/usr",
            "/usr"));
    for (String top : List.of("/bin", "/lib", "/lib64", "/sbin", "/lib32", "/libx32")) {
      Path path = Path.of(top);
      if (Files.isSymbolicLink(path)) {
        command.addAll(List.of("--symlink", Files.readSymbolicLink(path).toString(), top));
      } else if (Files.isDirectory(path)) {
        command.addAll(List.of("--ro-bind", top, top));
      }
    }
    command.addAll(
        List.of(
            "--proc",
            "/proc",
            "--dev",
            "/dev",
            "--remount-ro",
            "/dev",
            "--size",
            Long.toString(TMP_BYTES),
            "--tmpfs",
            "/tmp",
            "--ro-bind",
            script.toString(),
            "/run/leadline/worker.py",
            // The sandbox's root folder would otherwise be writable and outlive a candidate.
            "--remount-ro",
            "/",
            "--chdir",
            "/tmp",
            python.toString(),
            "-u",
            "-I",
            "/run/leadline/worker.py",
            "--namespace"));
    return command;
  }
}
