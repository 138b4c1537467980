package dev.kemu.interop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * moto's server mode (PyPI package moto[server]) on a loopback port: the DynamoDB (and, unused with metrics off,
 * CloudWatch) endpoint the KCL needs for its leases. The interpreter is KEMU_PYTHON, else python3.
 */
public final class Moto implements AutoCloseable {
  private final Process process;
  private final URI endpoint;

  private Moto(Process process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  public static Moto start() throws Exception {
    return start(null, null, null);
  }

  /**
   * With cert and key: HTTPS with that certificate. With account: moto's account id (MOTO_ACCOUNT_ID), e.g. the
   * emulator's, for STS GetCallerIdentity.
   */
  public static Moto start(Path cert, Path key, String account) throws Exception {
    String python = System.getenv().getOrDefault("KEMU_PYTHON", "python3");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = Runner.logFile("kemu-interop-moto");
    java.util.List<String> cmd = new java.util.ArrayList<>(
        java.util.List.of(python, "-m", "moto.server", "-H", "127.0.0.1", "-p", String.valueOf(port)));
    if (cert != null) cmd.addAll(java.util.List.of("-c", cert.toString(), "-k", key.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    if (account != null) pb.environment().put("MOTO_ACCOUNT_ID", account);
    Process p = pb.start();
    Runner.CHILDREN.add(p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        break;
      } catch (IOException e) {
        if (!p.isAlive()) throw new IllegalStateException("moto exited: " + Files.readString(log));
        if (System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw new IllegalStateException("moto did not open port " + port);
        }
        Thread.sleep(100);
      }
    }
    return new Moto(p, URI.create((cert != null ? "https" : "http") + "://127.0.0.1:" + port));
  }

  public URI endpoint() {
    return endpoint;
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
