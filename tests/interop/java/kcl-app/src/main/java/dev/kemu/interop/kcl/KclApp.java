package dev.kemu.interop.kcl;

import dev.kemu.interop.Ledger;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.RetrievalConfig;
import software.amazon.kinesis.retrieval.fanout.FanOutConfig;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/**
 * One KCL worker (a Scheduler) of an application, as a user writes it: a ShardRecordProcessor that hands every
 * record to the ledger and checkpoints after each batch, at shard end and when asked to shut down. Timings are
 * shortened (failover 3 s, shard sync 5 s, parent poll 0.5 s, polling idle 0.2 s) so scenarios take seconds.
 * Lineage observations (when each shard was first initialized and when it ended) are kept per application.
 */
public final class KclApp implements AutoCloseable {
  public enum Mode { FANOUT, POLLING }

  /** Shared by every worker of one application: lineage and who holds which shard. */
  public static class Observations {
    final Map<String, Long> firstInit = new ConcurrentHashMap<>();
    final Map<String, Integer> inits = new ConcurrentHashMap<>();  // processors started per shard
    final Map<String, Long> firstRecord = new ConcurrentHashMap<>();
    final Map<String, Long> ended = new ConcurrentHashMap<>();
    final Map<String, Set<String>> activeByWorker = new ConcurrentHashMap<>();
    final Map<String, Integer> deliveredByWorker = new ConcurrentHashMap<>();
    volatile long lastChange = System.nanoTime();

    Set<String> active(String worker) {
      return activeByWorker.computeIfAbsent(worker, w -> ConcurrentHashMap.newKeySet());
    }

    /** Hook for a worker in a child process ("init", "lost", "ended" and the shard). */
    void changed(String event, String shard) {}
  }

  private final Scheduler scheduler;
  private final Thread thread;

  public KclApp(Clients clients, String stream, String appName, String workerId, Mode mode, Ledger ledger,
                Observations obs) {
    this(clients, stream, appName, workerId, mode, ledger, obs, 0);
  }

  /** maxLeases > 0 caps the leases this worker holds (LeaseManagementConfig.maxLeasesForWorker). */
  public KclApp(Clients clients, String stream, String appName, String workerId, Mode mode, Ledger ledger,
                Observations obs, int maxLeases) {
    KinesisAsyncClient kinesis = clients.kinesisForKcl();
    DynamoDbAsyncClient dynamo = clients.dynamo();
    CloudWatchAsyncClient cloudwatch = clients.cloudwatch();
    ShardRecordProcessorFactory factory = () -> new Processor(appName, workerId, ledger, obs);
    ConfigsBuilder cb = new ConfigsBuilder(stream, appName, kinesis, dynamo, cloudwatch, workerId, factory);
    RetrievalConfig retrieval = cb.retrievalConfig()
        .initialPositionInStreamExtended(
            InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON));
    if (mode == Mode.POLLING) {
      retrieval.retrievalSpecificConfig(new PollingConfig(stream, kinesis).idleTimeBetweenReadsInMillis(200));
    } else {
      retrieval.retrievalSpecificConfig(new FanOutConfig(kinesis).streamName(stream).applicationName(appName));
    }
    LeaseManagementConfig leases = cb.leaseManagementConfig().failoverTimeMillis(3000).shardSyncIntervalMillis(5000)
        .listShardsBackoffTimeInMillis(500);
    if (maxLeases > 0) leases.maxLeasesForWorker(maxLeases);
    setIfPresent(leases, "leaseAssignmentIntervalMillis", Long.class, 1000L); // KCL 3.x only
    scheduler = new Scheduler(cb.checkpointConfig(),
        cb.coordinatorConfig().parentShardPollIntervalMillis(500).shardConsumerDispatchPollIntervalMillis(200)
            .schedulerInitializationBackoffTimeMillis(500),
        leases, cb.lifecycleConfig().taskBackoffTimeMillis(200), cb.metricsConfig().metricsLevel(MetricsLevel.NONE),
        cb.processorConfig(), retrieval);
    thread = new Thread(scheduler, "kcl-" + workerId);
    thread.setDaemon(true);
  }

  private static void setIfPresent(Object target, String method, Class<?> type, Object value) {
    try {
      Method m = target.getClass().getMethod(method, type);
      m.invoke(target, value);
    } catch (NoSuchMethodException e) {
      // older KCL: no such setting
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  public KclApp start() {
    thread.start();
    return this;
  }

  /** Graceful shutdown: every processor is asked to shut down (and checkpoints) before leases are given up. */
  public void shutdownGracefully() throws Exception {
    if (!scheduler.startGracefulShutdown().get(60, TimeUnit.SECONDS)) {
      throw new AssertionError("graceful shutdown did not complete");
    }
    thread.join(10_000);
  }

  @Override
  public void close() {
    if (!scheduler.shutdownComplete() && !scheduler.hasGracefulShutdownStarted()) scheduler.shutdown();
  }

  static final class Processor implements ShardRecordProcessor {
    private final String app;
    private final String worker;
    private final Ledger ledger;
    private final Observations obs;
    private String shard;

    Processor(String app, String worker, Ledger ledger, Observations obs) {
      this.app = app;
      this.worker = worker;
      this.ledger = ledger;
      this.obs = obs;
    }

    @Override
    public void initialize(InitializationInput input) {
      shard = input.shardId();
      obs.firstInit.putIfAbsent(shard, System.nanoTime());
      obs.inits.merge(shard, 1, Integer::sum);
      obs.active(worker).add(shard);
      obs.lastChange = System.nanoTime();
      obs.changed("init", shard);
    }

    @Override
    public void processRecords(ProcessRecordsInput input) {
      for (KinesisClientRecord r : input.records()) {
        obs.firstRecord.putIfAbsent(shard, System.nanoTime());
        String data = StandardCharsets.UTF_8.decode(r.data().duplicate()).toString();
        ledger.delivered(app, r.partitionKey(), data);
        obs.deliveredByWorker.merge(worker, 1, Integer::sum);
      }
      try {
        input.checkpointer().checkpoint();
      } catch (Exception e) {
        // Lease lost or shutting down: the next owner resumes from the previous checkpoint.
        System.out.println("checkpoint failed on " + shard + " (" + worker + "): " + e);
      }
    }

    @Override
    public void leaseLost(LeaseLostInput input) {
      obs.active(worker).remove(shard);
      obs.lastChange = System.nanoTime();
      obs.changed("lost", shard);
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
      try {
        input.checkpointer().checkpoint();
      } catch (Exception e) {
        throw new IllegalStateException("checkpoint at shard end of " + shard, e);
      }
      obs.ended.putIfAbsent(shard, System.nanoTime());
      obs.active(worker).remove(shard);
      obs.lastChange = System.nanoTime();
      obs.changed("ended", shard);
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
      try {
        input.checkpointer().checkpoint();
      } catch (Exception e) {
        System.out.println("checkpoint at shutdown failed on " + shard + ": " + e);
      }
      obs.active(worker).remove(shard);
    }
  }
}
