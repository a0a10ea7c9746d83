package io.leadline.records;

import java.util.Optional;

/**
 * What a reader of {@code samples.parquet} decides by whether it wants a row: the row's place
 * (model, benchmark, subset, setting, perturbation, example, sample) and whether its request
 * failed. A {@link SampleRow} is one; a streamed read asks it of the file's columns before it makes
 * a row ({@link RunFolders.Run#forEachSample(java.util.Set, java.util.function.Predicate,
 * java.util.function.Consumer)}). A column the read leaves out is empty here too.
 */
public interface SampleKey {
  String model();

  String benchmark();

  Optional<String> subset();

  String setting();

  Optional<String> perturbation();

  String exampleId();

  int sampleIndex();

  Optional<String> error();
}
