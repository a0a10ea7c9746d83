package io.leadline.models.sim;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * How a simulated snapshot continues a story (TinyStories): a small text generator, no model. It
 * finishes the sentence the beginning stops in, then writes sentences about the story's main
 * character from word banks; {@link SimProfile.Stories#variety} is the share of each bank it draws
 * from and {@link SimProfile.Stories#slips} the share of sentences it spoils with a slip a reader
 * can see (a lower-case start, a doubled word, a missing full stop). Everything is drawn from one
 * {@link Random} seeded by {@link SimResponder#unitSeed}, so an ending is the same on every
 * machine.
 */
final class SimStories {
  /** Words that start a sentence and never a name: after a missing full stop they show the slip. */
  static final Set<String> STARTERS =
      ImmutableSet.of(
          "She", "He", "It", "They", "Then", "At", "Soon", "The", "Her", "His", "Its", "Their");

  /** Capitalised words that are not a character's name. */
  private static final Set<String> NOT_NAMES =
      ImmutableSet.<String>builder()
          .addAll(STARTERS)
          .addAll(
              words(
                  "I, A, An, We, You, My, Your, Our, This, That, These, Those, There, Here, When,"
                      + " While, One, Once, Upon, But, And, So, Or, If, Oh, Wow, Yes, No, Hello,"
                      + " Hi, Please, Thank, Thanks, Okay, OK, Mom, Mommy, Mum, Mummy, Dad, Daddy,"
                      + " Grandma, Grandpa, Granny, Mr, Mrs, Ms, Miss, Sir, God, Let, Come, Look,"
                      + " Help, Can, Do, Don, What, Why, How, Where, Who, Suddenly, Later, Every,"
                      + " After, Now, Today, Finally, Sometimes, Monday, Sunday, Christmas, Everyone,"
                      + " Everything, Someone, Nobody, Yesterday, Tomorrow, Together, Sadly,"
                      + " Luckily, Inside, Outside"))
          .build();

  /** Verbs that, after a sentence's first word, show that word is a name ("Ben was ..."). */
  private static final Set<String> AFTER_NAMES =
      ImmutableSet.copyOf(
          words(
              "was, had, is, liked, loved, went, saw, lived, wanted, played, ran, found, and,"
                  + " felt, looked, said, asked, did, could, would, likes, loves, has"));

  // The word banks, commonest first: a snapshot of variety v draws from the first share v of each.
  private static final List<String> OBJECTS =
      words(
          "ball, toy, kite, flower, box, book, hat, cake, doll, boat, car, bike, shell, rock, leaf,"
              + " cookie, drum, bell, balloon, puzzle, blanket, ribbon, feather, stick, cup, star,"
              + " basket, crayon");
  private static final List<String> PLACES =
      words(
          "park, garden, house, forest, beach, school, yard, river, hill, pond, field, shop,"
              + " kitchen, street, lake, farm, zoo, playground, woods, meadow");
  private static final List<String> VERBS =
      words(
          "found, saw, picked up, hugged, shared, kicked, painted, carried, held, fixed, washed,"
              + " chased, threw, caught, hid, cleaned, showed, built, liked, dropped");
  private static final List<String> FEELINGS =
      words(
          "happy, proud, excited, glad, calm, brave, curious, sleepy, thankful, cheerful, joyful,"
              + " silly, lucky, safe, surprised, hopeful");
  private static final List<String> ADJECTIVES =
      words(
          "big, red, little, shiny, soft, pretty, funny, green, yellow, bright, new, tiny, blue,"
              + " round, fluffy, sparkly, strange, colorful, gentle, magic");
  private static final List<String> VOWEL_ADJECTIVES =
      words("old, orange, amazing, odd, enormous, icy");
  private static final List<String> COMPANIONS =
      words("friend, mom, dad, dog, cat, brother, sister, teddy bear, grandma, puppy");
  private static final List<String> ACTIONS =
      words(
          "smiled, laughed, clapped, jumped up and down, danced, sang a song, ran around, looked"
              + " around, cheered, giggled");
  private static final List<String> TO_PHRASES =
      words(
          "play with it, catch it, go and see, find out more, touch it, keep it, show it to"
              + " everyone, play all day");
  private static final List<String> MODAL_PHRASES =
      words(
          "not move, hardly stand, only smile, not wait to play, see everything, not stop smiling");
  private static final List<String> EXCLAIMS =
      List.of(
          "Look at this",
          "Come and play with me",
          "Help me, please",
          "Wait for me",
          "What a lovely day",
          "I can do it");
  private static final List<String> EXCLAIMS_MID =
      List.of("look at this", "come and play with me", "help me, please", "wait for me");

  private static final Set<String> TO = ImmutableSet.of("to");
  private static final Set<String> MODALS =
      ImmutableSet.copyOf(
          words(
              "could, can, would, will, should, might, must, may, did, couldn, wouldn, didn,"
                  + " cannot"));
  private static final Set<String> DETERMINERS =
      ImmutableSet.copyOf(
          words("the, a, an, his, her, their, my, your, its, our, this, that, some, every"));
  private static final Set<String> LINKING =
      ImmutableSet.copyOf(
          words(
              "was, were, is, are, am, felt, feel, feels, looked, seemed, became, be, been, very,"
                  + " so, too, really"));
  private static final Set<String> PLACE_PREPOSITIONS =
      ImmutableSet.copyOf(
          words(
              "in, at, into, near, around, through, across, behind, inside, outside, toward,"
                  + " towards"));
  private static final Set<String> PREPOSITIONS =
      ImmutableSet.copyOf(words("on, with, under, by, for, of, from, over, about, up"));
  private static final Set<String> CONJUNCTIONS =
      ImmutableSet.copyOf(words("and, but, or, because, then, when, while, until, if"));
  private static final Set<String> SAYING =
      ImmutableSet.copyOf(
          words(
              "said, asked, shouted, yelled, cried, whispered, replied, called, says, exclaimed,"
                  + " screamed, told"));
  private static final Set<String> SUBJECTS =
      ImmutableSet.copyOf(words("she, he, they, it, i, we, you"));
  private static final Set<String> TRANSITIVE =
      ImmutableSet.copyOf(
          words(
              "saw, found, had, took, gave, made, got, wanted, loved, liked, bought, brought,"
                  + " heard, held, met, knew, see, find, make, take, give, get, want, love, like,"
                  + " hold, hug, grabbed, noticed, spotted, opened, picked"));

  /** Nouns that stand for an unnamed main character, in order of preference. */
  private static final List<String> CHARACTER_NOUNS =
      words(
          "girl, boy, princess, prince, king, queen, baby, dog, cat, puppy, kitten, bunny, rabbit,"
              + " bird, bear, fox, frog, mouse, duck, fish, lion, owl, dragon, man, woman");

  /** The sentence templates {@link #sentence} knows. */
  private static final int TEMPLATES = 12;

  private SimStories() {}

  /** How a character is referred to: subject, object and possessive pronouns and "to be". */
  enum Pronoun {
    SHE("she", "her", "her", "was"),
    HE("he", "him", "his", "was"),
    IT("it", "it", "its", "was"),
    THEY("they", "them", "their", "were");

    final String subject;
    final String object;
    final String possessive;
    final String be;

    Pronoun(String subject, String object, String possessive, String be) {
      this.subject = subject;
      this.object = object;
      this.possessive = possessive;
      this.be = be;
    }
  }

  /**
   * A story's main character.
   *
   * @param name how sentences name it: {@code Lily}, or {@code the little girl}
   * @param mention the lower-case word that shows a text names it: {@code lily}, {@code girl}
   */
  record Protagonist(String name, String mention, Pronoun pronoun) {
    /** The name at the start of a sentence. */
    String capitalised() {
      return capitalise(name);
    }
  }

  /**
   * An ending.
   *
   * @param text the ending, to follow the beginning directly (a leading space where one belongs)
   * @param sentences its sentences, the finished one of the beginning included
   * @param slips the sentences with a slip
   */
  record Story(String text, int sentences, int slips) {}

  /**
   * The main character of {@code beginning}: of the capitalised words that are not among the words
   * that are never names, those that are a name somewhere (not at a sentence's start, or there but
   * twice or more, or before a verb such as {@code was}: "Ben was a boy"), the one that occurs most
   * often (the first of equals); else a noun such as {@code girl} or {@code dog} ({@code the little
   * girl}, {@code the dog}); else by the pronouns, the little boy or the little girl.
   */
  static Protagonist protagonist(String beginning) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    Set<String> names = new java.util.HashSet<>();
    int i = 0;
    while (i < beginning.length()) {
      if (!Character.isLetter(beginning.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      while (i < beginning.length() && Character.isLetter(beginning.charAt(i))) {
        i++;
      }
      String word = beginning.substring(start, i);
      if (word.length() < 2
          || !Character.isUpperCase(word.charAt(0))
          || !word.substring(1).chars().allMatch(Character::isLowerCase)
          || NOT_NAMES.contains(word)) {
        continue;
      }
      int count = counts.merge(word, 1, Integer::sum);
      if (!sentenceInitial(beginning, start)
          || count >= 2
          || AFTER_NAMES.contains(next(beginning, i))) {
        names.add(word);
      }
    }
    counts.keySet().retainAll(names);
    List<String> words = SimAnswerKey.words(beginning);
    Optional<Pronoun> pronoun = pronoun(words, false);
    String best = null;
    for (Map.Entry<String, Integer> entry : counts.entrySet()) {
      if (best == null || entry.getValue() > counts.get(best)) {
        best = entry.getKey();
      }
    }
    if (best != null) {
      String mention = best.toLowerCase(Locale.ROOT);
      if (pronoun.isEmpty()) {
        // As many hes as shes: the first after the name is the name's.
        pronoun = pronoun(words.subList(words.indexOf(mention), words.size()), true);
      }
      return new Protagonist(best, mention, pronoun.orElse(Pronoun.SHE));
    }
    for (String word : words) {
      if (CHARACTER_NOUNS.contains(word)) {
        return switch (word) {
          case "girl" -> new Protagonist("the little girl", word, pronoun.orElse(Pronoun.SHE));
          case "boy" -> new Protagonist("the little boy", word, pronoun.orElse(Pronoun.HE));
          case "princess", "queen", "woman" ->
              new Protagonist("the " + word, word, pronoun.orElse(Pronoun.SHE));
          case "prince", "king", "man" ->
              new Protagonist("the " + word, word, pronoun.orElse(Pronoun.HE));
          default -> new Protagonist("the " + word, word, pronoun.orElse(Pronoun.IT));
        };
      }
    }
    return pronoun.orElse(Pronoun.SHE) == Pronoun.HE
        ? new Protagonist("the little boy", "boy", Pronoun.HE)
        : new Protagonist("the little girl", "girl", Pronoun.SHE);
  }

  /** The lower-case word that starts at or after {@code from}, or empty. */
  private static String next(String text, int from) {
    int start = from;
    while (start < text.length() && !Character.isLetter(text.charAt(start))) {
      if (text.charAt(start) != ' ') {
        return "";
      }
      start++;
    }
    int end = start;
    while (end < text.length() && Character.isLetter(text.charAt(end))) {
      end++;
    }
    return text.substring(start, end);
  }

  /**
   * She or he: the one {@code words} use more (empty when neither or as often), or with {@code
   * first} the first used.
   */
  private static Optional<Pronoun> pronoun(List<String> words, boolean first) {
    int she = 0;
    int he = 0;
    for (String word : words) {
      switch (word) {
        case "she", "her", "herself" -> she++;
        case "he", "him", "his", "himself" -> he++;
        default -> {}
      }
      if (first && she + he > 0) {
        break;
      }
    }
    return she > he
        ? Optional.of(Pronoun.SHE)
        : he > she ? Optional.of(Pronoun.HE) : Optional.empty();
  }

  /**
   * Whether the word at {@code start} begins a sentence: it is the first, or follows a full stop,
   * question or exclamation mark, colon, line break or an opening quote.
   */
  private static boolean sentenceInitial(String text, int start) {
    int at = start - 1;
    while (at >= 0 && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
      at--;
    }
    if (at < 0) {
      return true;
    }
    char c = text.charAt(at);
    if (c == '.' || c == '!' || c == '?' || c == ':' || c == '\n' || c == '\r' || c == '“') {
      return true;
    }
    if (c == '"') {
      // An opening quote (an even number of quotes before it) starts a sentence; a closing one
      // ("Let's go," Tom said) does not.
      long before = text.substring(0, at).chars().filter(ch -> ch == '"').count();
      return before % 2 == 0;
    }
    return false;
  }

  /** Whether {@code beginning} stops inside a sentence, so an ending first finishes it. */
  static boolean endsMidSentence(String beginning) {
    String tail = beginning.stripTrailing();
    if (tail.isEmpty()) {
      return false;
    }
    char last = tail.charAt(tail.length() - 1);
    if (last == '.' || last == '!' || last == '?') {
      return false;
    }
    if ((last == '"' || last == '”') && !quoteOpen(tail) && tail.length() >= 2) {
      char before = tail.charAt(tail.length() - 2);
      return !(before == '.' || before == '!' || before == '?');
    }
    return true;
  }

  private static boolean quoteOpen(String text) {
    long straight = text.chars().filter(c -> c == '"').count();
    long opening = text.chars().filter(c -> c == '“').count();
    long closing = text.chars().filter(c -> c == '”').count();
    return straight % 2 == 1 || opening > closing;
  }

  /**
   * The ending a snapshot writes after {@code beginning}.
   *
   * @param seed the profile's seed
   * @param draw what else decides the draw: the item's key, and the sample index when sampling
   */
  static Story write(SimProfile.Stories stories, long seed, String draw, String beginning) {
    Random random = new Random(SimResponder.unitSeed(seed, "story|" + draw));
    Banks banks = new Banks(stories.variety());
    Protagonist character = protagonist(beginning);
    List<String> beginningWords = SimAnswerKey.words(beginning);
    List<String> objects = new ArrayList<>();
    List<String> places = new ArrayList<>();
    for (String word : beginningWords) {
      if (OBJECTS.contains(word) && !objects.contains(word)) {
        objects.add(word);
      }
      if (PLACES.contains(word) && !places.contains(word)) {
        places.add(word);
      }
    }
    Slots slots = new Slots(random, banks, character, objects, places);
    String fragment = endsMidSentence(beginning) ? finish(beginning.stripTrailing(), slots) : "";

    int n = stories.sentences();
    List<String> sentences = new ArrayList<>();
    boolean[] slipped = new boolean[n];
    List<Integer> templates = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      int template =
          !templates.isEmpty() && random.nextDouble() < banks.repeat
              ? templates.get(random.nextInt(templates.size()))
              : random.nextInt(banks.templates);
      if (!templates.isEmpty() && template == templates.get(templates.size() - 1)) {
        template = (template + 1) % banks.templates;
      }
      templates.add(template);
      sentences.add(sentence(template, s % 3 == 0, slots));
      slipped[s] = random.nextDouble() < stories.slips();
    }
    // Slip kinds are chosen from the last sentence back, so a missing full stop is chosen only
    // where the next sentence starts with a capitalised starter that shows it.
    Slip[] kinds = new Slip[n];
    for (int s = n - 1; s >= 0; s--) {
      if (!slipped[s]) {
        continue;
      }
      List<Slip> allowed = new ArrayList<>(List.of(Slip.LOWER_CASE, Slip.DOUBLED_WORD));
      boolean endsInStop = sentences.get(s).endsWith(".");
      boolean nextShows =
          s == n - 1
              || (STARTERS.contains(firstWord(sentences.get(s + 1)))
                  && kinds[s + 1] != Slip.LOWER_CASE);
      if (endsInStop && nextShows) {
        allowed.add(Slip.MISSING_STOP);
      }
      kinds[s] = allowed.get(random.nextInt(allowed.size()));
      sentences.set(s, kinds[s].apply(sentences.get(s), random));
    }
    int slips = 0;
    for (Slip kind : kinds) {
      slips += kind == null ? 0 : 1;
    }
    StringBuilder text = new StringBuilder();
    String tail = beginning.stripTrailing();
    boolean glued =
        fragment.startsWith(",")
            || (!fragment.isEmpty() && tail.endsWith("\"") && quoteOpen(tail))
            || tail.endsWith("“");
    if (!fragment.isEmpty()) {
      text.append(glued ? "" : " ").append(fragment);
    }
    for (String sentence : sentences) {
      text.append(' ').append(sentence);
    }
    return new Story(text.toString(), n + (fragment.isEmpty() ? 0 : 1), slips);
  }

  /** The rest of the sentence {@code tail} stops in, with its full stop (or closing quote). */
  private static String finish(String tail, Slots slots) {
    boolean inQuote = quoteOpen(tail);
    char last = tail.charAt(tail.length() - 1);
    if (last == '"' || last == '“' || last == '”') {
      if (inQuote) {
        return slots.pick(EXCLAIMS) + "!\"";
      }
      // "Let's go," ... : who said it.
      return "said " + slots.character.name() + ".";
    }
    if (last == ',' || last == ':' || last == ';') {
      List<String> words = SimAnswerKey.words(tail);
      String before = words.isEmpty() ? "" : words.get(words.size() - 1);
      if (inQuote) {
        return slots.pick(EXCLAIMS_MID) + "!\"";
      }
      if (SAYING.contains(before) || last == ':') {
        return "\"" + slots.pick(EXCLAIMS) + "!\"";
      }
      return slots.character.name() + " " + slots.pick(ACTIONS) + ".";
    }
    List<String> words = SimAnswerKey.words(tail);
    String word = words.isEmpty() ? "" : words.get(words.size() - 1);
    String previous = words.size() < 2 ? "" : words.get(words.size() - 2);
    String end = inQuote ? "!\"" : ".";
    String phrase;
    if (TO.contains(word)) {
      phrase = slots.pick(TO_PHRASES);
    } else if (MODALS.contains(word)) {
      phrase = slots.pick(MODAL_PHRASES);
    } else if (word.equals("an")) {
      phrase = slots.pick(VOWEL_ADJECTIVES) + " " + slots.object();
    } else if (DETERMINERS.contains(word)) {
      phrase = slots.adjective() + " " + slots.object();
    } else if (ADJECTIVES.contains(word) || VOWEL_ADJECTIVES.contains(word)) {
      phrase = slots.object();
    } else if (previous.equals("there") && LINKING.contains(word)) {
      phrase = "a " + slots.adjective() + " " + slots.object();
    } else if (word.equals("very") || word.equals("so") || word.equals("too")) {
      phrase = slots.feeling();
    } else if (LINKING.contains(word)) {
      phrase = "very " + slots.feeling();
    } else if (PLACE_PREPOSITIONS.contains(word)) {
      phrase = "the " + slots.place();
    } else if (PREPOSITIONS.contains(word)) {
      phrase = "the " + slots.object();
    } else if (CONJUNCTIONS.contains(word)) {
      phrase = slots.character.pronoun().subject + " " + slots.pick(ACTIONS);
    } else if (SAYING.contains(word) || (word.equals("out") && SAYING.contains(previous))) {
      return inQuote ? slots.pick(EXCLAIMS_MID) + "!\"" : ", \"" + slots.pick(EXCLAIMS) + "!\"";
    } else if (SUBJECTS.contains(word)) {
      phrase = slots.pick(ACTIONS);
    } else if (TRANSITIVE.contains(word) || word.endsWith("ed")) {
      phrase = "the " + slots.adjective() + " " + slots.object();
    } else if (OBJECTS.contains(word) || PLACES.contains(word)) {
      phrase = "was very " + slots.adjective();
    } else {
      phrase = "and " + slots.character.pronoun().subject + " " + slots.pick(ACTIONS);
    }
    return phrase + end;
  }

  /** One sentence; {@code named} puts the character's name, not its pronoun, in the subject. */
  private static String sentence(int template, boolean named, Slots slots) {
    Protagonist character = slots.character;
    String subject = named ? character.capitalised() : capitalise(character.pronoun().subject);
    String p = character.pronoun().subject;
    String poss = character.pronoun().possessive;
    String be = character.pronoun().be;
    return switch (template) {
      case 0 ->
          subject
              + " "
              + slots.verb()
              + " the "
              + slots.adjective()
              + " "
              + slots.object()
              + " in the "
              + slots.place()
              + ".";
      case 1 -> subject + " felt very " + slots.feeling() + ".";
      case 2 ->
          subject
              + " went to the "
              + slots.place()
              + " with "
              + poss
              + " "
              + slots.companion()
              + ".";
      case 3 ->
          subject
              + " saw a "
              + slots.adjective()
              + " "
              + slots.object()
              + " near the "
              + slots.place()
              + ".";
      case 4 -> subject + " said, \"I love this " + slots.object() + "!\"";
      case 5 ->
          subject
              + " "
              + slots.verb()
              + " the "
              + slots.object()
              + " and "
              + p
              + " "
              + be
              + " "
              + slots.feeling()
              + ".";
      case 6 ->
          "Then "
              + p
              + " "
              + slots.verb()
              + " "
              + poss
              + " "
              + slots.object()
              + " at the "
              + slots.place()
              + ".";
      case 7 -> "At the end of the day, " + p + " " + be + " " + slots.feeling() + ".";
      case 8 -> subject + " played with the " + slots.object() + " all day long.";
      case 9 ->
          subject
              + " and "
              + poss
              + " "
              + slots.companion()
              + " "
              + slots.verb()
              + " the "
              + slots.adjective()
              + " "
              + slots.object()
              + " together.";
      case 10 -> "Soon, " + p + " " + slots.pick(ACTIONS) + " in the " + slots.place() + ".";
      default ->
          subject
              + " "
              + slots.pick(ACTIONS)
              + " because "
              + p
              + " "
              + be
              + " so "
              + slots.feeling()
              + ".";
    };
  }

  /** A slip a reader (and the simulated judge) can see. */
  private enum Slip {
    /** The sentence starts with a lower-case letter. */
    LOWER_CASE {
      @Override
      String apply(String sentence, Random random) {
        return sentence.substring(0, 1).toLowerCase(Locale.ROOT) + sentence.substring(1);
      }
    },
    /** A word is written twice: "the the". */
    DOUBLED_WORD {
      @Override
      String apply(String sentence, Random random) {
        String[] tokens = sentence.split(" ");
        List<Integer> plain = new ArrayList<>();
        for (int i = 0; i + 1 < tokens.length; i++) {
          if (tokens[i].chars().allMatch(Character::isLetter)) {
            plain.add(i);
          }
        }
        int at = plain.get(random.nextInt(plain.size()));
        List<String> doubled = new ArrayList<>(List.of(tokens));
        doubled.add(at, tokens[at]);
        return String.join(" ", doubled);
      }
    },
    /** The full stop is missing, so the sentence runs into the next. */
    MISSING_STOP {
      @Override
      String apply(String sentence, Random random) {
        return sentence.substring(0, sentence.length() - 1);
      }
    };

    abstract String apply(String sentence, Random random);
  }

  /** The first word of a sentence, as written. */
  private static String firstWord(String sentence) {
    int space = sentence.indexOf(' ');
    String word = space < 0 ? sentence : sentence.substring(0, space);
    return word.replaceAll("[^A-Za-z]", "");
  }

  /** The entries of a comma-separated list. */
  private static List<String> words(String list) {
    return ImmutableList.copyOf(list.split(", "));
  }

  static String capitalise(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  /** The word banks cut to the share {@code variety} of each (at least two words a bank). */
  private static final class Banks {
    final List<String> objects;
    final List<String> places;
    final List<String> verbs;
    final List<String> feelings;
    final List<String> adjectives;
    final List<String> companions;
    final int templates;
    final double variety;

    /** The chance that a slot or a sentence repeats one the story used already. */
    final double repeat;

    Banks(double variety) {
      this.variety = variety;
      this.repeat = 0.6 * (1 - variety);
      objects = cut(OBJECTS, variety);
      places = cut(PLACES, variety);
      verbs = cut(VERBS, variety);
      feelings = cut(FEELINGS, variety);
      adjectives = cut(ADJECTIVES, variety);
      companions = cut(COMPANIONS, variety);
      templates = Math.max(3, (int) Math.ceil(variety * TEMPLATES));
    }

    static List<String> cut(List<String> bank, double variety) {
      return ImmutableList.copyOf(bank.subList(0, size(bank, variety)));
    }

    /** How many of {@code bank}'s first words a snapshot of {@code variety} uses. */
    static int size(List<String> bank, double variety) {
      return Math.min(bank.size(), Math.max(2, (int) Math.ceil(variety * bank.size())));
    }
  }

  /**
   * Draws the words that fill a sentence's slots: with chance {@link Banks#repeat} one the story
   * used already, else with chance {@link #REUSE} (objects and places) one of the beginning's, else
   * one of the bank's.
   */
  private static final class Slots {
    /** The share of object and place slots filled with one from the beginning, if it has any. */
    private static final double REUSE = 0.35;

    final Random random;
    final Banks banks;
    final Protagonist character;
    final List<String> beginningObjects;
    final List<String> beginningPlaces;
    private final Map<List<String>, List<String>> used = new java.util.IdentityHashMap<>();

    Slots(
        Random random,
        Banks banks,
        Protagonist character,
        List<String> beginningObjects,
        List<String> beginningPlaces) {
      this.random = random;
      this.banks = banks;
      this.character = character;
      this.beginningObjects = beginningObjects;
      this.beginningPlaces = beginningPlaces;
    }

    /** A word or phrase of {@code bank}, from the share of it the variety allows. */
    String pick(List<String> bank) {
      return bank.get(random.nextInt(Banks.size(bank, banks.variety)));
    }

    private String draw(List<String> bank, List<String> fromBeginning) {
      List<String> before = used.computeIfAbsent(bank, b -> new ArrayList<>());
      String word;
      if (!before.isEmpty() && random.nextDouble() < banks.repeat) {
        word = before.get(random.nextInt(before.size()));
      } else if (!fromBeginning.isEmpty() && random.nextDouble() < REUSE) {
        word = fromBeginning.get(random.nextInt(fromBeginning.size()));
      } else {
        word = bank.get(random.nextInt(bank.size()));
      }
      before.add(word);
      return word;
    }

    String object() {
      return draw(banks.objects, beginningObjects);
    }

    String place() {
      return draw(banks.places, beginningPlaces);
    }

    String verb() {
      return draw(banks.verbs, List.of());
    }

    String feeling() {
      return draw(banks.feelings, List.of());
    }

    String adjective() {
      return draw(banks.adjectives, List.of());
    }

    String companion() {
      List<String> companions = new ArrayList<>(banks.companions);
      companions.remove(character.mention());
      return companions.get(random.nextInt(companions.size()));
    }
  }
}
