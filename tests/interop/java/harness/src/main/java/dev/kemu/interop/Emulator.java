package dev.kemu.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The real kinesis-emulator binary on an ephemeral loopback port, and its admin endpoint. The binary comes from
 * KEMU_BINARY (set by ctest and run_interop.sh). Not thread-safe to start/stop; the admin calls are.
 */
public final class Emulator implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("^kinesis-emulator ready on (https?)://([^:/\\s]+):(\\d+)$");
  private static final Pattern CERT = Pattern.compile("^kinesis-emulator TLS certificate: (.+)$");
  private static final Pattern KEY = Pattern.compile("^kinesis-emulator TLS key: (.+)$");

  private final Process process;
  private final URI endpoint;
  private final Path certificate;
  private final Path key;
  private final HttpClient admin;

  private Emulator(Process process, URI endpoint, Path certificate, Path key, HttpClient admin) {
    this.process = process;
    this.endpoint = endpoint;
    this.certificate = certificate;
    this.key = key;
    this.admin = admin;
  }

  /** Starts the binary with extra flags (e.g. "--tls") and waits for its ready line. */
  public static Emulator start(String... flags) throws Exception {
    String binary = System.getenv("KEMU_BINARY");
    if (binary == null || binary.isEmpty()) throw new IllegalStateException("KEMU_BINARY is not set");
    List<String> cmd = new ArrayList<>(List.of(binary, "--port", "0", "--log-level", "warn"));
    cmd.addAll(List.of(flags));
    Path log = Runner.logFile("kemu-interop-emulator");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
    Process p = pb.start();
    Runner.CHILDREN.add(p);
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String[]> ready = CompletableFuture.supplyAsync(() -> {
      String cert = null;
      String key = null;
      try {
        for (String line; (line = out.readLine()) != null;) {
          Matcher c = CERT.matcher(line);
          if (c.matches()) cert = c.group(1);
          Matcher k = KEY.matcher(line);
          if (k.matches()) key = k.group(1);
          Matcher m = READY.matcher(line);
          if (m.matches()) return new String[] {m.group(1) + "://" + m.group(2) + ":" + m.group(3), cert, key};
        }
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
      throw new IllegalStateException("emulator exited before its ready line; log: " + log);
    });
    String[] r;
    try {
      r = ready.get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
    // Keep draining stdout so the emulator never blocks on a full pipe.
    Thread drain = new Thread(() -> {
      try {
        while (out.readLine() != null) {
        }
      } catch (IOException ignored) {
      }
    }, "emulator-stdout");
    drain.setDaemon(true);
    drain.start();
    Path cert = r[1] == null ? null : Path.of(r[1]);
    HttpClient.Builder hb = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5));
    if (cert != null) hb.sslContext(sslContextTrusting(cert));
    return new Emulator(p, URI.create(r[0]), cert, r[2] == null ? null : Path.of(r[2]), hb.build());
  }

  public URI endpoint() {
    return endpoint;
  }

  public int port() {
    return endpoint.getPort();
  }

  /** The self-signed certificate of a --tls emulator (null without TLS). */
  public Path certificate() {
    return certificate;
  }

  /** The private key of that certificate (null without TLS). */
  public Path key() {
    return key;
  }

  /** An SSLContext that trusts exactly the given PEM certificate. */
  public static SSLContext sslContextTrusting(Path pem) throws Exception {
    TrustManagerFactory tmf = trustManagersFor(pem);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  public static TrustManagerFactory trustManagersFor(Path pem) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    try (var in = Files.newInputStream(pem)) {
      X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      ks.setCertificateEntry("kinesis-emulator", c);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    return tmf;
  }

  /** POST /_emulator/faults with a rule; returns the rule id. */
  public String addFault(String ruleJson) {
    String body = adminCall("POST", "/_emulator/faults", ruleJson, 201);
    Matcher m = Pattern.compile("\"id\"\\s*:\\s*\"?([^\",}]+)").matcher(body);
    if (!m.find()) throw new IllegalStateException("no id in " + body);
    return m.group(1);
  }

  /** How often the rule fired so far. */
  public long faultFired(String id) {
    String body = adminCall("GET", "/_emulator/faults/" + id, null, 200);
    Matcher m = Pattern.compile("\"fired\"\\s*:\\s*(\\d+)").matcher(body);
    if (!m.find()) throw new IllegalStateException("no fired in " + body);
    return Long.parseLong(m.group(1));
  }

  public void removeFault(String id) {
    adminCall("DELETE", "/_emulator/faults/" + id, null, 204);
  }

  public String adminCall(String method, String path, String body, int expectStatus) {
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(10));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> r = admin.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != expectStatus) {
        throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
      }
      return r.body();
    } catch (IOException | InterruptedException e) {
      throw new RuntimeException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
