package io.leadline.report;

import io.leadline.records.RunFolders;
import java.util.Locale;
import java.util.Optional;

/**
 * The sample viewer's page, in the report family (the shared stylesheet and script, then the
 * viewer's own {@code viewer.css} and {@code viewer.js}): the run's list as {@code DATA} (see
 * {@link ViewerList#json}), its filters, the count of samples matching them, one page of the list
 * at a time, and the opened sample. Every text a model or a dataset wrote is set as text, never
 * parsed as markup.
 */
final class ViewerPage {
  private static final String CSS = "io/leadline/report/viewer.css";
  private static final String SCRIPT = "io/leadline/report/viewer.js";

  private ViewerPage() {}

  static String html(RunFolders.Run run, ViewerList list, boolean served) {
    String runId = run.manifest().runId();
    Page page = Page.begin("Samples of " + runId, Page.resource(CSS));
    page.raw("<h1>Samples of ").text(runId).raw("</h1>\n");
    page.raw("<p class=\"lede\">")
        .text(
            String.format(
                Locale.ROOT,
                "%,d samples of %d models on %d benchmarks. A sample is correct when it scores"
                    + " at least %.0f%% on its benchmark's primary metric; no answer when none"
                    + " was extracted or the request failed.",
                list.size(),
                run.manifest().models().size(),
                run.manifest().benchmarks().size(),
                ViewerList.CORRECT_AT * 100))
        .raw("</p>\n");
    page.raw(
        """
        <form class="filters" id="filters" aria-label="Filters" onsubmit="return false"></form>
        <p class="count" id="count" aria-live="polite"></p>
        <div class="viewer">
        <section class="list-pane" aria-label="Samples">
        <table class="scores samples" id="list"><thead><tr><th>#</th><th class="text">Model</th>\
        <th class="text">Benchmark</th><th class="text">Setting</th><th class="text">Example</th>\
        <th class="text">Outcome</th><th>Score</th></tr></thead><tbody></tbody></table>
        <nav class="pager" aria-label="Pages"><button type="button" id="prev">‹ Previous</button>
        <span id="page"></span><button type="button" id="next">Next ›</button></nav>
        </section>
        <section class="sample-pane" id="sample" aria-label="The opened sample">
        <p class="muted">Open a sample to see its exact prompt, the completion, the extracted\
         answer and why, its scores, the gold, tokens, latency and the judges' replies.</p>
        </section>
        </div>
        <noscript><p class="notice">The sample viewer needs JavaScript.</p></noscript>
        """);
    String data =
        "{\"mode\":\""
            + (served ? "served" : "static")
            + "\",\"chunk\":"
            + ViewerChunks.SIZE
            + ",\"list\":"
            + list.json()
            + "}";
    return page.end(false, Optional.of(data), Page.resource(SCRIPT));
  }
}
