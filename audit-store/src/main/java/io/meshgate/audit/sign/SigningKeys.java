package io.meshgate.audit.sign;

import io.meshgate.audit.hash.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;

/**
 * The audit log's Ed25519 key pair, kept in a directory as two PEM files: {@value
 * #PRIVATE_KEY_FILE} (PKCS #8, readable by the owner only) and {@value #PUBLIC_KEY_FILE} (X.509
 * SubjectPublicKeyInfo, the file to publish). Created on first use, reloaded afterwards: the key
 * must outlive restarts, since every signed tree head is checked against it.
 */
public final class SigningKeys {

  /** File name of the private key in the key directory. */
  public static final String PRIVATE_KEY_FILE = "audit-ed25519-private.pem";

  /** File name of the public key in the key directory: the one to publish. */
  public static final String PUBLIC_KEY_FILE = "audit-ed25519-public.pem";

  private static final String ALGORITHM = "Ed25519";

  private final KeyPair keyPair;

  private SigningKeys(KeyPair keyPair) {
    this.keyPair = keyPair;
  }

  /**
   * Loads the key pair kept in {@code directory}, creating it there first if the directory holds
   * none.
   *
   * @throws IllegalStateException if only one of the two files exists, or they do not belong
   *     together
   * @throws UncheckedIOException if the files cannot be read or written
   */
  public static SigningKeys loadOrCreate(Path directory) {
    Objects.requireNonNull(directory, "directory");
    Path privateFile = directory.resolve(PRIVATE_KEY_FILE);
    Path publicFile = directory.resolve(PUBLIC_KEY_FILE);
    try {
      Files.createDirectories(directory);
      if (!Files.exists(privateFile) && !Files.exists(publicFile)) {
        create(privateFile, publicFile);
      }
      if (!Files.exists(privateFile) || !Files.exists(publicFile)) {
        throw new IllegalStateException(
            "key directory "
                + directory
                + " holds only one of "
                + PRIVATE_KEY_FILE
                + " and "
                + PUBLIC_KEY_FILE
                + "; restore the missing file rather than creating a new key, or every signed head"
                + " becomes unverifiable");
      }
      KeyPair pair = new KeyPair(readPublicKey(publicFile), readPrivateKey(privateFile));
      requireMatching(pair, directory);
      return new SigningKeys(pair);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot load or create the audit signing key in " + directory, e);
    }
  }

  private static void create(Path privateFile, Path publicFile) throws IOException {
    KeyPair pair;
    try {
      pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java 15+ platform provides Ed25519", e);
    }
    writeOnce(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
    writeOnce(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()), false);
  }

  /** Creates {@code target} (never replacing an existing key) and writes {@code content} to it. */
  private static void writeOnce(Path target, String content, boolean secret) throws IOException {
    try {
      Files.createFile(
          target,
          PosixFilePermissions.asFileAttribute(
              PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the directory's own protection has to do.
      Files.createFile(target);
    }
    Files.writeString(
        target,
        content,
        StandardCharsets.US_ASCII,
        StandardOpenOption.WRITE,
        StandardOpenOption.SYNC);
  }

  private static void requireMatching(KeyPair pair, Path directory) {
    byte[] probe = "meshgate audit key check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance(ALGORITHM);
      signer.initSign(pair.getPrivate());
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(pair.getPublic());
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new IllegalStateException(
            "the private and public key in " + directory + " do not belong together");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot use the audit signing key in " + directory, e);
    }
  }

  /**
   * Reads a published Ed25519 public key (PEM, {@code PUBLIC KEY}).
   *
   * @throws IllegalArgumentException if the file is not such a key
   * @throws IOException if it cannot be read
   */
  public static PublicKey readPublicKey(Path file) throws IOException {
    byte[] der = fromPem(Files.readString(file, StandardCharsets.US_ASCII), "PUBLIC KEY", file);
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          file + " is not an Ed25519 public key: " + e.getMessage(), e);
    }
  }

  private static PrivateKey readPrivateKey(Path file) throws IOException {
    byte[] der = fromPem(Files.readString(file, StandardCharsets.US_ASCII), "PRIVATE KEY", file);
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          file + " is not an Ed25519 private key: " + e.getMessage(), e);
    }
  }

  /** The public key, to verify heads with. */
  public PublicKey publicKey() {
    return keyPair.getPublic();
  }

  /** The public key as PEM text, as kept in {@value #PUBLIC_KEY_FILE}: what to publish. */
  public String publicKeyPem() {
    return pem("PUBLIC KEY", keyPair.getPublic().getEncoded());
  }

  /**
   * The key's id: the SHA-256 of its DER encoding (X.509 SubjectPublicKeyInfo) in lowercase hex, as
   * RFC 6962 names a log by its key. Tells which key signed a head without shipping the key.
   */
  public static String keyId(PublicKey publicKey) {
    return new Sha256().hash(publicKey.getEncoded()).hex();
  }

  PrivateKey privateKey() {
    return keyPair.getPrivate();
  }

  private static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static byte[] fromPem(String text, String type, Path file) {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException(file + " is not a PEM " + type + " file");
    }
    try {
      return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + " holds malformed base64: " + e.getMessage(), e);
    }
  }
}
