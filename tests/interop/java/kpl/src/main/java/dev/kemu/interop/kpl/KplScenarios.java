package dev.kemu.interop.kpl;

import static dev.kemu.interop.Runner.check;
import static dev.kemu.interop.Runner.checkLedger;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.services.kinesis.producer.KinesisProducer;
import com.amazonaws.services.kinesis.producer.KinesisProducerConfiguration;
import com.amazonaws.services.kinesis.producer.UserRecordResult;
import dev.kemu.interop.Emulator;
import dev.kemu.interop.Ledger;
import dev.kemu.interop.Moto;
import dev.kemu.interop.Runner;
import dev.kemu.interop.kcl.Clients;
import dev.kemu.interop.kcl.KclApp;
import dev.kemu.interop.kcl.KclApp.Mode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * The KPL (native daemon from the jar, TLS only: the emulator runs with --tls, the KPL with
 * VerifyCertificate=false, metrics off) putting user records; read back by KCL 3.x applications (which
 * de-aggregate) and by a plain GetRecords reader that de-aggregates with the KCL's AggregatorUtil. The KCL's
 * Kinesis client trusts the emulator's self-signed certificate through a trust manager (the Java way).
 */
public final class KplScenarios {
  private final Emulator emulator;
  private final Clients clients;
  private final KinesisAsyncClient kinesis;

  KplScenarios(Emulator emulator, Clients clients) {
    this.emulator = emulator;
    this.clients = clients;
    this.kinesis = clients.kinesisForKcl();
  }

  public static void main(String[] args) throws Exception {
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
    System.out.println("KPL " + KinesisProducer.class.getPackage().getImplementationVersion() + " against "
        + emulator.endpoint());
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

  KinesisProducer producer(boolean aggregation) {
    KinesisProducerConfiguration c = new KinesisProducerConfiguration()
        .setRegion("us-east-1")
        .setKinesisEndpoint("127.0.0.1")
        .setKinesisPort(emulator.port())
        .setVerifyCertificate(false)
        .setMetricsLevel("none")
        .setCloudwatchEndpoint("127.0.0.1") // never called with metrics off; kept off AWS all the same
        .setCloudwatchPort(emulator.port())
        .setCredentialsProvider(new AWSStaticCredentialsProvider(new BasicAWSCredentials("AKIAEXAMPLE", "secret")))
        .setAggregationEnabled(aggregation)
        .setRecordMaxBufferedTime(100)
        .setLogLevel("warning");
    return new KinesisProducer(c);
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
    KinesisProducer kpl = producer(aggregation);
    AtomicLong order = new AtomicLong();
    try {
      put(kpl, stream, ledger, "w", 30, 20, order); // warm-up, also what the faults hit
      if (ruleId != null) check(emulator.faultFired(ruleId) > 0, "the fault rule never fired");
      if (withKcl) {
        for (String app : List.of("kcl-fanout", "kcl-polling")) {
          check(ledger.awaitAll(app, 120_000), app + " did not catch up: " + ledger.check(app));
        }
        // Caught up: a steady trickle now measures KPL put -> processRecords.
        for (int i = 0; i < 40; i++) {
          put(kpl, stream, ledger, "m" + i, 10, 1, order);
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
        if (c.startsWith("kcl")) {
          System.out.println("latency KPL put -> " + c + " processRecords (aggregation " + aggregation
              + ", RecordMaxBufferedTime 100 ms): " + Ledger.percentiles(ledger.latencies(c, "m")));
        }
      }
    } finally {
      kpl.destroy();
      for (KclApp a : apps) a.shutdownGracefully();
      if (ruleId != null) emulator.removeFault(ruleId);
    }
  }

  /** perKey user records for each of keys partition keys; waits for every future, which must succeed. */
  private void put(KinesisProducer kpl, String stream, Ledger ledger, String tag, int keys, int perKey, AtomicLong order)
      throws Exception {
    Map<Future<UserRecordResult>, String[]> pending = new java.util.LinkedHashMap<>();
    for (int n = 0; n < perKey; n++) {
      for (int k = 0; k < keys; k++) {
        String pk = "pk-" + k;
        String data = Ledger.data(tag, pk, n);
        long idx = order.getAndIncrement();
        pending.put(kpl.addUserRecord(stream, pk,
            ByteBuffer.wrap(data.getBytes(StandardCharsets.UTF_8))), new String[] {pk, data, Long.toString(idx)});
      }
    }
    for (var e : pending.entrySet()) {
      UserRecordResult r = e.getKey().get(60, TimeUnit.SECONDS);
      check(r.isSuccessful(), "KPL future failed: " + r.getAttempts());
      String[] v = e.getValue();
      // Aggregated user records share a sequence number; their put order breaks the tie.
      ledger.acked(v[0], v[1], r.getSequenceNumber(), Long.parseLong(v[2]));
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
