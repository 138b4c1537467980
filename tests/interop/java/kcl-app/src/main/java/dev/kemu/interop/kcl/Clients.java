package dev.kemu.interop.kcl;

import dev.kemu.interop.Emulator;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.KinesisClientUtil;

/**
 * The clients a KCL application builds, pointed at the emulator (Kinesis) and moto (DynamoDB; CloudWatch too,
 * though with MetricsLevel.NONE the KCL never calls it). One set per suite, shared by every worker.
 */
public final class Clients {
  public static final StaticCredentialsProvider CREDS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAEXAMPLE", "secret"));
  public static final Region REGION = Region.US_EAST_1;

  private final KinesisAsyncClient kinesis;
  private final DynamoDbAsyncClient dynamo;
  private final CloudWatchAsyncClient cloudwatch;

  public Clients(Emulator emulator, URI moto) {
    // KinesisClientUtil is what the KCL's docs tell users to call: HTTP/2 (h2c here), CBOR.
    this(KinesisClientUtil.createKinesisAsyncClient(KinesisAsyncClient.builder()
        .endpointOverride(emulator.endpoint()).region(REGION).credentialsProvider(CREDS)), moto);
  }

  /** With a Kinesis client built by the caller (e.g. one that trusts a TLS emulator's certificate). */
  public Clients(KinesisAsyncClient kinesis, URI moto) {
    this.kinesis = kinesis;
    dynamo = DynamoDbAsyncClient.builder().endpointOverride(moto).region(REGION).credentialsProvider(CREDS).build();
    cloudwatch =
        CloudWatchAsyncClient.builder().endpointOverride(moto).region(REGION).credentialsProvider(CREDS).build();
  }

  public KinesisAsyncClient kinesisForKcl() {
    return kinesis;
  }

  public DynamoDbAsyncClient dynamo() {
    return dynamo;
  }

  public CloudWatchAsyncClient cloudwatch() {
    return cloudwatch;
  }
}
