// The AWS SDK for Go v2 against the real kinesis-emulator binary (KEMU_BINARY): a put/get round trip,
// SubscribeToShard (HTTP/1.1 event stream), and a throttle fault the SDK's retryer absorbs or surfaces as the
// typed error.
package interop

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

var endpoint string

func TestMain(m *testing.M) {
	bin := os.Getenv("KEMU_BINARY")
	if bin == "" {
		fmt.Fprintln(os.Stderr, "KEMU_BINARY is not set")
		os.Exit(2)
	}
	cmd := exec.Command(bin, "--port", "0", "--log-level", "warn")
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ready := regexp.MustCompile(`^kinesis-emulator ready on (http://\S+)$`)
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if mm := ready.FindStringSubmatch(sc.Text()); mm != nil {
			endpoint = mm[1]
			break
		}
	}
	go io.Copy(io.Discard, out)
	code := 2
	if endpoint != "" {
		code = m.Run()
	}
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
	os.Exit(code)
}

func client(t *testing.T) *kinesis.Client {
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion("us-east-1"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIAEXAMPLE", "secret", "")))
	if err != nil {
		t.Fatal(err)
	}
	return kinesis.NewFromConfig(cfg, func(o *kinesis.Options) { o.BaseEndpoint = aws.String(endpoint) })
}

func admin(t *testing.T, method, path, body string) map[string]any {
	req, _ := http.NewRequest(method, endpoint+path, strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode >= 300 {
		t.Fatalf("%s %s: %d %v", method, path, resp.StatusCode, out)
	}
	return out
}

func createStream(t *testing.T, k *kinesis.Client, name string, shards int32) {
	ctx := context.Background()
	if _, err := k.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String(name), ShardCount: aws.Int32(shards)}); err != nil {
		t.Fatal(err)
	}
	w := kinesis.NewStreamExistsWaiter(k)
	if err := w.Wait(ctx, &kinesis.DescribeStreamInput{StreamName: aws.String(name)}, 30*time.Second); err != nil {
		t.Fatal(err)
	}
}

// Every record put is read back once, in order per partition key.
func TestRoundTrip(t *testing.T) {
	k := client(t)
	ctx := context.Background()
	createStream(t, k, "go-roundtrip", 3)
	want := map[string][]string{}
	var entries []types.PutRecordsRequestEntry
	for i := 0; i < 60; i++ {
		pk := fmt.Sprintf("pk-%d", i%7)
		data := fmt.Sprintf("%s|%d", pk, i)
		want[pk] = append(want[pk], data)
		entries = append(entries, types.PutRecordsRequestEntry{PartitionKey: aws.String(pk), Data: []byte(data)})
	}
	out, err := k.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String("go-roundtrip"), Records: entries})
	if err != nil || aws.ToInt32(out.FailedRecordCount) != 0 {
		t.Fatalf("PutRecords: %v %v", err, out)
	}
	got := map[string][]string{}
	shards, err := k.ListShards(ctx, &kinesis.ListShardsInput{StreamName: aws.String("go-roundtrip")})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range shards.Shards {
		it, err := k.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String("go-roundtrip"),
			ShardId: s.ShardId, ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
		if err != nil {
			t.Fatal(err)
		}
		iter := it.ShardIterator
		for {
			r, err := k.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: iter})
			if err != nil {
				t.Fatal(err)
			}
			for _, rec := range r.Records {
				got[*rec.PartitionKey] = append(got[*rec.PartitionKey], string(rec.Data))
			}
			if len(r.Records) == 0 && aws.ToInt64(r.MillisBehindLatest) == 0 {
				break
			}
			iter = r.NextShardIterator
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("read back %v, want %v", got, want)
	}
}

// SubscribeToShard over HTTP/1.1: the records put after subscribing arrive as events, in order.
func TestSubscribeToShard(t *testing.T) {
	k := client(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	createStream(t, k, "go-subscribe", 1)
	d, err := k.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String("go-subscribe")})
	if err != nil {
		t.Fatal(err)
	}
	reg, err := k.RegisterStreamConsumer(ctx, &kinesis.RegisterStreamConsumerInput{
		StreamARN: d.StreamDescriptionSummary.StreamARN, ConsumerName: aws.String("go")})
	if err != nil {
		t.Fatal(err)
	}
	for {
		c, err := k.DescribeStreamConsumer(ctx, &kinesis.DescribeStreamConsumerInput{ConsumerARN: reg.Consumer.ConsumerARN})
		if err != nil {
			t.Fatal(err)
		}
		if c.ConsumerDescription.ConsumerStatus == types.ConsumerStatusActive {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	sub, err := k.SubscribeToShard(ctx, &kinesis.SubscribeToShardInput{ConsumerARN: reg.Consumer.ConsumerARN,
		ShardId: aws.String("shardId-000000000000"), StartingPosition: &types.StartingPosition{Type: types.ShardIteratorTypeLatest}})
	if err != nil {
		t.Fatal(err)
	}
	stream := sub.GetStream()
	defer stream.Close()
	var want []string
	for i := 0; i < 20; i++ {
		data := fmt.Sprintf("event-%d", i)
		want = append(want, data)
		if _, err := k.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("go-subscribe"),
			PartitionKey: aws.String("k"), Data: []byte(data)}); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for len(got) < len(want) {
		ev, ok := <-stream.Events()
		if !ok {
			t.Fatalf("stream ended after %d records: %v", len(got), stream.Err())
		}
		if e, ok := ev.(*types.SubscribeToShardEventStreamMemberSubscribeToShardEvent); ok {
			if e.Value.ContinuationSequenceNumber == nil {
				t.Fatal("event without ContinuationSequenceNumber on an open shard")
			}
			for _, r := range e.Value.Records {
				got = append(got, string(r.Data))
			}
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("events %v, want %v", got, want)
	}
}

// A throttle fault: two throttled attempts are retried by the SDK; five exceed its three attempts and come out
// as the typed ProvisionedThroughputExceededException.
func TestThrottleFault(t *testing.T) {
	k := client(t)
	ctx := context.Background()
	createStream(t, k, "go-throttle", 1)
	put := func() error {
		_, err := k.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("go-throttle"),
			PartitionKey: aws.String("k"), Data: []byte("x")})
		return err
	}
	rule := admin(t, "POST", "/_emulator/faults",
		`{"plugin":"throttle","match":{"operation":"PutRecord","stream":"go-throttle"},"count":2}`)
	if err := put(); err != nil {
		t.Fatalf("the SDK should have retried the throttled attempts: %v", err)
	}
	if fired := admin(t, "GET", "/_emulator/faults/"+rule["id"].(string), "")["fired"].(float64); fired != 2 {
		t.Fatalf("fired %v, want 2", fired)
	}
	admin(t, "POST", "/_emulator/faults",
		`{"plugin":"throttle","match":{"operation":"PutRecord","stream":"go-throttle"},"count":5}`)
	err := put()
	var pte *types.ProvisionedThroughputExceededException
	if !errors.As(err, &pte) {
		t.Fatalf("want ProvisionedThroughputExceededException, got %T %v", err, err)
	}
}
