package dev.kemu.interop.kpl;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.services.kinesis.producer.KinesisProducer;
import com.amazonaws.services.kinesis.producer.KinesisProducerConfiguration;
import com.amazonaws.services.kinesis.producer.UserRecordResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A KPL producer driven line by line on stdin:
 *   put STREAM TAG KEYS PER_KEY   puts KEYS x PER_KEY user records ("TAG|pk-K|N|putMillis"), waits for every
 *                                 future and prints "ack PK DATA SEQUENCE ORDER" for each, then "done";
 *                                 a failed future prints "failed DATA ATTEMPTS" instead.
 *   quit
 * Arguments: HOST PORT STS_PORT AGGREGATION(true|false). The KPL is configured as against a TLS endpoint with a
 * self-signed certificate: KinesisEndpoint/KinesisPort, VerifyCertificate=false, MetricsLevel=none, and
 * StsEndpoint/StsPort (KPL 0.15 asks STS GetCallerIdentity for the account of the stream ARN).
 */
public final class KplProducer {
  public static void main(String[] args) throws Exception {
    KinesisProducerConfiguration c = new KinesisProducerConfiguration()
        .setRegion("us-east-1")
        .setKinesisEndpoint(args[0])
        .setKinesisPort(Long.parseLong(args[1]))
        .setVerifyCertificate(false)
        .setMetricsLevel("none")
        .setCloudwatchEndpoint(args[0]) // never called with metrics off; kept off AWS all the same
        .setCloudwatchPort(Long.parseLong(args[1]))
        .setStsEndpoint(args[0])
        .setStsPort(Long.parseLong(args[2]))
        .setCredentialsProvider(new AWSStaticCredentialsProvider(new BasicAWSCredentials("AKIAEXAMPLE", "secret")))
        .setAggregationEnabled(Boolean.parseBoolean(args[3]))
        .setRecordMaxBufferedTime(100)
        .setLogLevel("warning");
    KinesisProducer kpl = new KinesisProducer(c);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    long order = 0;
    for (String line; (line = in.readLine()) != null;) {
      String[] w = line.trim().split(" ");
      if (w[0].equals("quit")) break;
      if (!w[0].equals("put")) continue;
      String stream = w[1];
      int keys = Integer.parseInt(w[3]);
      int perKey = Integer.parseInt(w[4]);
      Map<Future<UserRecordResult>, String[]> pending = new LinkedHashMap<>();
      for (int n = 0; n < perKey; n++) {
        for (int k = 0; k < keys; k++) {
          String pk = "pk-" + k;
          String data = w[2] + "|" + pk + "|" + n + "|" + System.currentTimeMillis();
          pending.put(kpl.addUserRecord(stream, pk, ByteBuffer.wrap(data.getBytes(StandardCharsets.UTF_8))),
              new String[] {pk, data, Long.toString(order++)});
        }
      }
      StringBuilder out = new StringBuilder();
      for (var e : pending.entrySet()) {
        UserRecordResult r = e.getKey().get(120, TimeUnit.SECONDS);
        String[] v = e.getValue();
        if (r.isSuccessful()) {
          out.append("ack ").append(v[0]).append(' ').append(v[1]).append(' ').append(r.getSequenceNumber())
              .append(' ').append(v[2]).append('\n');
        } else {
          out.append("failed ").append(v[1]).append(' ').append(r.getAttempts().size()).append('\n');
        }
      }
      System.out.print(out.append("done\n"));
      System.out.flush();
    }
    kpl.flushSync();
    kpl.destroy();
  }
}
