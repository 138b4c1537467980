package dev.kemu.interop.sdk;

import static dev.kemu.interop.Runner.check;
import static dev.kemu.interop.Runner.checkLedger;

import dev.kemu.interop.Emulator;
import dev.kemu.interop.Ledger;
import dev.kemu.interop.Runner;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.*;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * The Java SDK v2 used directly: KinesisClient (Apache, HTTP/1.1) and KinesisAsyncClient (Netty, HTTP/2 with prior
 * knowledge), both CBOR as shipped. Every action's happy path once per client, SubscribeToShard with a reactive
 * subscriber across a reshard, and the exception class the SDK gives each error a fault plugin produces.
 */
public final class SdkScenarios {
  static final StaticCredentialsProvider CREDS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAEXAMPLE", "secret"));

  private final Emulator emulator;
  private final KinesisClient sync;
  private final KinesisAsyncClient async;
  private final KinesisClient syncNoRetry;
  private final KinesisAsyncClient asyncNoRetry;

  SdkScenarios(Emulator emulator) {
    this.emulator = emulator;
    sync = KinesisClient.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(CREDS).httpClientBuilder(ApacheHttpClient.builder()).build();
    async = KinesisAsyncClient.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(CREDS).httpClientBuilder(NettyNioAsyncHttpClient.builder()
            .protocol(software.amazon.awssdk.http.Protocol.HTTP2)).build();
    syncNoRetry = KinesisClient.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(CREDS).httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
            .apiCallAttemptTimeout(Duration.ofMillis(1500))).build();
    asyncNoRetry = KinesisAsyncClient.builder().endpointOverride(emulator.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(CREDS).httpClientBuilder(NettyNioAsyncHttpClient.builder()
            .protocol(software.amazon.awssdk.http.Protocol.HTTP2))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
            .apiCallAttemptTimeout(Duration.ofMillis(1500))).build();
  }

  public static void main(String[] args) throws Exception {
    Emulator emulator = Emulator.start();
    SdkScenarios s = new SdkScenarios(emulator);
    new Runner()
        .add("sync-every-action", () -> s.everyAction(s.sync, "sync"))
        .add("async-every-action", () -> s.everyAction(s.async, "async"))
        .add("async-subscribe-across-reshard", s::subscribeAcrossReshard)
        .add("sync-typed-exceptions", () -> s.typedExceptions(s.syncNoRetry, "xsync"))
        .add("async-typed-exceptions", () -> s.typedExceptions(s.asyncNoRetry, "xasync"))
        .add("async-subscribe-exception-event", s::subscribeExceptionEvent)
        .runAndExit("java-sdk-v2", args, 300);
  }

  /** Calls the client's method for a request (createStream for CreateStreamRequest); async results are joined. */
  @SuppressWarnings("unchecked")
  static <T> T call(Object client, Object request) throws Exception {
    String n = request.getClass().getSimpleName().replace("Request", "");
    String method = Character.toLowerCase(n.charAt(0)) + n.substring(1);
    Class<?> type = request.getClass().getInterfaces().length > 0 && request.getClass().getName().endsWith("Impl")
        ? request.getClass().getInterfaces()[0] : request.getClass();
    Method m = findMethod(client.getClass(), method, request.getClass());
    try {
      Object r = m.invoke(client, request);
      if (r instanceof CompletableFuture<?> f) {
        try {
          r = f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          throw (Exception) (e.getCause() instanceof Exception ex ? ex : e);
        }
      }
      return (T) r;
    } catch (InvocationTargetException e) {
      throw (Exception) (e.getCause() instanceof Exception ex ? ex : e);
    }
  }

  private static Method findMethod(Class<?> c, String name, Class<?> arg) {
    for (Method m : c.getMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == 1 && m.getParameterTypes()[0].isAssignableFrom(arg)) {
        m.setAccessible(true);
        return m;
      }
    }
    throw new IllegalStateException("no " + name + "(" + arg.getSimpleName() + ") on " + c);
  }

  private void awaitActive(Object client, String stream) throws Exception {
    for (int i = 0; i < 200; i++) {
      DescribeStreamSummaryResponse d = call(client, DescribeStreamSummaryRequest.builder().streamName(stream).build());
      if (d.streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE) return;
      Thread.sleep(50);
    }
    throw new AssertionError(stream + " not ACTIVE");
  }

  // ---- every action's happy path once

  void everyAction(Object c, String p) throws Exception {
    List<String> done = new ArrayList<>();
    String s = p + "-actions";
    call(c, CreateStreamRequest.builder().streamName(s).shardCount(2).build());
    done.add("CreateStream");
    awaitActive(c, s);
    DescribeStreamResponse ds = call(c, DescribeStreamRequest.builder().streamName(s).build());
    String arn = ds.streamDescription().streamARN();
    check(ds.streamDescription().shards().size() == 2, "DescribeStream shards");
    done.add("DescribeStream");
    DescribeStreamSummaryResponse dss = call(c, DescribeStreamSummaryRequest.builder().streamName(s).build());
    check(dss.streamDescriptionSummary().openShardCount() == 2, "DescribeStreamSummary");
    done.add("DescribeStreamSummary");
    ListStreamsResponse ls = call(c, ListStreamsRequest.builder().build());
    check(ls.streamNames().contains(s), "ListStreams");
    done.add("ListStreams");
    ListShardsResponse lsh = call(c, ListShardsRequest.builder().streamName(s).build());
    check(lsh.shards().size() == 2, "ListShards");
    done.add("ListShards");
    call(c, AddTagsToStreamRequest.builder().streamName(s).tags(Map.of("team", "a", "env", "test")).build());
    done.add("AddTagsToStream");
    ListTagsForStreamResponse lt = call(c, ListTagsForStreamRequest.builder().streamName(s).build());
    check(lt.tags().size() == 2, "ListTagsForStream");
    done.add("ListTagsForStream");
    call(c, RemoveTagsFromStreamRequest.builder().streamName(s).tagKeys("env").build());
    done.add("RemoveTagsFromStream");
    call(c, TagResourceRequest.builder().resourceARN(arn).tags(Map.of("owner", "me")).build());
    done.add("TagResource");
    ListTagsForResourceResponse ltr = call(c, ListTagsForResourceRequest.builder().resourceARN(arn).build());
    check(ltr.tags().size() == 2, "ListTagsForResource: " + ltr.tags());
    done.add("ListTagsForResource");
    call(c, UntagResourceRequest.builder().resourceARN(arn).tagKeys("owner").build());
    done.add("UntagResource");

    Ledger ledger = new Ledger();
    String d1 = Ledger.data(p, "k1", 0);
    PutRecordResponse pr = call(c, PutRecordRequest.builder().streamName(s).partitionKey("k1")
        .data(SdkBytes.fromUtf8String(d1)).build());
    ledger.acked("k1", d1, pr.sequenceNumber(), 0);
    done.add("PutRecord");
    List<PutRecordsRequestEntry> entries = new ArrayList<>();
    List<String> datas = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      String d = Ledger.data(p, "k" + (i % 5), i);
      datas.add(d);
      entries.add(PutRecordsRequestEntry.builder().partitionKey("k" + (i % 5)).data(SdkBytes.fromUtf8String(d)).build());
    }
    PutRecordsResponse prs = call(c, PutRecordsRequest.builder().streamName(s).records(entries).build());
    check(prs.failedRecordCount() == 0, "PutRecords failed records");
    for (int i = 0; i < entries.size(); i++) {
      ledger.acked(entries.get(i).partitionKey(), datas.get(i), prs.records().get(i).sequenceNumber(), 0);
    }
    done.add("PutRecords");
    for (Shard sh : lsh.shards()) {
      GetShardIteratorResponse it = call(c, GetShardIteratorRequest.builder().streamName(s).shardId(sh.shardId())
          .shardIteratorType(ShardIteratorType.TRIM_HORIZON).build());
      GetRecordsResponse gr = call(c, GetRecordsRequest.builder().shardIterator(it.shardIterator()).build());
      for (Record r : gr.records()) ledger.delivered("reader", r.partitionKey(), r.data().asUtf8String());
    }
    checkLedger(ledger, "reader");
    done.add("GetShardIterator");
    done.add("GetRecords");

    call(c, IncreaseStreamRetentionPeriodRequest.builder().streamName(s).retentionPeriodHours(48).build());
    done.add("IncreaseStreamRetentionPeriod");
    call(c, DecreaseStreamRetentionPeriodRequest.builder().streamName(s).retentionPeriodHours(24).build());
    done.add("DecreaseStreamRetentionPeriod");
    EnableEnhancedMonitoringResponse em = call(c, EnableEnhancedMonitoringRequest.builder().streamName(s)
        .shardLevelMetrics(MetricsName.INCOMING_BYTES).build());
    check(em.desiredShardLevelMetrics().contains(MetricsName.INCOMING_BYTES), "EnableEnhancedMonitoring");
    done.add("EnableEnhancedMonitoring");
    call(c, DisableEnhancedMonitoringRequest.builder().streamName(s).shardLevelMetrics(MetricsName.ALL).build());
    done.add("DisableEnhancedMonitoring");
    call(c, StartStreamEncryptionRequest.builder().streamName(s).encryptionType(EncryptionType.KMS)
        .keyId("alias/aws/kinesis").build());
    awaitActive(c, s);
    done.add("StartStreamEncryption");
    call(c, StopStreamEncryptionRequest.builder().streamName(s).encryptionType(EncryptionType.KMS)
        .keyId("alias/aws/kinesis").build());
    awaitActive(c, s);
    done.add("StopStreamEncryption");
    call(c, UpdateMaxRecordSizeRequest.builder().streamARN(arn).maxRecordSizeInKiB(2048).build());
    awaitActive(c, s);
    done.add("UpdateMaxRecordSize");

    String mid = BigInteger.ONE.shiftLeft(126).toString();
    call(c, SplitShardRequest.builder().streamName(s).shardToSplit("shardId-000000000000").newStartingHashKey(mid)
        .build());
    awaitActive(c, s);
    done.add("SplitShard");
    call(c, MergeShardsRequest.builder().streamName(s).shardToMerge("shardId-000000000002")
        .adjacentShardToMerge("shardId-000000000003").build());
    awaitActive(c, s);
    done.add("MergeShards");
    UpdateShardCountResponse usc = call(c, UpdateShardCountRequest.builder().streamName(s).targetShardCount(4)
        .scalingType(ScalingType.UNIFORM_SCALING).build());
    check(usc.targetShardCount() == 4, "UpdateShardCount");
    awaitActive(c, s);
    done.add("UpdateShardCount");

    RegisterStreamConsumerResponse rc = call(c, RegisterStreamConsumerRequest.builder().streamARN(arn)
        .consumerName("c1").build());
    String consumerArn = rc.consumer().consumerARN();
    done.add("RegisterStreamConsumer");
    DescribeStreamConsumerResponse dc = call(c, DescribeStreamConsumerRequest.builder().consumerARN(consumerArn)
        .build());
    check(dc.consumerDescription().consumerName().equals("c1"), "DescribeStreamConsumer");
    done.add("DescribeStreamConsumer");
    ListStreamConsumersResponse lc = call(c, ListStreamConsumersRequest.builder().streamARN(arn).build());
    check(lc.consumers().size() == 1, "ListStreamConsumers");
    done.add("ListStreamConsumers");

    String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
        + "\"arn:aws:iam::000000000000:root\"},\"Action\":\"kinesis:GetRecords\",\"Resource\":\"" + arn + "\"}]}";
    call(c, PutResourcePolicyRequest.builder().resourceARN(arn).policy(policy).build());
    done.add("PutResourcePolicy");
    GetResourcePolicyResponse gp = call(c, GetResourcePolicyRequest.builder().resourceARN(arn).build());
    check(gp.policy().contains("kinesis:GetRecords"), "GetResourcePolicy");
    done.add("GetResourcePolicy");
    call(c, DeleteResourcePolicyRequest.builder().resourceARN(arn).build());
    done.add("DeleteResourcePolicy");

    DescribeLimitsResponse dl = call(c, DescribeLimitsRequest.builder().build());
    check(dl.shardLimit() > 0, "DescribeLimits");
    done.add("DescribeLimits");
    call(c, UpdateAccountSettingsRequest.builder().minimumThroughputBillingCommitment(
        MinimumThroughputBillingCommitmentInput.builder().status(MinimumThroughputBillingCommitmentInputStatus.ENABLED)
            .build()).build());
    done.add("UpdateAccountSettings");
    DescribeAccountSettingsResponse das = call(c, DescribeAccountSettingsRequest.builder().build());
    check(das.minimumThroughputBillingCommitment() != null, "DescribeAccountSettings");
    done.add("DescribeAccountSettings");
    call(c, UpdateStreamModeRequest.builder().streamARN(arn)
        .streamModeDetails(StreamModeDetails.builder().streamMode(StreamMode.ON_DEMAND).build()).build());
    awaitActive(c, s);
    done.add("UpdateStreamMode");
    call(c, UpdateStreamWarmThroughputRequest.builder().streamARN(arn).warmThroughputMiBps(10).build());
    awaitActive(c, s);
    done.add("UpdateStreamWarmThroughput");

    call(c, DeregisterStreamConsumerRequest.builder().consumerARN(consumerArn).build());
    done.add("DeregisterStreamConsumer");
    call(c, DeleteStreamRequest.builder().streamName(s).enforceConsumerDeletion(true).build());
    done.add("DeleteStream");
    if (c instanceof KinesisAsyncClient) done.add("SubscribeToShard (async-subscribe-across-reshard)");
    System.out.println(p + ": " + done.size() + " actions: " + done);
  }

  // ---- SubscribeToShard with a reactive subscriber across a reshard

  /** Collects events with a hand-written Reactive Streams subscriber (request(1) per event). */
  static final class EventCollector implements Subscriber<SubscribeToShardEventStream> {
    final List<SubscribeToShardEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private Subscription subscription;

    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(SubscribeToShardEventStream e) {
      if (e instanceof SubscribeToShardEvent ev) events.add(ev);
      subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      done.complete(null);
    }

    void cancel() {
      subscription.cancel();
    }
  }

  private CompletableFuture<Void> subscribe(String consumerArn, String shard, StartingPosition pos,
                                            EventCollector collector) {
    SubscribeToShardResponseHandler handler =
        SubscribeToShardResponseHandler.builder().subscriber(() -> collector).onError(collector::onError).build();
    return async.subscribeToShard(b -> b.consumerARN(consumerArn).shardId(shard).startingPosition(pos), handler);
  }

  void subscribeAcrossReshard() throws Exception {
    String s = "subscribe-reshard";
    async.createStream(b -> b.streamName(s).shardCount(1)).get(10, TimeUnit.SECONDS);
    awaitActive(async, s);
    String arn = async.describeStreamSummary(b -> b.streamName(s)).get().streamDescriptionSummary().streamARN();
    String consumerArn = async.registerStreamConsumer(b -> b.streamARN(arn).consumerName("rx")).get()
        .consumer().consumerARN();
    while (async.describeStreamConsumer(b -> b.consumerARN(consumerArn)).get().consumerDescription()
               .consumerStatus() != ConsumerStatus.ACTIVE) {
      Thread.sleep(50);
    }
    Ledger ledger = new Ledger();
    EventCollector parent = new EventCollector();
    CompletableFuture<Void> call = subscribe(consumerArn, "shardId-000000000000",
        StartingPosition.builder().type(ShardIteratorType.TRIM_HORIZON).build(), parent);
    put(s, ledger, "before", 40);
    async.splitShard(b -> b.streamName(s).shardToSplit("shardId-000000000000")
        .newStartingHashKey(BigInteger.ONE.shiftLeft(127).toString())).get(10, TimeUnit.SECONDS);
    awaitActive(async, s);
    parent.done.get(30, TimeUnit.SECONDS);
    call.get(10, TimeUnit.SECONDS);
    SubscribeToShardEvent last = parent.events.get(parent.events.size() - 1);
    check(!last.childShards().isEmpty() && last.continuationSequenceNumber() == null,
        "the last event must carry ChildShards and no ContinuationSequenceNumber: " + last);
    for (int i = 0; i < parent.events.size() - 1; i++) {
      check(parent.events.get(i).continuationSequenceNumber() != null, "event " + i + " without continuation");
    }
    for (SubscribeToShardEvent e : parent.events) {
      for (Record r : e.records()) ledger.delivered("rx", r.partitionKey(), r.data().asUtf8String());
    }
    put(s, ledger, "after", 40);
    for (ChildShard child : last.childShards()) {
      EventCollector c = new EventCollector();
      CompletableFuture<Void> f = subscribe(consumerArn, child.shardId(),
          StartingPosition.builder().type(ShardIteratorType.TRIM_HORIZON).build(), c);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      // Read until this child has given every record routed to it (the ledger knows the total).
      while (System.nanoTime() < deadline) {
        int n = c.events.stream().mapToInt(e -> e.records().size()).sum();
        if (n > 0 && ledger.deliveredCount("rx") + n >= ledger.ackedCount()) break;
        if (c.events.stream().anyMatch(e -> !e.records().isEmpty()) && last.childShards().size() > 1
            && child == last.childShards().get(0) && System.nanoTime() > deadline - TimeUnit.SECONDS.toNanos(17)) {
          break;
        }
        Thread.sleep(100);
      }
      c.cancel();
      for (SubscribeToShardEvent e : c.events) {
        for (Record r : e.records()) ledger.delivered("rx", r.partitionKey(), r.data().asUtf8String());
      }
      try {
        f.get(5, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // cancelled by us
      }
    }
    checkLedger(ledger, "rx");
  }

  private void put(String stream, Ledger ledger, String tag, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      String pk = "pk-" + (i % 8);
      String d = Ledger.data(tag, pk, i);
      PutRecordResponse r = async.putRecord(b -> b.streamName(stream).partitionKey(pk)
          .data(SdkBytes.fromUtf8String(d))).get(10, TimeUnit.SECONDS);
      ledger.acked(pk, d, r.sequenceNumber(), 0);
    }
  }

  // ---- typed exceptions for every fault plugin's errors

  private interface Action {
    void run() throws Exception;
  }

  private void expect(Class<? extends Throwable> type, String rule, Action action) throws Exception {
    String id = emulator.addFault(rule);
    try {
      action.run();
      throw new AssertionError("no exception for " + rule + " (wanted " + type.getSimpleName() + ")");
    } catch (AssertionError e) {
      throw e;
    } catch (Throwable t) {
      Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
      check(type.isInstance(cause), rule + ": wanted " + type.getSimpleName() + ", got " + cause);
    } finally {
      emulator.removeFault(id);
    }
  }

  void typedExceptions(Object c, String s) throws Exception {
    call(c, CreateStreamRequest.builder().streamName(s).shardCount(1).build());
    awaitActive(c, s);
    call(c, StartStreamEncryptionRequest.builder().streamName(s).encryptionType(EncryptionType.KMS)
        .keyId("alias/aws/kinesis").build());
    awaitActive(c, s);
    String m = "\"match\":{\"stream\":\"" + s + "\",\"operation\":";
    Action putRecord = () -> call(c, PutRecordRequest.builder().streamName(s).partitionKey("k")
        .data(SdkBytes.fromUtf8String("x")).build());
    GetShardIteratorResponse it = call(c, GetShardIteratorRequest.builder().streamName(s)
        .shardId("shardId-000000000000").shardIteratorType(ShardIteratorType.TRIM_HORIZON).build());
    Action getRecords = () -> call(c, GetRecordsRequest.builder().shardIterator(it.shardIterator()).build());
    Action listShards = () -> call(c, ListShardsRequest.builder().streamName(s).build());

    expect(ProvisionedThroughputExceededException.class,
        "{\"plugin\":\"throttle\"," + m + "\"PutRecord\"},\"count\":1}", putRecord);
    expect(ProvisionedThroughputExceededException.class,
        "{\"plugin\":\"throttle\"," + m + "\"GetRecords\"},\"count\":1}", getRecords);
    expect(LimitExceededException.class, "{\"plugin\":\"throttle\"," + m + "\"ListShards\"},\"count\":1}",
        listShards);
    expect(ExpiredIteratorException.class,
        "{\"plugin\":\"expired-iterator\"," + m + "\"GetRecords\"},\"count\":1}", getRecords);
    Map<String, Class<? extends Throwable>> kms = Map.of(
        "KMSDisabledException", KmsDisabledException.class,
        "KMSInvalidStateException", KmsInvalidStateException.class,
        "KMSAccessDeniedException", KmsAccessDeniedException.class,
        "KMSNotFoundException", KmsNotFoundException.class,
        "KMSOptInRequired", KmsOptInRequiredException.class,
        "KMSThrottlingException", KmsThrottlingException.class);
    for (var e : kms.entrySet()) {
      expect(e.getValue(), "{\"plugin\":\"kms-failure\"," + m + "\"PutRecord\"},\"count\":1,\"params\":{\"error\":\""
          + e.getKey() + "\"}}", putRecord);
      expect(e.getValue(), "{\"plugin\":\"kms-failure\"," + m + "\"GetRecords\"},\"count\":1,\"params\":{\"error\":\""
          + e.getKey() + "\"}}", getRecords);
    }
    Map<String, Class<? extends Throwable>> errors = Map.of(
        "ResourceNotFoundException", ResourceNotFoundException.class,
        "ResourceInUseException", ResourceInUseException.class,
        "InvalidArgumentException", InvalidArgumentException.class,
        "LimitExceededException", LimitExceededException.class,
        "AccessDeniedException", AccessDeniedException.class,
        "ValidationException", ValidationException.class,
        "ExpiredNextTokenException", ExpiredNextTokenException.class,
        "InternalFailureException", InternalFailureException.class);
    for (var e : errors.entrySet()) {
      expect(e.getValue(), "{\"plugin\":\"error\"," + m + "\"ListShards\"},\"count\":1,\"params\":{\"type\":\""
          + e.getKey() + "\"}}", listShards);
    }
    // The error plugin's default (InternalFailure, 500) has no modeled class: the service's base exception.
    expect(KinesisException.class, "{\"plugin\":\"error\"," + m + "\"ListShards\"},\"count\":1}", () -> {
      try {
        listShards.run();
      } catch (KinesisException e) {
        check(e.statusCode() == 500 && "InternalFailure".equals(e.awsErrorDetails().errorCode()), e.toString());
        throw e;
      }
    });
    expect(SdkClientException.class, "{\"plugin\":\"connection-reset\"," + m + "\"ListShards\"},\"count\":1}",
        listShards);

    // partial-failure: a 200 whose failed entries carry the error code.
    String pf = emulator.addFault("{\"plugin\":\"partial-failure\"," + m + "\"PutRecords\"},\"count\":1,"
        + "\"params\":{\"fraction\":0.5,\"error\":\"InternalFailure\"}}");
    List<PutRecordsRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      entries.add(PutRecordsRequestEntry.builder().partitionKey("k" + i).data(SdkBytes.fromUtf8String("d" + i)).build());
    }
    PutRecordsResponse r = call(c, PutRecordsRequest.builder().streamName(s).records(entries).build());
    emulator.removeFault(pf);
    check(r.failedRecordCount() == 5, "partial-failure: " + r.failedRecordCount() + " failed");
    check(r.records().stream().filter(x -> x.errorCode() != null).allMatch(x -> x.errorCode().equals("InternalFailure")),
        "partial-failure error codes");
    // split-shard / merge-shards reshard under the call, which succeeds.
    String sp = emulator.addFault("{\"plugin\":\"split-shard\"," + m + "\"PutRecord\"},\"count\":1}");
    putRecord.run();
    check(emulator.faultFired(sp) == 1, "split-shard fired");
    emulator.removeFault(sp);
    awaitActive(c, s);
    ListShardsResponse after = call(c, ListShardsRequest.builder().streamName(s).build());
    check(after.shards().size() == 3, "split-shard: 3 shards expected, " + after.shards().size());
    String mg = emulator.addFault("{\"plugin\":\"merge-shards\"," + m + "\"PutRecord\"},\"count\":1}");
    putRecord.run();
    check(emulator.faultFired(mg) == 1, "merge-shards fired");
    emulator.removeFault(mg);
    // Last, because the emulator serves one HTTP/2 connection's requests one after another: the delayed answer
    // holds up every later request of the async client's connection until it is sent.
    expect(ApiCallAttemptTimeoutException.class,
        "{\"plugin\":\"latency\"," + m + "\"ListShards\"},\"count\":1,\"params\":{\"ms\":3000}}", listShards);
    Thread.sleep(3500);
  }

  /** In-stream errors: a kms-failure on an encrypted stream arrives as the modeled exception class. */
  void subscribeExceptionEvent() throws Exception {
    String s = "subscribe-kms";
    async.createStream(b -> b.streamName(s).shardCount(1)).get(10, TimeUnit.SECONDS);
    awaitActive(async, s);
    async.startStreamEncryption(b -> b.streamName(s).encryptionType(EncryptionType.KMS).keyId("alias/aws/kinesis"))
        .get(10, TimeUnit.SECONDS);
    awaitActive(async, s);
    String arn = async.describeStreamSummary(b -> b.streamName(s)).get().streamDescriptionSummary().streamARN();
    String consumerArn = async.registerStreamConsumer(b -> b.streamARN(arn).consumerName("kms")).get()
        .consumer().consumerARN();
    while (async.describeStreamConsumer(b -> b.consumerARN(consumerArn)).get().consumerDescription()
               .consumerStatus() != ConsumerStatus.ACTIVE) {
      Thread.sleep(50);
    }
    String id = emulator.addFault("{\"plugin\":\"kms-failure\",\"match\":{\"stream\":\"" + s
        + "\",\"operation\":\"SubscribeToShard\"},\"after\":1,\"count\":1,\"params\":{\"error\":\"KMSThrottlingException\"}}");
    EventCollector c = new EventCollector();
    CompletableFuture<Void> f = subscribe(consumerArn, "shardId-000000000000",
        StartingPosition.builder().type(ShardIteratorType.LATEST).build(), c);
    async.putRecord(b -> b.streamName(s).partitionKey("k").data(SdkBytes.fromUtf8String("x"))).get();
    try {
      f.get(30, TimeUnit.SECONDS);
      c.done.get(1, TimeUnit.SECONDS);
      throw new AssertionError("the subscription ended without an error");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while (cause instanceof CompletionException && cause.getCause() != null) cause = cause.getCause();
      check(cause instanceof KmsThrottlingException, "wanted KmsThrottlingException, got " + cause);
    } finally {
      emulator.removeFault(id);
    }
  }
}
