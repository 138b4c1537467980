package dev.kemu.interop.kcl;

import static dev.kemu.interop.Runner.check;
import static dev.kemu.interop.Runner.checkLedger;

import dev.kemu.interop.Emulator;
import dev.kemu.interop.Ledger;
import dev.kemu.interop.Moto;
import dev.kemu.interop.Runner;
import dev.kemu.interop.kcl.KclApp.Mode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.Http2Configuration;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * The KPL (native daemon from its jar, TLS only: the emulator runs with --tls, the KPL with VerifyCertificate=false,
 * metrics off) putting user records from its own JVM (../../kpl: KplProducer; its protobuf 3.x cannot share a
 * classpath with the KCL 3.x's 4.x), read back here by KCL 3.x applications in both retrieval modes (which
 * de-aggregate) and by a plain GetRecords reader that de-aggregates with the KCL's AggregatorUtil. The Kinesis
 * client of the KCL trusts the emulator's self-signed certificate through a trust manager. The producer JVM's
 * classpath comes from KEMU_KPL_CLASSPATH (run_interop.sh sets it).
 */
public final class KplScenarios {
  private final Emulator emulator;
  private final Clients clients;
  private final KinesisAsyncClient kinesis;
  private Moto sts;

  KplScenarios(Emulator emulator, Clients clients) {
    this.emulator = emulator;
    this.clients = clients;
    this.kinesis = clients.kinesisForKcl();
  }

  public static void main(String[] args) throws Exception {
    // The KPL daemon's AWS SDK for C++ asks the EC2 instance metadata service (169.254.169.254) for a region and
    // an availability zone unless this is set: never let it leave the machine.
    if (!"true".equals(System.getenv("AWS_EC2_METADATA_DISABLED"))) {
      throw new IllegalStateException("run with AWS_EC2_METADATA_DISABLED=true (run_interop.sh sets it)");
    }
    Emulator emulator = Emulator.start("--tls");
    Moto moto = Moto.start();
    var trust = Emulator.trustManagersFor(emulator.certificate());
    KinesisAsyncClient kinesis = KinesisAsyncClient.builder().endpointOverride(emulator.endpoint())
        .region(Clients.REGION).credentialsProvider(Clients.CREDS)
        .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP2).maxConcurrency(Integer.MAX_VALUE)
            .http2Configuration(Http2Configuration.builder().initialWindowSize(512 * 1024)
                .healthCheckPingPeriod(Duration.ofSeconds(10)).build())
            .tlsTrustManagersProvider(trust::getTrustManagers))
        .build();
    KplScenarios s = new KplScenarios(emulator, new Clients(kinesis, moto.endpoint()));
    // KPL 0.15 builds the stream ARN from STS GetCallerIdentity (and stops if that fails): moto's STS over TLS
    // (with the emulator's certificate) answers, in the emulator's account.
    s.sts = Moto.start(emulator.certificate(), emulator.key(), "000000000000");
    System.out.println("KPL producer process against " + emulator.endpoint());
    new Runner()
        .add("aggregation-on", () -> s.putAndRead("agg-on", true, null, true))
        .add("aggregation-off", () -> s.putAndRead("agg-off", false, null, false))
        .add("throttle", () -> s.putAndRead("throttle", true,
            "{\"plugin\":\"throttle\",\"match\":{\"operation\":\"PutRecords\",\"stream\":\"throttle\"},"
                + "\"count\":4,\"params\":{\"fraction\":0.5}}", false))
        .add("partial-failure", () -> s.putAndRead("partial", false,
            "{\"plugin\":\"partial-failure\",\"match\":{\"operation\":\"PutRecords\",\"stream\":\"partial\"},"
                + "\"count\":4,\"params\":{\"fraction\":0.3,\"error\":\"InternalFailure\"}}", false))
        .runAndExit("kpl", args, 600);
  }

  /** The KPL producer process (KplProducer) for one stream and aggregation setting. */
  final class Producer implements AutoCloseable {
    private final Process process;
    private final PrintWriter in;
    private final BufferedReader out;

    Producer(boolean aggregation) throws Exception {
      String cp = System.getenv("KEMU_KPL_CLASSPATH");
      if (cp == null) throw new IllegalStateException("KEMU_KPL_CLASSPATH is not set");
      java.nio.file.Path log = Runner.logFile("kemu-interop-kpl");
      process = new ProcessBuilder("java", "-Xmx128m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", cp,
          "dev.kemu.interop.kpl.KplProducer", "127.0.0.1", String.valueOf(emulator.port()),
          String.valueOf(sts.endpoint().getPort()), String.valueOf(aggregation))
          .redirectError(log.toFile()).start();
      Runner.track(process);
      in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
      out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** keys x perKey user records; every future must succeed; the acknowledged ones go to the ledger. */
    void put(String stream, Ledger ledger, String tag, int keys, int perKey) throws Exception {
      in.println("put " + stream + " " + tag + " " + keys + " " + perKey);
      for (String line; (line = out.readLine()) != null;) {
        if (line.equals("done")) return;
        String[] w = line.split(" ");
        check(w[0].equals("ack"), "KPL future failed: " + line);
        // Aggregated user records share a sequence number; the KPL does not report the sub-sequence number (and
        // a retried record joins a later aggregate), so only the sequence order is checked, plus agreement
        // between the consumers below.
        ledger.acked(w[1], w[2], w[3], -1);
      }
      throw new AssertionError("the KPL producer process ended");
    }

    @Override
    public void close() throws Exception {
      in.println("quit");
      if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
    }
  }

  /**
   * Puts user records with the KPL (every future must succeed), optionally under a fault rule, and checks that
   * the GetRecords reader (and, with withKcl, a fan-out and a polling KCL application) deliver exactly them.
   */
  void putAndRead(String stream, boolean aggregation, String faultRule, boolean withKcl) throws Exception {
    kinesis.createStream(b -> b.streamName(stream).shardCount(3)).get(10, TimeUnit.SECONDS);
    while (kinesis.describeStreamSummary(b -> b.streamName(stream)).get(10, TimeUnit.SECONDS)
               .streamDescriptionSummary().streamStatus() != StreamStatus.ACTIVE) {
      Thread.sleep(50);
    }
    Ledger ledger = new Ledger();
    List<KclApp> apps = new ArrayList<>();
    if (withKcl) {
      apps.add(new KclApp(clients, stream, "kcl-fanout", "w1", Mode.FANOUT, ledger, new KclApp.Observations()));
      apps.add(new KclApp(clients, stream, "kcl-polling", "w1", Mode.POLLING, ledger, new KclApp.Observations()));
      apps.forEach(KclApp::start);
    }
    String ruleId = faultRule == null ? null : emulator.addFault(faultRule);
    Producer kpl = new Producer(aggregation);
    try {
      kpl.put(stream, ledger, "w", 30, 20); // warm-up, also what the faults hit
      if (ruleId != null) check(emulator.faultFired(ruleId) > 0, "the fault rule never fired");
      if (withKcl) {
        for (String app : List.of("kcl-fanout", "kcl-polling")) {
          check(ledger.awaitAll(app, 120_000), app + " did not catch up: " + ledger.check(app));
        }
        // Caught up: a steady trickle now measures KPL put -> processRecords.
        for (int i = 0; i < 40; i++) {
          kpl.put(stream, ledger, "m" + i, 10, 1);
          Thread.sleep(100);
        }
      }
      List<String> consumers = new ArrayList<>(List.of("getrecords"));
      if (withKcl) consumers.addAll(List.of("kcl-fanout", "kcl-polling"));
      readAll(stream, ledger);
      for (String c : consumers) {
        check(ledger.awaitAll(c, 120_000), c + ": " + ledger.deliveredCount(c) + " of " + ledger.ackedCount());
      }
      Thread.sleep(1500);
      for (String c : consumers) checkLedger(ledger, c);
      for (String c : consumers) {
        List<String> differ = ledger.sameOrder("getrecords", c);
        check(differ.isEmpty(), String.join("; ", differ));
      }
      for (String c : consumers) {
        if (c.startsWith("kcl")) {
          System.out.println("latency KPL put -> " + c + " processRecords (aggregation " + aggregation
              + ", RecordMaxBufferedTime 100 ms): " + Ledger.percentiles(ledger.latencies(c, "m")));
        }
      }
    } finally {
      kpl.close();
      for (KclApp a : apps) a.shutdownGracefully();
      if (ruleId != null) emulator.removeFault(ruleId);
    }
  }

  /** A plain GetRecords reader from TRIM_HORIZON on every shard, de-aggregating KPL records. */
  private void readAll(String stream, Ledger ledger) throws Exception {
    AggregatorUtil agg = new AggregatorUtil();
    List<Shard> shards = kinesis.listShards(b -> b.streamName(stream)).get(10, TimeUnit.SECONDS).shards();
    Map<String, String> iterators = new HashMap<>();
    for (Shard s : shards) {
      iterators.put(s.shardId(), kinesis.getShardIterator(b -> b.streamName(stream).shardId(s.shardId())
          .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).get(10, TimeUnit.SECONDS).shardIterator());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (ledger.deliveredCount("getrecords") < ledger.ackedCount() && System.nanoTime() < deadline) {
      boolean any = false;
      for (var e : iterators.entrySet()) {
        String it = e.getValue();
        GetRecordsResponse r = kinesis.getRecords(b -> b.shardIterator(it)).get(10, TimeUnit.SECONDS);
        e.setValue(r.nextShardIterator());
        List<KinesisClientRecord> recs = agg.deaggregate(r.records().stream().map(KinesisClientRecord::fromRecord)
            .toList());
        for (KinesisClientRecord rec : recs) {
          ledger.delivered("getrecords", rec.partitionKey(),
              StandardCharsets.UTF_8.decode(rec.data().duplicate()).toString());
          any = true;
        }
      }
      if (!any) Thread.sleep(200);
    }
  }
}
