package io.leadline.models;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import io.leadline.api.LeadlineException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * A GGUF model loaded into this JVM by llama.cpp (through java-llama.cpp): tokenises and completes
 * text, at most {@link #slots()} completions at once, each within {@link #contextSize()} tokens.
 * Thread-safe.
 *
 * <p>Deterministic: greedy decoding gives the same text every time, in every JVM; a sampled
 * completion is fixed by its seed. Prompts are evaluated afresh each time (no prompt cache), and
 * stop sequences are found here in the generated text, so that where a completion ends does not
 * depend on what was asked before. A sweep's JVMs share one engine each ({@link #shared}).
 */
public final class LlamaEngine implements AutoCloseable {
  private static final Map<LocalModel, LlamaEngine> SHARED = new ConcurrentHashMap<>();
  private static final int FALLBACK_CONTEXT = 2048;
  private static boolean nativeLoaded;

  /**
   * One engine of the JVM works in llama.cpp at a time, its own slots overlapping within its turn:
   * with another engine generating beside it, an engine's seeded completions changed, some into
   * garbage. An engine whose turn it is lets no more of its completions in while another engine
   * waits, and engines waiting take their turns in the order they came.
   */
  private static final Object TURNS = new Object();

  private static LlamaEngine turn;
  private static int working;
  private static final java.util.ArrayDeque<LlamaEngine> WAITING = new java.util.ArrayDeque<>();

  private final LocalModel local;
  private final GgufFile file;
  private final int contextSize;
  private final LlamaModel model;
  private final Semaphore slots;

  private LlamaEngine(LocalModel local) {
    this.local = requireNonNull(local, "local is null");
    Path path = Path.of(local.modelFile());
    if (!Files.isReadable(path)) {
      throw LeadlineException.userInput(
          "cannot read the GGUF file %s on this machine (a sweep on a cluster loads it on every"
              + " executor: the model_file must be readable at this path on each)",
          path);
    }
    this.file = GgufFile.of(path);
    this.contextSize = contextSize(local, file);
    loadNative();
    ModelParameters parameters =
        new ModelParameters()
            .setModel(path.toString())
            // llama.cpp gives each slot an equal share of the context.
            .setCtxSize(contextSize * local.slots())
            .setParallel(local.slots())
            .setThreads(local.threads())
            .setThreadsBatch(local.threads())
            // A prompt longer than the context is refused here, never shifted or cut.
            .disableContextShift()
            .disableLog();
    enter();
    try {
      this.model = new LlamaModel(parameters);
    } catch (RuntimeException e) {
      throw LeadlineException.userInput(
          "llama.cpp cannot load %s: %s", path, String.valueOf(e.getMessage()));
    } finally {
      leave();
    }
    this.slots = new Semaphore(local.slots(), true);
  }

  /**
   * The context each completion of {@code local} has: its {@code context_size}, else the context
   * the model was trained with.
   */
  public static int contextSize(LocalModel local, GgufFile file) {
    return local
        .contextSize()
        .orElse(file.trainedContext() > 0 ? file.trainedContext() : FALLBACK_CONTEXT);
  }

  /** The engine of {@code local} in this JVM, loaded on first use and kept while the JVM runs. */
  public static LlamaEngine shared(LocalModel local) {
    return SHARED.computeIfAbsent(local, LlamaEngine::new);
  }

  /** An engine of its own, which the caller closes. */
  public static LlamaEngine load(LocalModel local) {
    return new LlamaEngine(local);
  }

  /**
   * Loads java-llama.cpp's native library once, quietly: its loader prints where it extracted the
   * library on standard output, which would land amid a command's output; and each JVM extracts its
   * own copy, so that two on one machine do not overwrite each other's.
   */
  private static synchronized void loadNative() {
    if (nativeLoaded) {
      return;
    }
    PrintStream out = System.out;
    try {
      if (System.getProperty("de.kherud.llama.tmpdir") == null) {
        Path folder = Files.createTempDirectory("leadline-llama-");
        folder.toFile().deleteOnExit();
        System.setProperty("de.kherud.llama.tmpdir", folder.toString());
      }
      System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
      Class.forName(LlamaModel.class.getName(), true, LlamaEngine.class.getClassLoader());
      nativeLoaded = true;
    } catch (IOException | ClassNotFoundException | LinkageError e) {
      throw LeadlineException.userInput(
          "cannot load llama.cpp's native library (java-llama.cpp has it for Linux x86_64 and"
              + " aarch64, macOS and Windows): %s",
          e.toString());
    } finally {
      System.setOut(out);
      String folder = System.getProperty("de.kherud.llama.tmpdir");
      try (var files = Files.list(Path.of(folder))) {
        files.forEach(f -> f.toFile().deleteOnExit());
      } catch (IOException | RuntimeException e) {
        // Only the clean-up of a temporary copy.
      }
    }
  }

  public LocalModel local() {
    return local;
  }

  /** The model's facts, from its GGUF header. */
  public GgufFile file() {
    return file;
  }

  /** Tokens of context each completion has: its prompt and what it generates. */
  public int contextSize() {
    return contextSize;
  }

  public int slots() {
    return local.slots();
  }

  /** The tokens llama.cpp evaluates for {@code prompt}: its tokenisation, after a BOS token. */
  public int promptTokens(String prompt) {
    return tokenize(prompt).length + (file.addBos() ? 1 : 0);
  }

  /** {@code text} as the model's tokeniser splits it (no BOS token). */
  public int[] tokenize(String text) {
    return inTurn(() -> model.encode(text));
  }

  /** Waits for this engine's turn in llama.cpp, or joins it; never nested in one thread. */
  private void enter() {
    synchronized (TURNS) {
      boolean interrupted = false;
      while (!admitted()) {
        if (!WAITING.contains(this)) {
          WAITING.add(this);
        }
        try {
          TURNS.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      WAITING.remove(this);
      turn = this;
      working++;
      // Others of this engine that waited behind another engine may join its turn now.
      TURNS.notifyAll();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Its turn, with no other engine waiting; or nobody's, with it first of those waiting. */
  private boolean admitted() {
    if (turn == this) {
      return WAITING.stream().allMatch(e -> e == this);
    }
    return turn == null && (WAITING.isEmpty() || WAITING.peek() == this);
  }

  private void leave() {
    synchronized (TURNS) {
      if (--working == 0) {
        turn = null;
        TURNS.notifyAll();
      }
    }
  }

  /** Runs {@code work} in this engine's turn. */
  private <T> T inTurn(java.util.function.Supplier<T> work) {
    enter();
    try {
      return work.get();
    } finally {
      leave();
    }
  }

  /**
   * One completion of {@code prompt}, which has {@code promptTokens} tokens and fits the context.
   * Waits for a free slot.
   *
   * @param temperature 0 for greedy decoding
   * @param topP nucleus mass, or empty for none (1)
   * @param seed the sampler's seed (unused when greedy)
   * @param stop where the text ends: at the first of these, which is not part of {@code text}
   */
  public Generation generate(
      String prompt,
      int promptTokens,
      int maxTokens,
      double temperature,
      Optional<Double> topP,
      long seed,
      List<String> stop) {
    checkArgument(
        promptTokens < contextSize,
        "a prompt of %s tokens does not fit a context of %s",
        promptTokens,
        contextSize);
    checkArgument(maxTokens >= 1, "maxTokens must be >= 1: %s", maxTokens);
    int limit = Math.min(maxTokens, contextSize - promptTokens);
    InferenceParameters parameters =
        new InferenceParameters(prompt)
            .setNPredict(limit)
            .setTemperature((float) temperature)
            .setTopP(topP.orElse(1.0).floatValue())
            // OpenAI's meaning of temperature and top_p: no top-k or min-p cut besides.
            .setTopK(0)
            .setMinP(0f)
            .setSeed((int) (seed & 0x7fffffffL))
            .setCachePrompt(false);
    int longestStop = stop.stream().mapToInt(String::length).max().orElse(0);
    StringBuilder text = new StringBuilder();
    int tokens = 0;
    int cut = -1;
    boolean finished = false;
    slots.acquireUninterruptibly();
    enter();
    try {
      LlamaIterator outputs = model.generate(parameters).iterator();
      while (outputs.hasNext()) {
        LlamaOutput output = outputs.next();
        if (!outputs.hasNext()) {
          // The last output closes the stream: it carries no token.
          text.append(output.text);
          finished = true;
          break;
        }
        tokens++;
        int from = Math.max(0, text.length() - longestStop + 1);
        text.append(output.text);
        cut = firstStop(text, from, stop);
        if (cut >= 0) {
          outputs.cancel();
          break;
        }
      }
    } finally {
      leave();
      slots.release();
    }
    if (cut < 0 && finished) {
      cut = firstStop(text, 0, stop);
    }
    String raw = text.toString();
    boolean stopped = cut >= 0;
    boolean truncated = !stopped && tokens >= limit;
    return new Generation(
        stopped ? raw.substring(0, cut) : raw,
        raw,
        truncated ? "length" : "stop",
        truncated,
        promptTokens,
        tokens);
  }

  private static int firstStop(CharSequence text, int from, List<String> stop) {
    int first = -1;
    String whole = text.toString();
    for (String s : stop) {
      int at = whole.indexOf(s, from);
      if (at >= 0 && (first < 0 || at < first)) {
        first = at;
      }
    }
    return first;
  }

  /**
   * One completion.
   *
   * @param text what was generated, up to the first stop sequence
   * @param rawText everything generated, the stop sequence included
   * @param finishReason {@code length} if it reached the token limit, else {@code stop}
   * @param truncated whether it reached the token limit (or the end of the context)
   * @param promptTokens tokens of the prompt, BOS included
   * @param completionTokens tokens generated
   */
  public record Generation(
      String text,
      String rawText,
      String finishReason,
      boolean truncated,
      int promptTokens,
      int completionTokens) {}

  /** The java-llama.cpp version, from its jar, for the records. */
  static String bindingVersion() {
    try (InputStream in =
        LlamaModel.class.getResourceAsStream("/META-INF/maven/de.kherud/llama/pom.properties")) {
      if (in == null) {
        return "java-llama.cpp";
      }
      Properties properties = new Properties();
      properties.load(in);
      return "java-llama.cpp " + properties.getProperty("version", "");
    } catch (IOException e) {
      return "java-llama.cpp";
    }
  }

  /** Frees the model; only for an engine of its own ({@link #load}), never a shared one. */
  @Override
  public void close() {
    checkArgument(SHARED.get(local) != this, "a shared engine stays loaded while the JVM runs");
    enter();
    try {
      model.close();
    } finally {
      leave();
    }
  }
}
