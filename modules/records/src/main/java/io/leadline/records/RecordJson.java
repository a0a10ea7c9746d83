package io.leadline.records;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleDeserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.leadline.api.LeadlineException;
import io.leadline.api.PrettyJson;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON mapping of the records: explicit property names (on the record components), {@code
 * Optional} as a value or {@code null}, instants as ISO-8601 text, strict reading (unknown, missing
 * and null-for-required fields are errors), and every file written through {@link PrettyJson}.
 */
final class RecordJson {
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .addModule(module())
          .build();

  private static final Pattern CREATOR_PROPERTY =
      Pattern.compile("(Missing required|Null value for) creator property '([^']*)'");

  private RecordJson() {}

  /** {@code value} as the pretty JSON of the run folder's files. */
  static String write(Object value) {
    return PrettyJson.write(MAPPER.valueToTree(value));
  }

  /**
   * {@code value} as compact JSON (no whitespace) in UTF-8, its doubles written as {@link
   * PrettyJson} writes them: one pass, for the sample viewer's hundreds of megabytes.
   */
  static byte[] compact(Object value) {
    try {
      return COMPACT.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final ObjectWriter COMPACT =
      MAPPER.rebuild().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build().writer();

  /** {@code value} as a tree (for embedding in other JSON). */
  static JsonNode tree(Object value) {
    return MAPPER.valueToTree(value);
  }

  /**
   * Reads {@code text} as {@code type}.
   *
   * @param file what names the text in an error ({@code RUN: runs/x/manifest.json})
   * @throws LeadlineException ({@code DATA}) naming the file and the field at fault, in one line
   */
  static <T> T read(String text, Class<T> type, String file) {
    return bind(readTree(text, file), MAPPER.constructType(type), file);
  }

  /** Like {@link #read(String, Class, String)}, for generic types. */
  static <T> T read(String text, TypeReference<T> type, String file) {
    return bind(readTree(text, file), MAPPER.constructType(type), file);
  }

  /**
   * Like {@link #read(String, TypeReference, String)}, where some required fields may be null (a
   * metric row without a value): the records' own constructors check the others.
   */
  static <T> T readWithNulls(String text, TypeReference<T> type, String file) {
    try {
      return MAPPER
          .readerFor(MAPPER.constructType(type))
          .without(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
          .readValue(readTree(text, file));
    } catch (IOException e) {
      if (e instanceof JsonProcessingException json) {
        throw malformed(file, json);
      }
      throw new IllegalStateException(e);
    }
  }

  /** Parses {@code text} as a tree; an error names {@code file}. */
  static JsonNode readTree(String text, String file) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw malformed(file, e);
    }
  }

  /** Binds {@code tree} to {@code type}; an error names {@code file} and the field. */
  static <T> T convert(JsonNode tree, Class<T> type, String file) {
    return bind(tree, MAPPER.constructType(type), file);
  }

  private static <T> T bind(JsonNode tree, JavaType type, String file) {
    try {
      return MAPPER.readerFor(type).readValue(tree);
    } catch (IOException e) {
      if (e instanceof JsonProcessingException json) {
        throw malformed(file, json);
      }
      throw new IllegalStateException(e);
    }
  }

  /** One line: the file, the field path ({@code benchmarks[2].category}) and what is wrong. */
  static LeadlineException malformed(String file, JsonProcessingException e) {
    if (!(e instanceof JsonMappingException mapping)) {
      var location = e.getLocation();
      return LeadlineException.data(
          "%s: not valid JSON (line %d, column %d: %s)",
          file,
          location == null ? 0 : location.getLineNr(),
          location == null ? 0 : location.getColumnNr(),
          e.getOriginalMessage());
    }
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : mapping.getPath()) {
      if (reference.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    String problem;
    Matcher creator = CREATOR_PROPERTY.matcher(String.valueOf(e.getOriginalMessage()));
    if (e instanceof UnrecognizedPropertyException) {
      problem = "unknown field";
    } else if (creator.find()) {
      String field = creator.group(2);
      if (!path.toString().equals(field) && !path.toString().endsWith("." + field)) {
        path.append(path.length() == 0 ? "" : ".").append(field);
      }
      problem = creator.group(1).startsWith("Missing") ? "missing" : "null where a value is needed";
    } else if (e instanceof ValueInstantiationException) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      problem = String.valueOf(cause.getMessage());
    } else if (e instanceof InvalidFormatException invalid) {
      problem = "expected " + kind(invalid.getTargetType()) + ", got " + quoted(invalid.getValue());
    } else if (e instanceof MismatchedInputException mismatched
        && mismatched.getTargetType() != null) {
      problem = "expected " + kind(mismatched.getTargetType());
    } else {
      problem = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
    }
    return LeadlineException.data(
        "%s: %s%s", file, path.length() == 0 ? "" : path + ": ", problem.replace('\n', ' '));
  }

  private static String kind(Class<?> type) {
    if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
      return "a whole number";
    }
    if (type == double.class || type == Double.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Instant.class) {
      return "an ISO-8601 instant";
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "an object";
  }

  private static String quoted(Object value) {
    return value instanceof String text ? '"' + text + '"' : String.valueOf(value);
  }

  private static SimpleModule module() {
    SimpleModule module = new SimpleModule("leadline-records");
    module.addSerializer(new OptionalSerializer());
    module.addSerializer(Instant.class, new InstantSerializer());
    SimpleDeserializers deserializers =
        new SimpleDeserializers() {
          private static final long serialVersionUID = 1L;

          @Override
          public JsonDeserializer<?> findBeanDeserializer(
              JavaType type, DeserializationConfig config, BeanDescription description)
              throws JsonMappingException {
            return type.getRawClass() == Optional.class
                ? new OptionalDeserializer(type.containedTypeOrUnknown(0))
                : super.findBeanDeserializer(type, config, description);
          }
        };
    deserializers.addDeserializer(Instant.class, new InstantDeserializer());
    module.setDeserializers(deserializers);
    return module;
  }

  /** An empty {@code Optional} is {@code null}, and "empty" for {@code NON_EMPTY} inclusion. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static final class OptionalSerializer extends StdSerializer<Optional> {
    private static final long serialVersionUID = 1L;

    OptionalSerializer() {
      super(Optional.class);
    }

    @Override
    public boolean isEmpty(SerializerProvider provider, Optional value) {
      return value == null || value.isEmpty();
    }

    @Override
    public void serialize(Optional value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      if (value.isPresent()) {
        provider.defaultSerializeValue(value.get(), gen);
      } else {
        gen.writeNull();
      }
    }
  }

  private static final class OptionalDeserializer extends JsonDeserializer<Optional<?>> {
    private final JavaType content;

    OptionalDeserializer(JavaType content) {
      this.content = content;
    }

    @Override
    public Optional<?> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return Optional.of(ctxt.readValue(p, content));
    }

    @Override
    public Optional<?> getNullValue(DeserializationContext ctxt) {
      return Optional.empty();
    }

    @Override
    public Object getAbsentValue(DeserializationContext ctxt) {
      return Optional.empty();
    }
  }

  private static final class InstantSerializer extends StdSerializer<Instant> {
    private static final long serialVersionUID = 1L;

    InstantSerializer() {
      super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(value.toString());
    }
  }

  private static final class InstantDeserializer extends JsonDeserializer<Instant> {
    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String text = ctxt.readValue(p, String.class);
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw ctxt.weirdStringException(text, Instant.class, "not an ISO-8601 instant");
      }
    }
  }
}
