package io.leadline.models.sim;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * One benchmark item the simulator knows the answer to.
 *
 * @param benchmark {@code gsm8k}, {@code mmlu}, {@code humaneval}, {@code drop}, {@code triviaqa}
 *     or {@code bbh}
 * @param key identifies the item across runs: benchmark, subset and the row's id
 * @param needle the text a prompt about this item contains (question, passage, code prompt)
 * @param gold the right answer (a number, option text, span, target or function body)
 * @param wrong a plausible wrong answer of the same kind
 * @param work GSM8K's worked solution without its final line, else empty
 * @param choices MMLU's options in dataset order, else empty
 */
public record SimItem(
    String benchmark,
    String key,
    String needle,
    String gold,
    String wrong,
    String work,
    List<String> choices) {
  public SimItem {
    requireNonNull(benchmark, "benchmark is null");
    requireNonNull(key, "key is null");
    requireNonNull(needle, "needle is null");
    requireNonNull(gold, "gold is null");
    requireNonNull(wrong, "wrong is null");
    requireNonNull(work, "work is null");
    choices = ImmutableList.copyOf(choices);
  }
}
