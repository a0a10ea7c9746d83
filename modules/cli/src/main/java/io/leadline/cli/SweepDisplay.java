package io.leadline.cli;

import io.leadline.engine.Progress;
import io.leadline.engine.SweepListener;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The sweep's progress on standard error. On a terminal, one line per model redrawn in place, each
 * cut to fit the terminal's width (what is least needed goes first: tokens, then cached, rate and
 * failures), with the messages printed above them; the elapsed time is the engine's, the same the
 * summary gives. Otherwise a line every ten seconds. Thread-safe: the engine calls it from its
 * threads.
 */
final class SweepDisplay implements SweepListener, AutoCloseable {
  private static final String PREFIX = "leadline sweep: ";
  private static final long QUIET_INTERVAL_NANOS = 10_000_000_000L;
  private static final long WIDTH_INTERVAL_NANOS = 1_000_000_000L;

  /** Moves the cursor to the start of the line {@code n} lines up. */
  private static final String UP = "\u001b[%dF";

  private static final String CLEAR_TO_END = "\u001b[K";

  private final PrintWriter err;
  private final boolean terminal;
  private final IntSupplier width;
  private long lastLine = System.nanoTime();

  /** Lines of the live block on screen below the messages, to move up over at the next redraw. */
  private int drawn;

  private List<String> live = List.of();
  private Progress last;

  /**
   * A display on {@code err}: redrawn in place if {@code terminal}, {@code width} columns wide
   * (asked again at most once a second).
   */
  SweepDisplay(PrintWriter err, boolean terminal, IntSupplier width) {
    this.err = err;
    this.terminal = terminal;
    this.width = new CachedWidth(width);
  }

  /** A display on the process's terminal if standard error is one. */
  static SweepDisplay of(PrintWriter err, Map<String, String> environment) {
    return new SweepDisplay(err, errIsTerminal(), () -> columns(environment));
  }

  /**
   * Whether standard error is a terminal: on Linux, what its descriptor links to; elsewhere the
   * console's word (which asks about standard input and output, the best the JDK knows).
   */
  private static boolean errIsTerminal() {
    try {
      String target =
          java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }

  /** Shown at once on a terminal, until the first message replaces it. */
  void status(String line) {
    synchronized (this) {
      if (terminal) {
        live = List.of(PREFIX + line);
        redraw();
      }
    }
  }

  @Override
  public synchronized void message(String line) {
    if (terminal) {
      // Above the live lines: move up over them, write the message, draw them again below it.
      erase();
      err.print(PREFIX + line + CLEAR_TO_END + "\n");
      live = last == null ? List.of() : lines(last, width.getAsInt());
      redraw();
    } else {
      err.println(PREFIX + line);
    }
    err.flush();
  }

  @Override
  public synchronized void requestsStarted(Progress progress) {
    long cached = progress.models().stream().mapToLong(Progress.Model::cached).sum();
    long shared = progress.models().stream().mapToLong(Progress.Model::shared).sum();
    message(
        String.format(
            Locale.ROOT,
            "%,d items, %,d answered by the result store,%s %,d to send",
            progress.items(),
            cached,
            shared == 0
                ? ""
                : String.format(
                    Locale.ROOT, " %,d sharing another item's identical request,", shared),
            progress.items() - cached - shared));
    if (terminal && cached + shared < progress.items()) {
      last = progress;
      live = lines(progress, width.getAsInt());
      redraw();
    }
  }

  @Override
  public synchronized void progress(Progress progress) {
    if (terminal) {
      if (last != null) {
        last = progress;
        live = lines(progress, width.getAsInt());
        redraw();
      }
    } else if (System.nanoTime() - lastLine > QUIET_INTERVAL_NANOS) {
      lastLine = System.nanoTime();
      err.printf(
          Locale.ROOT,
          PREFIX + "%,d/%,d items, %s; %s%n",
          progress.finished(),
          progress.items(),
          clock(progress.elapsed()),
          summary(progress));
      err.flush();
    }
  }

  @Override
  public synchronized void requestsFinished(Progress progress) {
    if (terminal && last != null) {
      // The last state stays on screen, the summary below it.
      live = lines(progress, width.getAsInt());
      redraw();
      drawn = 0;
      live = List.of();
      last = null;
    }
    for (Progress.Model model : progress.models()) {
      message(
          String.format(
              Locale.ROOT,
              "%s: %,d items: %,d cached, %,d shared, %,d answered, %,d failed; %,d requests, %,d"
                  + " tokens",
              model.name(),
              model.items(),
              model.cached(),
              model.shared(),
              model.done(),
              model.failed(),
              model.requests(),
              model.tokens()));
    }
    long requests = progress.models().stream().mapToLong(Progress.Model::requests).sum();
    message(
        String.format(
            Locale.ROOT,
            requests == 0
                ? "no request sent; planning and checking the store took %s (%.1f s)"
                : "requests took %s (%.1f s)",
            clock(progress.elapsed()),
            progress.elapsed().toMillis() / 1000.0));
  }

  @Override
  public synchronized void close() {
    if (terminal && last == null) {
      // A status line nothing replaced (the sweep failed in planning) is taken off the screen;
      // the models' lines of a sweep that failed stay, above its error.
      erase();
      live = List.of();
    }
    err.flush();
  }

  private void redraw() {
    erase();
    for (String line : live) {
      err.print(line + CLEAR_TO_END + "\n");
    }
    drawn = live.size();
    err.flush();
  }

  /** Moves to the first line of the live block, clearing it, so what comes next writes over it. */
  private void erase() {
    if (drawn > 0) {
      err.print(String.format(Locale.ROOT, UP, drawn) + "\u001b[J");
      drawn = 0;
    }
  }

  /**
   * {@code requests} over {@code seconds} as a rate a slow server still shows: {@code 12 req/s},
   * {@code 3.4 req/s}, {@code 0.22 req/s}, below that per minute ({@code 4.2 req/min}).
   */
  static String rate(long requests, double seconds) {
    double perSecond = requests / seconds;
    if (perSecond >= 10) {
      return String.format(Locale.ROOT, "%.0f req/s", perSecond);
    }
    if (perSecond >= 1) {
      return String.format(Locale.ROOT, "%.1f req/s", perSecond);
    }
    if (perSecond >= 0.1 || requests == 0) {
      return String.format(Locale.ROOT, "%.2f req/s", perSecond);
    }
    return String.format(Locale.ROOT, "%.1f req/min", perSecond * 60);
  }

  /** The non-terminal line's per-model part (all of it, whatever the width). */
  static String summary(Progress progress) {
    double seconds = Math.max(0.001, progress.elapsed().toNanos() / 1e9);
    List<String> parts = new ArrayList<>();
    for (Progress.Model model : progress.models()) {
      parts.add(
          String.format(
              Locale.ROOT,
              "%s %,d/%,d (%,d cached, %,d failed) %s %,d tok",
              model.name(),
              model.finished(),
              model.items(),
              model.cached(),
              model.failed(),
              rate(model.requests(), seconds),
              model.tokens()));
    }
    return String.join(" | ", parts);
  }

  /**
   * One line per model, each shorter than {@code columns} (a line as wide as the terminal wraps on
   * some): name, bar, items done of all, percent, elapsed and time left, then what fits of
   * failures, rate, cached and tokens. Column by column aligned across models.
   */
  static List<String> lines(Progress progress, int columns) {
    int room = Math.max(20, columns - 1);
    List<Progress.Model> models = progress.models();
    double seconds = Math.max(0.001, progress.elapsed().toNanos() / 1e9);
    int nameWidth = 4;
    for (Progress.Model model : models) {
      nameWidth = Math.max(nameWidth, model.name().length());
    }
    // A name takes at most a third of the line.
    nameWidth = Math.min(nameWidth, Math.max(8, room / 3));
    // Optional fields, most wanted first; each is in every line or none, so columns stay aligned.
    List<List<String>> fields = new ArrayList<>();
    List<String> count = new ArrayList<>();
    List<String> percent = new ArrayList<>();
    List<String> time = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> rate = new ArrayList<>();
    List<String> cached = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    for (Progress.Model model : models) {
      count.add(String.format(Locale.ROOT, "%,d/%,d", model.finished(), model.items()));
      percent.add(
          String.format(
              Locale.ROOT,
              "%3d%%",
              model.items() == 0 ? 100 : (int) (100 * model.finished() / model.items())));
      time.add(clock(progress.elapsed()) + left(model, seconds));
      failed.add(String.format(Locale.ROOT, "%,d failed", model.failed()));
      rate.add(rate(model.requests(), seconds));
      cached.add(String.format(Locale.ROOT, "%,d cached", model.cached() + model.shared()));
      tokens.add(String.format(Locale.ROOT, "%s tok", compact(model.tokens())));
    }
    List<List<String>> wanted = List.of(count, percent, time, failed, rate, cached, tokens);
    // The bar's width counts its brackets.
    int minimumBar = 10;
    int used = nameWidth + 1 + minimumBar;
    boolean[] shown = new boolean[wanted.size()];
    for (int i = 0; i < wanted.size(); i++) {
      int fieldWidth = width(wanted.get(i), time, progress);
      if (used + 1 + fieldWidth <= room) {
        shown[i] = true;
        used += 1 + fieldWidth;
      } else {
        break;
      }
    }
    for (int i = 0; i < wanted.size(); i++) {
      if (shown[i]) {
        fields.add(wanted.get(i));
      }
    }
    int barWidth = Math.min(40, minimumBar + room - used);
    List<String> lines = new ArrayList<>();
    for (int m = 0; m < models.size(); m++) {
      Progress.Model model = models.get(m);
      StringBuilder line = new StringBuilder(fit(model.name(), nameWidth)).append(' ');
      line.append(bar(model, barWidth));
      for (List<String> field : fields) {
        String value = field.get(m);
        int fieldWidth = width(field, time, progress);
        // Numbers right-aligned, so the digits line up; the time is left-aligned.
        line.append(' ')
            .append(
                field == time
                    ? value + " ".repeat(fieldWidth - value.length())
                    : " ".repeat(fieldWidth - value.length()) + value);
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  private static int widest(List<String> values) {
    return values.stream().mapToInt(String::length).max().orElse(0);
  }

  /**
   * A field's width: its widest value's; the time's at least room for an ETA as long as the elapsed
   * time, so the bar does not jump as models finish.
   */
  private static int width(List<String> field, List<String> time, Progress progress) {
    int widest = widest(field);
    return field == time ? Math.max(widest, 2 * clock(progress.elapsed()).length() + 5) : widest;
  }

  private static String fit(String name, int width) {
    return name.length() <= width
        ? name + " ".repeat(width - name.length())
        : name.substring(0, width - 1) + "…";
  }

  private static String bar(Progress.Model model, int width) {
    int inner = width - 2;
    int full = model.items() == 0 ? inner : (int) (inner * model.finished() / model.items());
    return "[" + "#".repeat(full) + "-".repeat(inner - full) + "]";
  }

  /** {@code " ETA 1:10"} from this model's rate so far, or nothing before the first answer. */
  private static String left(Progress.Model model, double seconds) {
    long sent = model.done() + model.failed();
    long remaining = model.items() - model.finished();
    if (remaining <= 0) {
      return " done";
    }
    if (sent == 0) {
      return "";
    }
    return " ETA " + clock(Duration.ofSeconds((long) Math.ceil(remaining * seconds / sent)));
  }

  /** {@code 0:42}, {@code 12:05}, {@code 1:02:03}. */
  static String clock(Duration elapsed) {
    long total = elapsed.toSeconds();
    long hours = total / 3600;
    long minutes = total / 60 % 60;
    long secs = total % 60;
    return hours > 0
        ? String.format(Locale.ROOT, "%d:%02d:%02d", hours, minutes, secs)
        : String.format(Locale.ROOT, "%d:%02d", minutes, secs);
  }

  /** {@code 950}, {@code 12.3k}, {@code 4.5M}. */
  private static String compact(long count) {
    if (count < 1000) {
      return Long.toString(count);
    }
    if (count < 1_000_000) {
      return String.format(Locale.ROOT, "%.1fk", count / 1e3);
    }
    return String.format(Locale.ROOT, "%.1fM", count / 1e6);
  }

  /**
   * The terminal's width: {@code COLUMNS} if set (shells set it, tests too), else what {@code stty
   * size} says of the controlling terminal, else 80.
   */
  static int columns(Map<String, String> environment) {
    String columns = environment.get("COLUMNS");
    if (columns != null
        && columns.strip().matches("\\d{1,4}")
        && Integer.parseInt(columns.strip()) > 0) {
      return Integer.parseInt(columns.strip());
    }
    try {
      Process stty =
          new ProcessBuilder("stty", "size")
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/tty")))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String said = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      if (stty.waitFor(1, TimeUnit.SECONDS) && stty.exitValue() == 0) {
        String[] size = said.strip().split("\\s+");
        if (size.length == 2 && size[1].matches("\\d{1,4}") && Integer.parseInt(size[1]) > 0) {
          return Integer.parseInt(size[1]);
        }
      }
    } catch (IOException e) {
      // No stty, or no terminal: the default.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 80;
  }

  /** A width asked of {@code source} at most once a second (stty is a process). */
  private static final class CachedWidth implements IntSupplier {
    private final IntSupplier source;
    private int width;
    private long asked;

    CachedWidth(IntSupplier source) {
      this.source = source;
    }

    @Override
    public synchronized int getAsInt() {
      long now = System.nanoTime();
      if (width == 0 || now - asked > WIDTH_INTERVAL_NANOS) {
        width = source.getAsInt();
        asked = now;
      }
      return width;
    }
  }
}
