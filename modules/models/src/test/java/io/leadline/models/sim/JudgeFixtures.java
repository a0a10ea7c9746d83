package io.leadline.models.sim;

import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Judge templates and story beginnings the simulator's judge tests share. */
final class JudgeFixtures {
  private static final Set<String> PLACEHOLDERS =
      Set.of(
          "beginning", "completion", "completion_a", "completion_b", "question", "gold", "golds");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)\\}");

  /** Real TinyStories beginnings (validation split), each stopping mid-sentence. */
  static final List<String> BEGINNINGS =
      List.of(
          "Once upon a time, there was a little girl named Lily. She loved to play outside in the"
              + " sunshine. One day, she saw a big, red ball in the sky. She wanted to",
          "Once upon a time, there was a little bird named Tweet. Tweet was very weak. She was so"
              + " weak she could",
          "Ben was a boy who liked to build with blocks. One day, his tower fell down. Ben was"
              + " angry and shouted out, \"",
          "One day, a little boy named Tim went to the beach with his mom. He found a shiny shell"
              + " in the sand. Tim picked it up and showed it to his mom. She said,",
          "Tom and Sue were playing in the park. Tom saw a big tree with a swing. He ran to the"
              + " swing and sat on it. Sue wanted to swing too, but Tom did not let her. Sue was"
              + " sad and",
          "Once upon a time, in a small house, there lived a kind old cat. The cat liked to sleep"
              + " in the sun. One day, the cat woke up and saw a");

  /** TinyStories' GPT-Eval, as one prompt: three grades out of 10 and an age group. */
  static final SimJudgeTemplate GPT_EVAL =
      template(
          "tinystories/gpt-eval",
          SimJudgeTemplate.Kind.GRADES,
          "In the following exercise, the student is given a beginning of a story. The student"
              + " needs to complete it into a full story. The exercise tests the student's"
              + " language abilities and creativity. The symbol *** marks the separator between"
              + " the prescribed beginning and the student's completion:\n\n"
              + "{beginning}***{completion}\n\n"
              + "Please provide your general assessment about the part written by the student"
              + " (the one after the *** symbol). Is it grammatically correct? Is it consistent"
              + " with the beginning of the story? Pay special attention to whether the student"
              + " manages to complete the sentence which is split in the middle by the separator"
              + " ***. Then grade the student's completion in terms of grammar, creativity and"
              + " consistency with the story's beginning, and guess the student's age group"
              + " (A: 3 or under. B: 4-5. C: 6-7. D: 8-9. E: 10-12. F: 13-16). Reply in this"
              + " format:\nGrammar: {grammar}/10\nCreativity: {creativity}/10\n"
              + "Consistency: {consistency}/10\nAge group: {age_group}",
          "Grammar: {grammar}/10\nCreativity: {creativity}/10\nConsistency: {consistency}/10\n"
              + "Age group: {age_group}",
          ImmutableMap.of(
              "grammar", SimJudgeTemplate.Field.ordinal(0, 10),
              "creativity", SimJudgeTemplate.Field.ordinal(0, 10),
              "consistency", SimJudgeTemplate.Field.ordinal(0, 10),
              "age_group",
                  SimJudgeTemplate.Field.categorical(List.of("A", "B", "C", "D", "E", "F"))));

  /** A SimpleQA-style grader: CORRECT, INCORRECT or NOT_ATTEMPTED. */
  static final SimJudgeTemplate VERDICT =
      template(
          "closed-qa/verdict",
          SimJudgeTemplate.Kind.GRADES,
          "Your job is to look at a question, a gold target, and a predicted answer, and then"
              + " assign a grade of either CORRECT, INCORRECT or NOT_ATTEMPTED.\n\n"
              + "Question: {question}\nGold target: {gold}\nPredicted answer: {completion}\n\n"
              + "Reply as: Verdict: CORRECT, Verdict: INCORRECT or Verdict: NOT_ATTEMPTED.",
          "Verdict: {verdict}",
          ImmutableMap.of(
              "verdict",
              SimJudgeTemplate.Field.verdict(
                  List.of("CORRECT", "INCORRECT", "NOT_ATTEMPTED"), "CORRECT")));

  /** Which of two endings is better: A (shown first), B (shown second) or C (a tie). */
  static final SimJudgeTemplate PAIRWISE =
      template(
          "tinystories/pairwise",
          SimJudgeTemplate.Kind.PAIRWISE,
          "Here is the beginning of a story:\n{beginning}\n\nEnding A:\n{completion_a}\n\n"
              + "Ending B:\n{completion_b}\n\nWhich ending is better? Answer \"Better: A\","
              + " \"Better: B\", or \"Better: C\" if they are equally good.",
          "Better: {better}",
          ImmutableMap.of("better", SimJudgeTemplate.Field.categorical(List.of("A", "B", "C"))));

  private JudgeFixtures() {}

  /**
   * A template from its prompt text: each {@code {name}} of a known placeholder is a placeholder,
   * any other brace (the format shown in the prompt) is literal text.
   */
  static SimJudgeTemplate template(
      String name,
      SimJudgeTemplate.Kind kind,
      String text,
      String format,
      Map<String, SimJudgeTemplate.Field> fields) {
    List<String> literals = new ArrayList<>();
    List<String> placeholders = new ArrayList<>();
    Matcher matcher = PLACEHOLDER.matcher(text);
    int at = 0;
    while (matcher.find()) {
      if (PLACEHOLDERS.contains(matcher.group(1))) {
        literals.add(text.substring(at, matcher.start()));
        placeholders.add(matcher.group(1));
        at = matcher.end();
      }
    }
    literals.add(text.substring(at));
    return new SimJudgeTemplate(name, kind, literals, placeholders, format, fields);
  }

  /** A story item per beginning, as TinyStories' format adapter would read it. */
  static List<SimItem.Draft> stories(List<String> beginnings) {
    List<SimItem.Draft> drafts = new ArrayList<>();
    for (String beginning : beginnings) {
      drafts.add(
          new SimItem.Draft(
              SimItem.Style.STORY, Optional.empty(), beginning, "", -1, "", List.of()));
    }
    return drafts;
  }

  /** Many made-up beginnings, all different, each stopping mid-sentence. */
  static List<String> manyBeginnings(int count) {
    List<String> names =
        List.of(
            "Lily", "Tim", "Mia", "Ben", "Anna", "Max", "Sue", "Jack", "Lucy", "Sam", "Amy", "Bob",
            "Zoe", "Leo", "Ella", "Finn", "Rosa", "Otto", "Ivy", "Hugo");
    List<String> things =
        List.of(
            "kite", "drum", "hat", "boat", "doll", "bike", "book", "ball", "shell", "cup", "bell",
            "star", "box", "toy", "cake");
    List<String> places = List.of("park", "garden", "beach", "forest", "farm");
    List<String> beginnings = new ArrayList<>();
    for (int i = 0; beginnings.size() < count; i++) {
      String name = names.get(i % names.size());
      String thing = things.get((i / names.size()) % things.size());
      String place = places.get((i / (names.size() * things.size())) % places.size());
      beginnings.add(
          "Once upon a time, there was a child named "
              + name
              + ". "
              + name
              + " had a "
              + thing
              + " that was very special. One day, "
              + name
              + " took the "
              + thing
              + " to the "
              + place
              + " and");
    }
    return beginnings;
  }

  /** A key of story items, with the three templates. */
  static SimAnswerKey storyKey(List<String> beginnings) {
    return SimAnswerKey.builder()
        .add("tinystories", "default", stories(beginnings))
        .judgeTemplate(GPT_EVAL)
        .judgeTemplate(VERDICT)
        .judgeTemplate(PAIRWISE)
        .build();
  }

  static SimProfile profile(String name) {
    return SimProfile.load(java.nio.file.Path.of("../../settings/" + name + ".yaml"));
  }

  static SimProfile judgeProfile(String judge) {
    return SimProfile.parse("judge.yaml", "snapshot: sim-judge-test\nseed: 3\njudge: " + judge);
  }
}
