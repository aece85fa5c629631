package dev.rolegate.api.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rolegate.api.testing.Certificates;
import dev.rolegate.api.testing.Certificates.Pair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificate files an operator names, as the node checks them before it starts. */
class TlsTest {
  @TempDir static Path folder;
  static Pair rsa;
  static Pair otherRsa;
  static Pair ec;

  @BeforeAll
  static void certificates() throws Exception {
    rsa = Certificates.create(folder, "rsa", "RSA", null, 30);
    otherRsa = Certificates.create(folder, "other-rsa", "RSA", null, 30);
    ec = Certificates.create(folder, "ec", "EC", null, 30);
  }

  static Map<String, String> env(Path certificate, Path key) {
    return Map.of(Tls.CERTIFICATE, certificate.toString(), Tls.KEY, key.toString());
  }

  static String refusal(Map<String, String> env) {
    return assertThrows(IllegalArgumentException.class, () -> Tls.properties(env)).getMessage();
  }

  @Test
  void neitherFileMeansPlainHttp() {
    assertEquals(Map.of(), Tls.properties(Map.of()));
    assertEquals(Map.of(), Tls.properties(Map.of(Tls.CERTIFICATE, " ", Tls.KEY, "")));
  }

  @Test
  void bothFilesServeHttpsOnTheNodesPort() {
    Map<String, Object> p = Tls.properties(env(rsa.certificateFile(), rsa.keyFile()));
    assertEquals("true", p.get("micronaut.server.ssl.enabled"));
    assertEquals("${micronaut.server.port}", p.get("micronaut.server.ssl.port"));
    assertEquals(Tls.PROVIDER, p.get("micronaut.server.ssl.key-name"));
    assertEquals(
        rsa.keyFile().toString(), p.get("micronaut.certificate.file." + Tls.PROVIDER + ".path"));
    assertEquals(
        rsa.certificateFile().toString(),
        p.get("micronaut.certificate.file." + Tls.PROVIDER + ".certificate-path"));
    assertEquals(
        "FILE_WATCHER", p.get("micronaut.certificate.file." + Tls.PROVIDER + ".refresh-mode"));
  }

  @Test
  void oneFileWithoutTheOtherIsRefused() {
    assertEquals(
        "ROLEGATE_TLS_CERTIFICATE is set but ROLEGATE_TLS_KEY is not: HTTPS needs both, the"
            + " certificate (PEM) and its private key (PEM)",
        refusal(Map.of(Tls.CERTIFICATE, rsa.certificateFile().toString())));
    assertEquals(
        "ROLEGATE_TLS_KEY is set but ROLEGATE_TLS_CERTIFICATE is not: HTTPS needs both, the"
            + " certificate (PEM) and its private key (PEM)",
        refusal(Map.of(Tls.KEY, rsa.keyFile().toString())));
  }

  @Test
  void aMissingFileOrAFolderIsNamed() {
    Path missing = folder.resolve("missing.pem");
    assertEquals(
        "ROLEGATE_TLS_CERTIFICATE names " + missing + ", which does not exist",
        refusal(env(missing, rsa.keyFile())));
    assertEquals(
        "ROLEGATE_TLS_KEY names " + folder + ", which is not a file",
        refusal(env(rsa.certificateFile(), folder)));
  }

  @Test
  void filesGivenTheWrongWayRoundAreNamed() {
    String said = refusal(env(rsa.keyFile(), rsa.certificateFile()));
    assertEquals(
        "ROLEGATE_TLS_CERTIFICATE names "
            + rsa.keyFile()
            + ", which holds a private key: it names the certificate, ROLEGATE_TLS_KEY its"
            + " private key",
        said);
    assertEquals(
        "ROLEGATE_TLS_KEY names "
            + rsa.certificateFile()
            + ", which holds no PEM private key (-----BEGIN PRIVATE KEY-----)",
        refusal(env(rsa.certificateFile(), rsa.certificateFile())));
  }

  @Test
  void aCertificateFileThatIsNotOneIsNamed() throws Exception {
    Path text = folder.resolve("text.crt");
    Files.writeString(text, "hello\n");
    assertEquals(
        "ROLEGATE_TLS_CERTIFICATE names "
            + text
            + ", which holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
        refusal(env(text, rsa.keyFile())));
    Path broken = folder.resolve("broken.crt");
    Files.writeString(broken, Certificates.pem("CERTIFICATE", new byte[] {1, 2, 3, 4}));
    String said = refusal(env(broken, rsa.keyFile()));
    assertTrue(
        said.startsWith("ROLEGATE_TLS_CERTIFICATE names " + broken + ", whose certificate cannot"),
        said);
    Path big = folder.resolve("big.crt");
    Files.write(big, new byte[(1 << 20) + 1]);
    assertEquals(
        "ROLEGATE_TLS_CERTIFICATE names " + big + ", which is over 1 MiB: not a PEM file",
        refusal(env(big, rsa.keyFile())));
  }

  @Test
  void aKeyFileMustHoldItsKeyAloneAndUnencrypted() throws Exception {
    Path both = folder.resolve("both.pem");
    Files.writeString(
        both, Files.readString(rsa.keyFile()) + Files.readString(rsa.certificateFile()));
    assertEquals(
        "ROLEGATE_TLS_KEY names "
            + both
            + ", which holds PRIVATE KEY, CERTIFICATE: it must hold the private key alone, the"
            + " certificates go in ROLEGATE_TLS_CERTIFICATE",
        refusal(env(rsa.certificateFile(), both)));
    Path encrypted = folder.resolve("encrypted.key");
    Files.writeString(encrypted, Certificates.pem("ENCRYPTED PRIVATE KEY", new byte[] {1}));
    assertEquals(
        "ROLEGATE_TLS_KEY names "
            + encrypted
            + ", which holds an encrypted key: give the key unencrypted (openssl pkey -in KEY -out"
            + " KEY.pem) in a file only the node can read",
        refusal(env(rsa.certificateFile(), encrypted)));
  }

  @Test
  void aChainOfCertificatesIsRead() throws Exception {
    Path chain = folder.resolve("chain.crt");
    Files.writeString(
        chain, Files.readString(rsa.certificateFile()) + Files.readString(ec.certificateFile()));
    assertEquals(List.of(rsa.certificate(), ec.certificate()), Tls.certificates(chain));
  }

  /** The key store Micronaut makes of a key file and a certificate file. */
  static KeyStore store(Pair keyFrom, Pair certificateFrom) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    PrivateKey key =
        (PrivateKey)
            KeyFactory.getInstance(keyFrom.certificate().getPublicKey().getAlgorithm())
                .generatePrivate(
                    new PKCS8EncodedKeySpec(
                        Base64.getMimeDecoder()
                            .decode(
                                Files.readString(keyFrom.keyFile())
                                    .replaceAll("-----[A-Z ]+-----", ""))));
    store.setKeyEntry("key", key, null, new Certificate[] {certificateFrom.certificate()});
    return store;
  }

  @Test
  void aKeyMatchesOnlyItsOwnCertificate() throws Exception {
    assertEquals(Optional.empty(), Tls.mismatch(store(rsa, rsa)));
    assertEquals(Optional.empty(), Tls.mismatch(store(ec, ec)));
    assertEquals(
        Optional.of(
            "the private key in ROLEGATE_TLS_KEY does not belong to the certificate in"
                + " ROLEGATE_TLS_CERTIFICATE (the key is not the certificate's)"),
        Tls.mismatch(store(otherRsa, rsa)));
    assertEquals(
        Optional.of(
            "the private key in ROLEGATE_TLS_KEY does not belong to the certificate in"
                + " ROLEGATE_TLS_CERTIFICATE (EC key, RSA certificate)"),
        Tls.mismatch(store(ec, rsa)));
  }

  @Test
  void anEndingCertificateIsWarnedOf() {
    Instant end = rsa.certificate().getNotAfter().toInstant();
    assertEquals(Optional.empty(), Tls.expiry(rsa.certificate(), end.minus(Duration.ofDays(15))));
    assertEquals(
        Optional.of("it ends in under 14 days: renew it"),
        Tls.expiry(rsa.certificate(), end.minus(Duration.ofDays(13))));
    assertEquals(
        Optional.of("it has EXPIRED: clients that check certificates refuse it"),
        Tls.expiry(rsa.certificate(), end));
    assertEquals("CN=rsa, valid until " + end, Tls.describe(rsa.certificate()));
  }
}
