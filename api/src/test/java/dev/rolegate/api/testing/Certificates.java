package dev.rolegate.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates for tests, made as an operator makes them: with the JDK's {@code
 * keytool}, then written as the PEM files a node is given (the certificate, and its private key in
 * PKCS#8).
 */
public final class Certificates {
  private static final char[] PASSWORD = "test-only".toCharArray();

  private Certificates() {}

  /** A certificate and its private key, in PEM files. */
  public record Pair(Path certificateFile, Path keyFile, X509Certificate certificate) {}

  /**
   * A new key pair ({@code RSA} or {@code EC}) and a certificate for it named {@code CN=name}, for
   * 127.0.0.1 and localhost, valid from {@code start} ({@code keytool -startdate}, such as {@code
   * -10d}; null for now) for {@code days} days; the files are written in {@code folder}, replacing
   * those of the same name atomically (as a renewal does).
   */
  public static Pair create(Path folder, String name, String algorithm, String start, int days)
      throws IOException, InterruptedException, GeneralSecurityException {
    Path store = Files.createTempFile(folder, name, ".p12");
    Files.delete(store);
    ProcessBuilder keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                new String(PASSWORD),
                "-alias",
                "node",
                "-keyalg",
                algorithm,
                "-dname",
                "CN=" + name,
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                Integer.toString(days))
            .redirectErrorStream(true);
    if (start != null) {
      keytool.command().addAll(List.of("-startdate", start));
    }
    Process p = keytool.start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    assertEquals(0, p.exitValue(), said);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD);
    }
    Files.delete(store);
    PrivateKey key = (PrivateKey) keys.getKey("node", PASSWORD);
    X509Certificate certificate = (X509Certificate) keys.getCertificate("node");
    Path certificateFile = folder.resolve(name + ".crt");
    Path keyFile = folder.resolve(name + ".key");
    write(certificateFile, pem("CERTIFICATE", certificate.getEncoded()));
    write(keyFile, pem("PRIVATE KEY", key.getEncoded()));
    return new Pair(certificateFile, keyFile, certificate);
  }

  /** {@code der} as a PEM block labelled {@code label}. */
  public static String pem(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  /** Writes {@code text} to {@code file} through a file beside it, moved in place at once. */
  public static void write(Path file, String text) throws IOException {
    Path next = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".next");
    Files.writeString(next, text, StandardCharsets.US_ASCII);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
