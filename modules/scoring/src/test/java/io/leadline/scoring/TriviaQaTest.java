package io.leadline.scoring;

import static org.testng.Assert.assertEquals;

import java.util.List;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

public class TriviaQaTest {
  @DataProvider
  public Object[][] golden() {
    return GoldenRow.provider("triviaqa");
  }

  @Test(dataProvider = "golden")
  public void agreesWithOfficialScript(GoldenRow row) {
    String prediction = row.text("prediction");
    List<String> aliases = row.strings("aliases");
    assertEquals(
        TriviaQa.normalize(prediction), row.text("expected_normalized_prediction"), row.toString());
    assertEquals(
        aliases.stream().map(TriviaQa::normalize).toList(),
        row.strings("expected_normalized_aliases"),
        row.toString());
    double em = row.json().get("expected_em").asDouble();
    double f1 = row.json().get("expected_f1").asDouble();
    assertEquals(TriviaQa.OFFICIAL_EM.score(prediction, aliases), em, row.toString());
    assertEquals(TriviaQa.OFFICIAL_F1.score(prediction, aliases), f1, 0.0, row.toString());
    assertEquals(TriviaQa.score(prediction, aliases), new TriviaQa.Scores(em, f1), row.toString());
  }

  @Test
  public void punctuationBecomesSpaceAndTrailingArticleGoes() {
    assertEquals(TriviaQa.normalize("U.S.A."), "u s");
    assertEquals(TriviaQa.normalize("O\u2019Brien"), "o brien");
    assertEquals(TriviaQa.normalize("\u201cquoted\u201d"), "\u201cquoted\u201d");
  }

  @Test
  public void bothEmptyIsExactMatchButZeroF1() {
    assertEquals(TriviaQa.score("the", List.of("a")), new TriviaQa.Scores(1.0, 0.0));
  }

  @Test
  public void gptFathomFuzzyMatchFindsAliasInsideALongCompletion() {
    List<String> golds = List.of("Sinclair Lewis");
    assertEquals(
        TriviaQa.GPT_FATHOM_FUZZY_MATCH.score("(Harry) Sinclair Lewis\nQ: next question", golds),
        1.0);
    assertEquals(TriviaQa.GPT_FATHOM_FUZZY_MATCH.score("Upton Sinclair", golds), 0.0);
    assertEquals(TriviaQa.GPT_FATHOM_FUZZY_MATCH.score("", List.of("the")), 1.0);
  }
}
