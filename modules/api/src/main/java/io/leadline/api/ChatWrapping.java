package io.leadline.api;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a plain text prompt reaches a chat model. A setting, not a benchmark concern: the prompt is
 * the same text either way.
 */
public enum ChatWrapping {
  /**
   * GPT-Fathom's {@code text_prompt_to_chat_prompt}: a fixed system message, then the whole
   * few-shot prompt as one user message.
   */
  GPT_FATHOM("gpt-fathom", "Follow the given instructions and examples, answer the question."),
  /** The prompt as the only (user) message, no system message. */
  NONE("none", null);

  private final String id;
  private final String systemMessage;

  ChatWrapping(String id, String systemMessage) {
    this.id = id;
    this.systemMessage = systemMessage;
  }

  /** The name settings files use. */
  public String id() {
    return id;
  }

  /** The system message sent before the prompt, if any. */
  public Optional<String> systemMessage() {
    return Optional.ofNullable(systemMessage);
  }

  /**
   * The wrapping named {@code id}.
   *
   * @throws LeadlineException naming the known wrappings if there is none such
   */
  public static ChatWrapping fromId(String id) {
    for (ChatWrapping wrapping : values()) {
      if (wrapping.id.equals(id)) {
        return wrapping;
      }
    }
    throw LeadlineException.userInput(
        "unknown chat wrapping '%s'; known: %s",
        id, Arrays.stream(values()).map(ChatWrapping::id).collect(Collectors.joining(", ")));
  }
}
