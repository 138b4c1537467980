package dev.kemu.interop;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What producers had acknowledged and what consumers delivered, and the end-to-end check: every acknowledged
 * record delivered exactly once per consumer, in order per partition key (the order of the sequence numbers the
 * service assigned), and nothing else. Records are identified by their data (test producers make it unique).
 * Thread-safe: every method synchronizes on the ledger. A worker process overrides delivered() to forward.
 */
public class Ledger {
  /** One acknowledged record: its position is (sequence number, sub-sequence number for KPL user records). */
  private record Acked(String pk, String data, BigInteger seq, long subSeq, long seqOrder) {}

  private final Map<String, Acked> acked = new LinkedHashMap<>();
  private final Map<String, List<String[]>> delivered = new HashMap<>(); // consumer -> [pk, data]
  private final Map<String, List<Map.Entry<String, Long>>> latencies = new HashMap<>();
  private long ackCounter;

  /**
   * A record the producer saw acknowledged, with the sequence number the service gave it and its sub-sequence
   * number inside a KPL aggregate (-1 when the producer cannot know it: the KPL does not report it).
   */
  public synchronized void acked(String pk, String data, String sequenceNumber, long subSequence) {
    if (acked.put(data, new Acked(pk, data, new BigInteger(sequenceNumber), subSequence, ackCounter++)) != null) {
      throw new IllegalStateException("producer acknowledged one data twice: " + data);
    }
    notifyAll();
  }

  public synchronized int ackedCount() {
    return acked.size();
  }

  /** A record a consumer handed to the application (after de-aggregation). */
  public synchronized void delivered(String consumer, String pk, String data) {
    delivered.computeIfAbsent(consumer, k -> new ArrayList<>()).add(new String[] {pk, data});
    long sent = putMillisOf(data);
    if (sent > 0) {
      latencies.computeIfAbsent(consumer, k -> new ArrayList<>()).add(Map.entry(data, System.currentTimeMillis() - sent));
    }
    notifyAll();
  }

  public synchronized int deliveredCount(String consumer) {
    return delivered.getOrDefault(consumer, List.of()).size();
  }

  /** Data made by {@link #data}: "tag|pk|n|putMillis". */
  public static String data(String tag, String pk, int n) {
    return tag + "|" + pk + "|" + n + "|" + System.currentTimeMillis();
  }

  private static long putMillisOf(String data) {
    int i = data.lastIndexOf('|');
    try {
      return i < 0 ? 0 : Long.parseLong(data.substring(i + 1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Problems when two consumers delivered the records of some partition key in different orders. */
  public synchronized List<String> sameOrder(String a, String b) {
    Map<String, List<String>> x = new HashMap<>();
    Map<String, List<String>> y = new HashMap<>();
    for (String[] d : delivered.getOrDefault(a, List.of())) x.computeIfAbsent(d[0], k -> new ArrayList<>()).add(d[1]);
    for (String[] d : delivered.getOrDefault(b, List.of())) y.computeIfAbsent(d[0], k -> new ArrayList<>()).add(d[1]);
    List<String> problems = new ArrayList<>();
    for (var e : x.entrySet()) {
      if (!e.getValue().equals(y.get(e.getKey())) && problems.size() < 3) {
        problems.add(a + " and " + b + " differ for " + e.getKey() + ": " + abbreviate(e.getValue()) + " vs "
            + abbreviate(y.getOrDefault(e.getKey(), List.of())));
      }
    }
    return problems;
  }

  /** Waits until the consumer has delivered at least as many records as were acknowledged (or times out). */
  public synchronized boolean awaitAll(String consumer, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (distinctAckedDelivered(consumer) < acked.size()) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) return false;
      wait(Math.min(left, 500));
    }
    return true;
  }

  private int distinctAckedDelivered(String consumer) {
    var seen = new java.util.HashSet<String>();
    for (String[] d : delivered.getOrDefault(consumer, List.of())) {
      if (acked.containsKey(d[1])) seen.add(d[1]);
    }
    return seen.size();
  }

  /** The problems found for one consumer (empty when the check passes); at most a few of each kind. */
  public synchronized List<String> check(String consumer) {
    List<String> problems = new ArrayList<>();
    List<String[]> got = delivered.getOrDefault(consumer, List.of());
    Map<String, Integer> counts = new HashMap<>();
    Map<String, List<String>> orderByPk = new HashMap<>();
    for (String[] d : got) {
      counts.merge(d[1], 1, Integer::sum);
      Acked a = acked.get(d[1]);
      if (a == null) {
        if (problems.size() < 10) problems.add("delivered but never acknowledged: " + d[1]);
        continue;
      }
      if (!a.pk().equals(d[0])) problems.add("partition key changed for " + d[1] + ": " + d[0]);
      orderByPk.computeIfAbsent(d[0], k -> new ArrayList<>()).add(d[1]);
    }
    int missing = 0;
    int dup = 0;
    for (Acked a : acked.values()) {
      int c = counts.getOrDefault(a.data(), 0);
      if (c == 0 && missing++ < 5) problems.add("acknowledged but not delivered: " + a.data());
      if (c > 1 && dup++ < 5) problems.add("delivered " + c + " times: " + a.data());
    }
    if (missing > 5) problems.add((missing - 5) + " more missing");
    if (dup > 5) problems.add((dup - 5) + " more duplicated");
    // Per partition key the delivered order must follow the service's order: sequence numbers never go down,
    // and among records of one KPL aggregate (one sequence number) the sub-sequence order when it is known.
    int disorder = 0;
    for (var e : orderByPk.entrySet()) {
      Acked prev = null;
      for (String data : e.getValue()) {
        Acked a = acked.get(data);
        if (prev != null) {
          int c = a.seq().compareTo(prev.seq());
          boolean back = c < 0 || (c == 0 && a.subSeq() >= 0 && prev.subSeq() >= 0 && a.subSeq() < prev.subSeq());
          if (back && disorder++ < 3) {
            problems.add("order differs for partition key " + e.getKey() + ": " + abbreviate(List.of(a.data()))
                + " delivered after " + abbreviate(List.of(prev.data())) + " in " + abbreviate(e.getValue()));
          }
        }
        prev = a;
      }
    }
    return problems;
  }

  private static String abbreviate(List<String> l) {
    List<String> s = l.stream().map(x -> x.substring(0, Math.max(0, x.lastIndexOf('|')))).toList();
    return s.size() <= 8 ? s.toString() : s.subList(0, 8) + "...(" + s.size() + ")";
  }

  /** Delivery latencies (ms from the producer's put call to the application seeing the record). */
  public synchronized List<Long> latencies(String consumer) {
    return latencies(consumer, "");
  }

  /** The latencies of the records whose data starts with tagPrefix (e.g. "m|" for one phase). */
  public synchronized List<Long> latencies(String consumer, String tagPrefix) {
    return latencies.getOrDefault(consumer, List.of()).stream().filter(e -> e.getKey().startsWith(tagPrefix))
        .map(Map.Entry::getValue).toList();
  }

  public static String percentiles(List<Long> values) {
    if (values.isEmpty()) return "n=0";
    List<Long> s = values.stream().sorted().toList();
    return "n=" + s.size() + " p50=" + s.get((int) (s.size() * 0.50)) + "ms p99="
        + s.get(Math.min(s.size() - 1, (int) (s.size() * 0.99))) + "ms max=" + s.get(s.size() - 1) + "ms";
  }
}
