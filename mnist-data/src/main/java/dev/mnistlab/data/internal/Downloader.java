package dev.mnistlab.data.internal;

import dev.mnistlab.data.DownloadProgress;
import dev.mnistlab.data.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Downloads one file from one URL ({@code http:}, {@code https:} or a local {@code file:}) into a
 * temporary file beside its target, verifies its size and SHA-256, and only then renames it into
 * place. Failures are returned as one-line reasons, so the caller can try the next mirror and
 * report every attempt. Thread-safe.
 */
public final class Downloader {
  private static final int BUFFER = 1 << 16;
  private static final long PROGRESS_STEP = 256 << 10;

  private final OkHttpClient client;

  /** Downloads with {@code client} (its timeouts decide when a slow mirror is given up). */
  public Downloader(OkHttpClient client) {
    this.client = client;
  }

  /**
   * Fetches {@code url} into {@code target}.
   *
   * @return empty on success (the verified file is at {@code target}), otherwise why it failed
   */
  public Optional<String> fetch(URI url, Path target, long expectedSize, String expectedSha256,
      DownloadProgress progress) {
    String name = target.getFileName().toString();
    long[] received = {0}; // updated by copyVerified, read on failure
    progress.update(name, 0, expectedSize, false);
    try {
      if ("file".equalsIgnoreCase(url.getScheme())) {
        Path source = Path.of(url);
        if (!Files.isRegularFile(source)) {
          return Optional.of("no such file");
        }
        try (InputStream in = Files.newInputStream(source)) {
          return copyVerified(in, Files.size(source), received, target, expectedSize, expectedSha256, progress);
        }
      }
      // One connection per file: a file is one large transfer, so reuse saves nothing, while a
      // pooled connection is exactly what breaks against HTTP/1.0 servers (python3 -m http.server
      // closes after each response without saying so, and the next request on it ends with
      // "unexpected end of stream").
      Request request = new Request.Builder().url(url.toString()).header("User-Agent", "mnistlab")
          .header("Connection", "close").get().build();
      Call call = client.newCall(request);
      Response response = call.execute();
      Optional<String> result = null;
      try {
        result = copyResponse(response, received, target, expectedSize, expectedSha256, progress);
        return result;
      } finally {
        if (result == null || result.isPresent()) {
          // Abandoning a body must not leave its connection reusable: closing it would let OkHttp
          // drain what is left and pool the connection. Cancelling first evicts it instead.
          call.cancel();
        }
        response.close();
      }
    } catch (SocketTimeoutException e) {
      return Optional.of("timed out after " + received[0] + " bytes (" + e.getMessage() + ")");
    } catch (InterruptedIOException e) {
      return Optional.of("timed out after " + received[0] + " bytes (" + e.getMessage() + ")");
    } catch (ConnectException e) {
      return Optional.of("connection failed (" + e.getMessage() + ")");
    } catch (UnknownHostException e) {
      return Optional.of("unknown host " + e.getMessage());
    } catch (IOException e) {
      return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      return Optional.of("not a valid HTTP URL (" + e.getMessage() + ")");
    } finally {
      progress.update(name, received[0], expectedSize, true);
    }
  }

  private static Optional<String> copyResponse(Response response, long[] received, Path target, long expectedSize,
      String expectedSha256, DownloadProgress progress) throws IOException {
    if (!response.isSuccessful()) {
      return Optional.of("HTTP " + response.code() + (response.message().isEmpty() ? "" : " " + response.message()));
    }
    ResponseBody body = response.body();
    if (body == null) {
      return Optional.of("empty response");
    }
    // not closed here: the caller cancels an abandoned call before closing the response
    return copyVerified(body.byteStream(), body.contentLength(), received, target, expectedSize, expectedSha256,
        progress);
  }

  /** Copies {@code in} to a temporary file, verifies size and SHA-256, then renames it to {@code target}. */
  private static Optional<String> copyVerified(InputStream in, long announced, long[] received, Path target,
      long expectedSize,
      String expectedSha256, DownloadProgress progress) throws IOException {
    if (announced >= 0 && announced != expectedSize) {
      return Optional.of("the source announces " + announced + " bytes, expected " + expectedSize);
    }
    String name = target.getFileName().toString();
    Path temp = AtomicFiles.tempFileBeside(target);
    try {
      MessageDigest digest = Sha256.newDigest();
      byte[] buf = new byte[BUFFER];
      long nextReport = PROGRESS_STEP;
      try (OutputStream out = Files.newOutputStream(temp)) {
        int n;
        while ((n = in.read(buf)) > 0) {
          received[0] += n;
          if (received[0] > expectedSize) {
            return Optional.of("more than the expected " + expectedSize + " bytes");
          }
          digest.update(buf, 0, n);
          out.write(buf, 0, n);
          if (received[0] >= nextReport) {
            progress.update(name, received[0], expectedSize, false);
            nextReport = received[0] + PROGRESS_STEP;
          }
        }
      }
      if (received[0] != expectedSize) {
        return Optional.of("got " + received[0] + " bytes, expected " + expectedSize);
      }
      String actual = Sha256.hex(digest);
      if (!actual.equals(expectedSha256)) {
        return Optional.of("SHA-256 mismatch: got " + actual + ", expected " + expectedSha256);
      }
      AtomicFiles.moveIntoPlace(temp, target);
      temp = null;
      return Optional.empty();
    } finally {
      if (temp != null) {
        AtomicFiles.deleteQuietly(temp);
      }
    }
  }
}
