package io.meshgate.gateway.auth;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.text.ParseException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A key set read from a JWKS file, read again when the file changes (looked at no more often than
 * once per {@code checkEvery}). A file that turns unreadable or invalid keeps the last good set in
 * use, with a warning.
 */
public final class JwksFile implements VerificationKeys {

  private static final Logger log = LoggerFactory.getLogger(JwksFile.class);

  private final Path file;
  private final long checkEveryNanos;
  private volatile JWKSet keys;
  private volatile long version;
  private volatile long checkedAt;
  private volatile FileTime modified;
  private volatile long size;

  /**
   * @throws IllegalArgumentException when the file cannot be read or is not a JWKS with at least
   *     one key
   */
  public JwksFile(Path file, Duration checkEvery) {
    this.file = file;
    this.checkEveryNanos = checkEvery.toNanos();
    try {
      this.modified = Files.getLastModifiedTime(file);
      this.size = Files.size(file);
      this.keys = read(file);
    } catch (IOException | ParseException e) {
      throw new IllegalArgumentException(
          "cannot read the JWKS file " + file + ": " + e.getMessage(), e);
    }
    this.checkedAt = System.nanoTime();
  }

  private static JWKSet read(Path file) throws IOException, ParseException {
    JWKSet set = JWKSet.parse(Files.readString(file)).toPublicJWKSet();
    if (set.isEmpty()) {
      throw new ParseException("the key set has no keys", 0);
    }
    return set;
  }

  @Override
  public JWKSet current() {
    long now = System.nanoTime();
    if (now - checkedAt >= checkEveryNanos) {
      synchronized (this) {
        if (now - checkedAt >= checkEveryNanos) {
          checkedAt = now;
          reloadIfChanged();
        }
      }
    }
    return keys;
  }

  private void reloadIfChanged() {
    try {
      FileTime nowModified = Files.getLastModifiedTime(file);
      long nowSize = Files.size(file);
      if (nowModified.equals(modified) && nowSize == size) {
        return;
      }
      JWKSet next = read(file);
      modified = nowModified;
      size = nowSize;
      keys = next;
      version++;
      log.info("verification keys reloaded from {}: {} key(s)", file, next.size());
    } catch (IOException | ParseException e) {
      log.warn(
          "cannot read the JWKS file {} ({}); the last good keys stay in use",
          file,
          e.getMessage());
    }
  }

  @Override
  public long version() {
    current();
    return version;
  }
}
