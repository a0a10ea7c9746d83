package io.leadline.compare;

import java.util.Optional;

/** A problem right in one run and wrong in the other. */
public record Flip(
    Optional<String> subset,
    String exampleId,
    String question,
    Optional<String> answerA,
    Optional<String> answerB,
    String gold) {}
