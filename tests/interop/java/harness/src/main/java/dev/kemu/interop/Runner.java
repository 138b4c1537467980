package dev.kemu.interop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs named scenarios, a few at a time (KEMU_INTEROP_PARALLEL, default 4), each with a time limit, and prints one
 * PASS/FAIL line per scenario and the closing "N passed, N failed" line. Exit status 1 when any failed.
 */
public final class Runner {
  /** A scenario: throws (AssertionError or anything else) to fail. */
  public interface Scenario {
    void run() throws Exception;
  }

  /**
   * A log file for a child process: in KEMU_INTEROP_LOGS (run_interop.sh makes that directory, removes it when the
   * client passed and names it when it failed), else in the temporary directory.
   */
  public static java.nio.file.Path logFile(String prefix) throws java.io.IOException {
    String dir = System.getenv("KEMU_INTEROP_LOGS");
    return dir == null ? java.nio.file.Files.createTempFile(prefix, ".log")
                       : java.nio.file.Files.createTempFile(java.nio.file.Path.of(dir), prefix, ".log");
  }

  /** Registers a child process to be killed when the suite ends. */
  public static void track(Process p) {
    CHILDREN.add(p);
  }

  private final Map<String, Scenario> scenarios = new LinkedHashMap<>();

  /** Child processes (emulators, moto) still running; killed before the JVM halts, whatever happened. */
  static final java.util.Queue<Process> CHILDREN = new java.util.concurrent.ConcurrentLinkedQueue<>();

  static {
    // Also when main fails before the runner starts (halt below skips hooks, so it kills them itself).
    Runtime.getRuntime().addShutdownHook(new Thread(() -> CHILDREN.forEach(Process::destroyForcibly)));
  }

  public Runner add(String name, Scenario s) {
    scenarios.put(name, s);
    return this;
  }

  /** Runs the scenarios named in args (prefix match), or all of them; never returns. */
  public void runAndExit(String suite, String[] args, long timeoutSeconds) {
    List<String> chosen = new ArrayList<>();
    for (String name : scenarios.keySet()) {
      if (args.length == 0) chosen.add(name);
      for (String a : args) {
        if (name.startsWith(a)) {
          chosen.add(name);
          break;
        }
      }
    }
    int parallel = Integer.parseInt(System.getenv().getOrDefault("KEMU_INTEROP_PARALLEL", "4"));
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel), r -> {
      Thread t = new Thread(r, "scenario");
      t.setDaemon(true);
      return t;
    });
    Map<String, Future<?>> futures = new LinkedHashMap<>();
    Map<String, Long> started = new java.util.concurrent.ConcurrentHashMap<>();
    Map<String, Long> ended = new java.util.concurrent.ConcurrentHashMap<>();
    for (String name : chosen) {
      futures.put(name, pool.submit(() -> {
        started.put(name, System.nanoTime());
        System.out.println("START " + suite + "/" + name);
        try {
          scenarios.get(name).run();
        } finally {
          ended.put(name, System.nanoTime());
        }
        return null;
      }));
    }
    int passed = 0;
    int failed = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    for (var e : futures.entrySet()) {
      String name = suite + "/" + e.getKey();
      try {
        e.getValue().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        double secs = (ended.get(e.getKey()) - started.get(e.getKey())) / 1e9;
        System.out.printf("PASS %s (%.1f s)%n", name, secs);
        passed++;
      } catch (TimeoutException t) {
        System.out.println("FAIL " + name + ": timed out (suite limit " + timeoutSeconds + " s)");
        failed++;
      } catch (Exception ex) {
        Throwable c = ex.getCause() != null ? ex.getCause() : ex;
        System.out.println("FAIL " + name + ": " + c);
        c.printStackTrace(System.out);
        failed++;
      }
      System.out.flush();
    }
    System.out.println(passed + " passed, " + failed + " failed");
    System.out.flush();
    for (Process p : CHILDREN) p.destroyForcibly();
    Runtime.getRuntime().halt(failed == 0 && passed > 0 ? 0 : 1);
  }

  public static void check(boolean condition, String message) {
    if (!condition) throw new AssertionError(message);
  }

  public static void checkLedger(Ledger ledger, String consumer) {
    List<String> problems = ledger.check(consumer);
    if (!problems.isEmpty()) throw new AssertionError(consumer + ": " + String.join("; ", problems));
  }
}
