package io.leadline.models.sim;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A judge prompt the simulator recognises, so that a profile can play the judge of a model-graded
 * scorer: the rendered prompt is literal text around named placeholders, and the reply it asks for
 * is {@code format} with each {@code {field}} filled.
 *
 * <p>Placeholders the simulator reads: {@code completion} (the judged text of a {@link Kind#GRADES}
 * template), {@code completion_a} and {@code completion_b} (the first and second text shown by a
 * {@link Kind#PAIRWISE} one), {@code beginning}, {@code question} or {@code prompt} (the item's
 * text, to recognise it) and {@code gold} or {@code golds} (reference answers, one a line when
 * several). It ignores any other.
 *
 * @param name the template's name, e.g. {@code tinystories/gpt-eval}
 * @param kind whether the judge grades one text or picks the better of two
 * @param literals the prompt's literal text: {@code literals.get(0)} before the first placeholder,
 *     {@code literals.get(i)} between placeholders {@code i - 1} and {@code i}, the last one ending
 *     the prompt; one more than the placeholders, and those between two placeholders not empty
 * @param placeholders the placeholder names in order of appearance (a name may repeat)
 * @param format the reply asked for, with a {@code {field}} for every field and no other
 * @param fields the fields of the reply, in order
 */
public record SimJudgeTemplate(
    String name,
    Kind kind,
    List<String> literals,
    List<String> placeholders,
    String format,
    Map<String, Field> fields) {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern FORMAT_FIELD = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)\\}");

  /** What a judge is asked to do. */
  public enum Kind {
    /** Grade one text ({@code completion}) on every field. */
    GRADES,
    /**
     * Say which of two texts ({@code completion_a} shown first, {@code completion_b} second) is
     * better: one categorical field whose categories mean first better, second better and (if there
     * is a third) tie.
     */
    PAIRWISE
  }

  /**
   * A field of the reply: an ordinal scale of whole numbers [{@code low}, {@code high}], or
   * categories in order (for an age group, youngest first).
   *
   * @param low the scale's lowest grade, empty for categories
   * @param high the scale's highest grade, empty for categories
   * @param categories the categories as the reply writes them, empty for a scale
   * @param correct for a verdict field, the category that means the answer is right; else empty
   */
  public record Field(
      OptionalInt low, OptionalInt high, List<String> categories, Optional<String> correct) {
    public Field {
      requireNonNull(low, "low is null");
      requireNonNull(high, "high is null");
      categories = ImmutableList.copyOf(categories);
      requireNonNull(correct, "correct is null");
      checkArgument(
          low.isPresent() == high.isPresent(), "a scale needs both low and high, or neither");
      if (low.isPresent()) {
        checkArgument(
            low.getAsInt() < high.getAsInt(), "low must be below high: %s, %s", low, high);
        checkArgument(categories.isEmpty(), "a field is a scale or categories, not both");
        checkArgument(correct.isEmpty(), "a scale has no correct category");
      } else {
        checkArgument(categories.size() >= 2, "a categorical field needs two categories or more");
        checkArgument(
            Set.copyOf(categories).size() == categories.size(),
            "categories repeat: %s",
            categories);
        for (String category : categories) {
          checkArgument(!category.isBlank(), "a category is blank");
        }
        checkArgument(
            correct.isEmpty() || categories.contains(correct.get()),
            "correct '%s' is not one of %s",
            correct.orElse(""),
            categories);
      }
    }

    /** A scale of whole numbers from {@code low} to {@code high}. */
    public static Field ordinal(int low, int high) {
      return new Field(OptionalInt.of(low), OptionalInt.of(high), List.of(), Optional.empty());
    }

    /** Categories in order, none of them meaning "right" (an age group, a pairwise winner). */
    public static Field categorical(List<String> categories) {
      return new Field(OptionalInt.empty(), OptionalInt.empty(), categories, Optional.empty());
    }

    /** A verdict: categories of which {@code correct} means the answer is right. */
    public static Field verdict(List<String> categories, String correct) {
      return new Field(OptionalInt.empty(), OptionalInt.empty(), categories, Optional.of(correct));
    }

    /** Whether this is a scale of whole numbers. */
    public boolean isOrdinal() {
      return low.isPresent();
    }
  }

  public SimJudgeTemplate {
    requireNonNull(name, "name is null");
    requireNonNull(kind, "kind is null");
    literals = ImmutableList.copyOf(literals);
    placeholders = ImmutableList.copyOf(placeholders);
    requireNonNull(format, "format is null");
    fields = ImmutableMap.copyOf(fields);
    checkArgument(!name.isBlank(), "a judge template needs a name");
    checkArgument(
        literals.size() == placeholders.size() + 1,
        "%s: %s literals for %s placeholders; there must be one more literal",
        name,
        literals.size(),
        placeholders.size());
    for (int i = 1; i < literals.size() - 1; i++) {
      checkArgument(
          !literals.get(i).isEmpty(),
          "%s: the literal between placeholders '%s' and '%s' is empty",
          name,
          placeholders.get(i - 1),
          placeholders.get(i));
    }
    for (String placeholder : placeholders) {
      checkArgument(
          IDENTIFIER.matcher(placeholder).matches(),
          "%s: placeholder '%s' is not a name",
          name,
          placeholder);
    }
    checkArgument(!fields.isEmpty(), "%s: a judge template needs a field", name);
    Set<String> inFormat = new LinkedHashSet<>();
    Matcher matcher = FORMAT_FIELD.matcher(format);
    while (matcher.find()) {
      inFormat.add(matcher.group(1));
    }
    checkArgument(
        inFormat.equals(fields.keySet()),
        "%s: the format's {fields} %s are not the fields %s",
        name,
        inFormat,
        fields.keySet());
    if (kind == Kind.GRADES) {
      checkArgument(
          placeholders.contains("completion"), "%s: a GRADES template shows {completion}", name);
    } else {
      checkArgument(
          placeholders.contains("completion_a") && placeholders.contains("completion_b"),
          "%s: a PAIRWISE template shows {completion_a} and {completion_b}",
          name);
      checkArgument(
          fields.size() == 1,
          "%s: a PAIRWISE template has one field (first better, second better, tie)",
          name);
      Field field = fields.values().iterator().next();
      checkArgument(
          !field.isOrdinal() && field.correct().isEmpty() && field.categories().size() <= 3,
          "%s: a PAIRWISE field has the categories first better, second better and maybe tie",
          name);
    }
  }

  /**
   * The placeholder values of {@code prompt} if it is a prompt of this template: {@code
   * literals.get(0)} is a prefix, the last literal a suffix, and each literal between is found left
   * to right, at its first occurrence after the previous placeholder's start; a placeholder shown
   * twice must have the same value both times. Else empty.
   */
  public Optional<Map<String, String>> match(String prompt) {
    String first = literals.get(0);
    String last = literals.get(literals.size() - 1);
    if (prompt.length() < first.length() + last.length()
        || !prompt.startsWith(first)
        || !prompt.endsWith(last)) {
      return Optional.empty();
    }
    int end = prompt.length() - last.length();
    int start = first.length();
    Map<String, String> values = new HashMap<>();
    ImmutableMap.Builder<String, String> ordered = ImmutableMap.builder();
    for (int i = 0; i < placeholders.size(); i++) {
      String value;
      if (i + 1 < placeholders.size()) {
        String literal = literals.get(i + 1);
        int at = prompt.indexOf(literal, start);
        if (at < 0 || at + literal.length() > end) {
          return Optional.empty();
        }
        value = prompt.substring(start, at);
        start = at + literal.length();
      } else {
        value = prompt.substring(start, end);
      }
      String seen = values.putIfAbsent(placeholders.get(i), value);
      if (seen == null) {
        ordered.put(placeholders.get(i), value);
      } else if (!seen.equals(value)) {
        return Optional.empty();
      }
    }
    return Optional.of(ordered.build());
  }

  /**
   * The prompt with {@code values} in its placeholders (the inverse of {@link #match} for values
   * that do not contain the literal that follows them).
   *
   * @throws IllegalArgumentException naming a placeholder {@code values} lacks
   */
  public String render(Map<String, String> values) {
    StringBuilder prompt = new StringBuilder(literals.get(0));
    for (int i = 0; i < placeholders.size(); i++) {
      String value = values.get(placeholders.get(i));
      checkArgument(value != null, "%s: no value for {%s}", name, placeholders.get(i));
      prompt.append(value).append(literals.get(i + 1));
    }
    return prompt.toString();
  }
}
