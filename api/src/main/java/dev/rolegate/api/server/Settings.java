package dev.rolegate.api.server;

/**
 * Checks of the service's own settings where they are read. Micronaut takes any text but {@code
 * true} for false: an operator who wrote {@code ture} or {@code yes} would get the opposite of what
 * they meant, silently. A setting that means nothing stops the start instead, naming it.
 */
public final class Settings {
  private Settings() {}

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
