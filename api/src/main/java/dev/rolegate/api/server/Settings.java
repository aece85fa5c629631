package dev.rolegate.api.server;

/**
 * Checks of the service's own settings where they are read: a setting that means nothing stops the
 * start, naming it, instead of being taken for something. Micronaut takes any text but {@code true}
 * for false: an operator who wrote {@code ture} or {@code yes} would get the opposite of what they
 * meant, silently; a count below its least would fail later, further from its cause.
 */
public final class Settings {
  private Settings() {}

  /**
   * {@code value} when it is {@code least} or more; anything less is refused naming {@code
   * variable} and saying what it {@code mustBe}.
   */
  public static int atLeast(String variable, int value, int least, String mustBe) {
    if (value < least) {
      throw new IllegalArgumentException(variable + " must be " + mustBe + ", not " + value);
    }
    return value;
  }

  /** {@code true} or {@code false}, exactly; anything else is refused naming {@code variable}. */
  public static boolean flag(String variable, String value) {
    return switch (value.strip()) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              variable + " must be true or false, not `" + value + "`");
    };
  }
}
