package dev.kemu.interop.kcl;

import dev.kemu.interop.Ledger;
import dev.kemu.interop.Runner;
import dev.kemu.interop.kcl.KclApp.Mode;
import dev.kemu.interop.kcl.KclApp.Observations;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * One KCL worker in a JVM of its own, as workers of one application normally run (KCL 3.x keeps one worker's
 * utilization metrics per process: a second Scheduler in the same JVM never reported any, so the leader never
 * assigned it a lease). The child prints what its processors see ("rec PK DATA", "init SHARD", "lost SHARD",
 * "ended SHARD", base64 fields) and shuts down gracefully on "quit" from stdin; the parent feeds a Ledger.
 */
public final class KclWorkerProcess implements AutoCloseable {
  private final Process process;
  private final PrintWriter in;
  private final Thread reader;

  public KclWorkerProcess(URI kinesis, URI moto, String stream, String app, String worker, Mode mode, int maxLeases,
                          Ledger ledger, Observations obs) throws Exception {
    Path log = Runner.logFile("kemu-interop-" + worker);
    process = new ProcessBuilder("java", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
        KclWorkerProcess.class.getName(), kinesis.toString(), moto.toString(), stream, app, worker, mode.name(),
        String.valueOf(maxLeases))
        .redirectError(log.toFile()).start();
    Runner.track(process);
    in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    reader = new Thread(() -> {
      try {
        for (String line; (line = out.readLine()) != null;) {
          String[] w = line.split(" ");
          String a = w.length > 1 ? decode(w[1]) : "";
          switch (w[0]) {
            case "rec" -> {
              ledger.delivered(app, a, decode(w[2]));
              obs.deliveredByWorker.merge(worker, 1, Integer::sum);
            }
            case "init" -> {
              obs.firstInit.putIfAbsent(a, System.nanoTime());
              obs.active(worker).add(a);
              obs.lastChange = System.nanoTime();
            }
            case "lost", "ended" -> {
              obs.active(worker).remove(a);
              obs.lastChange = System.nanoTime();
            }
            default -> { }
          }
        }
      } catch (Exception ignored) {
        // the child ended
      }
    }, "worker-" + worker);
    reader.setDaemon(true);
    reader.start();
  }

  private static String decode(String s) {
    return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
  }

  private static String encode(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Asks the worker to shut down gracefully and waits for it. */
  @Override
  public void close() throws Exception {
    in.println("quit");
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("worker did not shut down");
    }
    reader.join(5000);
  }

  /** The child: args KINESIS_URI MOTO_URI STREAM APP WORKER MODE MAX_LEASES (0: no cap). */
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Object lock = new Object();
    // The processor reports to this ledger-shaped sink: every event becomes a line for the parent.
    Ledger sink = new Ledger() {
      @Override
      public void delivered(String consumer, String pk, String data) {
        synchronized (lock) {
          out.println("rec " + encode(pk) + " " + encode(data));
        }
      }
    };
    Observations obs = new Observations() {
      @Override
      void changed(String event, String shard) {
        synchronized (lock) {
          out.println(event + " " + encode(shard));
        }
      }
    };
    var kinesis = software.amazon.kinesis.common.KinesisClientUtil.createKinesisAsyncClient(
        software.amazon.awssdk.services.kinesis.KinesisAsyncClient.builder().endpointOverride(URI.create(args[0]))
            .region(Clients.REGION).credentialsProvider(Clients.CREDS));
    Clients clients = new Clients(kinesis, URI.create(args[1]));
    KclApp app = new KclApp(clients, args[2], args[3], args[4], Mode.valueOf(args[5]), sink, obs,
        Integer.parseInt(args[6])).start();
    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = stdin.readLine()) != null && !line.equals("quit");) {
    }
    app.shutdownGracefully();
    Runtime.getRuntime().halt(0);
  }
}
