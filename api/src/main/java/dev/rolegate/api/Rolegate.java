package dev.rolegate.api;

public final class Rolegate {
  public static void main(String[] args) {
    System.out.println("rolegate");
  }
}
