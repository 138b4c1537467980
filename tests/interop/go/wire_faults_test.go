// The AWS SDK for Go v2 under the wire faults (bandwidth, slicer, stall, slow-close, connection-reset), plain
// calls and SubscribeToShard both over HTTP/1.1: what a PutRecord or GetRecords does with the SDK's retries on (3
// attempts, the default) and off (RetryMaxAttempts 1), counted in the emulator's journal; a stall against the HTTP
// client's timeout; what a SubscribeToShard consumer sees when the fault hits its event stream after a few events,
// and that resubscribing from the last ContinuationSequenceNumber loses nothing. docs/wire_faults_sdks.md sums up.
package interop

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

var wireStreams atomic.Int32

// A client with the given attempts and, when timeout > 0, an http.Client timeout (the whole exchange).
func wireClient(t *testing.T, attempts int, timeout, readTimeout time.Duration) *kinesis.Client {
	base := client(t)
	return kinesis.New(base.Options(), func(o *kinesis.Options) {
		o.RetryMaxAttempts = attempts
		hc := awshttp.NewBuildableClient().WithTimeout(timeout)
		if readTimeout > 0 {
			hc = hc.WithReadTimeout(readTimeout)
		}
		o.HTTPClient = hc
	})
}

// The journal's attempts of an operation on a stream: "<status>" and a '*' when a rule decided it.
func wireAttempts(t *testing.T, stream, operation string) string {
	calls := admin(t, "GET", "/_emulator/calls?limit=1000&operation="+operation+"&stream="+url.QueryEscape(stream), "")["calls"].([]any)
	var out []string
	for _, c := range calls {
		m := c.(map[string]any)
		s := fmt.Sprint(m["status"])
		if m["fault_id"] != nil {
			s += "*"
		}
		out = append(out, s)
	}
	return strings.Join(out, ",")
}

func storedRecords(t *testing.T, stream string) string {
	k := client(t)
	ctx := context.Background()
	it, err := k.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String(stream),
		ShardId: aws.String("shardId-000000000000"), ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
	if err != nil {
		t.Fatal(err)
	}
	r, err := k.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: it.ShardIterator})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, rec := range r.Records {
		out = append(out, string(rec.Data))
	}
	return strings.Join(out, ",")
}

type wireOutcome struct {
	err      error
	records  string // GetRecords: what the call returned
	elapsed  time.Duration
	attempts string // from the journal
	stored   string // the stream's records afterwards
}

type wireCase struct {
	attempts    int
	timeout     time.Duration
	readTimeout time.Duration
	plugin      string
	params      string
	operation   string // PutRecord (default) or GetRecords
	records     int    // records stored before the call
}

// One SDK call under a one-shot rule on its operation and stream.
func underWireFault(t *testing.T, c wireCase) wireOutcome {
	t.Helper()
	if c.operation == "" {
		c.operation = "PutRecord"
	}
	k := client(t)
	ctx := context.Background()
	stream := fmt.Sprintf("go-wire-%s-%d", c.plugin, wireStreams.Add(1))
	createStream(t, k, stream, 1)
	for i := 0; i < c.records; i++ {
		if _, err := k.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String(stream), PartitionKey: aws.String("k"),
			Data: []byte(fmt.Sprintf("stored-%d", i))}); err != nil {
			t.Fatal(err)
		}
	}
	var iter *string
	if c.operation == "GetRecords" {
		it, err := k.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String(stream),
			ShardId: aws.String("shardId-000000000000"), ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
		if err != nil {
			t.Fatal(err)
		}
		iter = it.ShardIterator
	}
	rule := admin(t, "POST", "/_emulator/faults", fmt.Sprintf(
		`{"plugin":%q,"params":%s,"count":1,"match":{"operation":%q,"stream":%q}}`, c.plugin, c.params, c.operation, stream))
	wk := wireClient(t, c.attempts, c.timeout, c.readTimeout)
	var o wireOutcome
	started := time.Now()
	if c.operation == "PutRecord" {
		_, o.err = wk.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String(stream), PartitionKey: aws.String("k"),
			Data: []byte("put")})
	} else {
		var r *kinesis.GetRecordsOutput
		if r, o.err = wk.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: iter}); o.err == nil {
			var got []string
			for _, rec := range r.Records {
				got = append(got, string(rec.Data))
			}
			o.records = strings.Join(got, ",")
		}
	}
	o.elapsed = time.Since(started)
	time.Sleep(50 * time.Millisecond) // a stalled answer's attempt is journaled once the stall ends or the connection goes
	admin(t, "DELETE", "/_emulator/faults/"+rule["id"].(string), "")
	o.attempts = wireAttempts(t, stream, c.operation)
	o.stored = storedRecords(t, stream)
	t.Logf("%+v: err=%v elapsed=%v attempts=%s stored=%s records=%s", c, o.err, o.elapsed, o.attempts, o.stored, o.records)
	return o
}

func wantOK(t *testing.T, o wireOutcome, attempts, stored string) {
	t.Helper()
	if o.err != nil || o.attempts != attempts || o.stored != stored {
		t.Fatalf("err=%v attempts=%s stored=%s; want success, attempts %s, stored %s", o.err, o.attempts, o.stored, attempts, stored)
	}
}

func wantErr(t *testing.T, o wireOutcome, contains, attempts, stored string) {
	t.Helper()
	if o.err == nil || !regexp.MustCompile(contains).MatchString(o.err.Error()) || o.attempts != attempts || o.stored != stored {
		t.Fatalf("err=%v attempts=%s stored=%s; want an error with %q, attempts %s, stored %s", o.err, o.attempts, o.stored,
			contains, attempts, stored)
	}
}

// Plain calls, retries on (3 attempts) and off (1).
func TestWirePlainCalls(t *testing.T) {
	for _, a := range []int{3, 1} {
		t.Run(fmt.Sprintf("attempts=%d", a), func(t *testing.T) {
			// Shaped answers arrive intact, later.
			o := underWireFault(t, wireCase{attempts: a, plugin: "bandwidth", params: `{"bytes_per_second":200}`})
			wantOK(t, o, "200*", "put")
			if o.elapsed < 400*time.Millisecond {
				t.Errorf("bandwidth: %v for ~134 bytes at 200 B/s", o.elapsed)
			}
			o = underWireFault(t, wireCase{attempts: a, plugin: "slicer", params: `{"bytes":8,"delay_ms":10}`, operation: "GetRecords", records: 3})
			wantOK(t, o, "200*", "stored-0,stored-1,stored-2")
			if o.records != "stored-0,stored-1,stored-2" || o.elapsed < 200*time.Millisecond {
				t.Errorf("slicer: records %s in %v", o.records, o.elapsed)
			}
			for _, plugin := range []string{"slow-close", "stall"} {
				o = underWireFault(t, wireCase{attempts: a, plugin: plugin, params: `{"ms":600}`})
				wantOK(t, o, "200*", "put")
				if o.elapsed < 500*time.Millisecond {
					t.Errorf("%s: %v", plugin, o.elapsed)
				}
			}
			// Reset before the answer: the call did not run; retried when retries are on.
			o = underWireFault(t, wireCase{attempts: a, plugin: "connection-reset", params: `{}`})
			if a > 1 {
				wantOK(t, o, "0*,200", "put")
			} else {
				wantErr(t, o, "request send failed", "0*", "")
				wantErr(t, o, "connection reset by peer", "0*", "")
			}
			// Reset in the body (TCP RST): "connection reset by peer" while deserializing. The SDK retries it, so
			// with retries on the record is stored twice (the first attempt ran); with retries off, once.
			o = underWireFault(t, wireCase{attempts: a, plugin: "connection-reset", params: `{"when":"mid-body"}`})
			if a > 1 {
				wantOK(t, o, "200*,200", "put,put")
			} else {
				wantErr(t, o, "deserialization failed", "200*", "put")
				wantErr(t, o, "connection reset by peer", "200*", "put")
			}
			o = underWireFault(t, wireCase{attempts: a, plugin: "connection-reset", params: `{"when":"mid-body"}`, operation: "GetRecords", records: 2})
			if a > 1 {
				wantOK(t, o, "200*,200", "stored-0,stored-1")
			} else {
				wantErr(t, o, "connection reset by peer", "200*", "stored-0,stored-1")
			}
		})
	}
}

// A stall longer than the client's timeout (http.Client Timeout, or the BuildableClient's read timeout): the
// timeout, then a retry that succeeds, which stores the record a second time (the first attempt ran).
func TestWireStallTimeouts(t *testing.T) {
	for _, c := range []struct {
		timeout, readTimeout time.Duration
		err                  string
	}{
		// net/http closes the connection when Client.Timeout fires; the read error names that or the closed conn.
		{timeout: 300 * time.Millisecond, err: "use of closed network connection|Client.Timeout or context cancellation|context deadline exceeded"},
		{readTimeout: 300 * time.Millisecond, err: "read on body reach timeout limit, 300ms|use of closed network connection"},
	} {
		on := underWireFault(t, wireCase{attempts: 3, timeout: c.timeout, readTimeout: c.readTimeout, plugin: "stall", params: `{"ms":1500}`})
		wantOK(t, on, "200*,200", "put,put")
		if on.elapsed > 1400*time.Millisecond {
			t.Errorf("retried after %v", on.elapsed)
		}
		off := underWireFault(t, wireCase{attempts: 1, timeout: c.timeout, readTimeout: c.readTimeout, plugin: "stall", params: `{"ms":1500}`})
		wantErr(t, off, c.err, "200*", "put")
	}
}

// SubscribeToShard over HTTP/1.1 with a rule on the event stream that lets two events pass (the empty first one
// and r0's) and hits r1's.
type wireSub struct {
	k         *kinesis.Client
	stream    string
	consumer  *string
	rule      string
	events    *kinesis.SubscribeToShardEventStream
	put       int
	received  []string
	cont      *string
	eventTime []time.Duration
}

func (s *wireSub) subscribe(t *testing.T, k *kinesis.Client, pos *types.StartingPosition) {
	sub, err := k.SubscribeToShard(context.Background(), &kinesis.SubscribeToShardInput{ConsumerARN: s.consumer,
		ShardId: aws.String("shardId-000000000000"), StartingPosition: pos})
	if err != nil {
		t.Fatal(err)
	}
	s.events = sub.GetStream()
}

// The next SubscribeToShardEvent: "event", "closed" (the channel ended; the stream's Err) or "silent".
func (s *wireSub) next(patience time.Duration) (string, error) {
	timer := time.NewTimer(patience)
	defer timer.Stop()
	for {
		select {
		case ev, ok := <-s.events.Events():
			if !ok {
				return "closed", s.events.Err()
			}
			if e, ok := ev.(*types.SubscribeToShardEventStreamMemberSubscribeToShardEvent); ok {
				for _, r := range e.Value.Records {
					s.received = append(s.received, string(r.Data))
				}
				s.cont = e.Value.ContinuationSequenceNumber
				return "event", nil
			}
		case <-timer.C:
			return "silent", nil
		}
	}
}

// Puts the records up to n one at a time, each after the event of the one before; stops at the first non-event.
func (s *wireSub) consume(t *testing.T, n int, patience time.Duration) (string, error) {
	for ; s.put < n; s.put++ {
		if _, err := s.k.PutRecord(context.Background(), &kinesis.PutRecordInput{StreamName: aws.String(s.stream),
			PartitionKey: aws.String("k"), Data: []byte(fmt.Sprintf("r%d", s.put))}); err != nil {
			t.Fatal(err)
		}
		for len(s.received) <= s.put {
			started := time.Now()
			if what, err := s.next(patience); what != "event" {
				s.put++
				return what, err
			}
			s.eventTime = append(s.eventTime, time.Since(started))
		}
	}
	return "complete", nil
}

func subscriptionUnderWireFault(t *testing.T, plugin, params string) *wireSub {
	k := client(t)
	ctx := context.Background()
	s := &wireSub{k: k, stream: fmt.Sprintf("go-wire-efo-%s-%d", plugin, wireStreams.Add(1))}
	createStream(t, k, s.stream, 1)
	d, err := k.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(s.stream)})
	if err != nil {
		t.Fatal(err)
	}
	reg, err := k.RegisterStreamConsumer(ctx, &kinesis.RegisterStreamConsumerInput{
		StreamARN: d.StreamDescriptionSummary.StreamARN, ConsumerName: aws.String("wire")})
	if err != nil {
		t.Fatal(err)
	}
	s.consumer = reg.Consumer.ConsumerARN
	s.rule = admin(t, "POST", "/_emulator/faults", fmt.Sprintf(
		`{"plugin":%q,"params":%s,"after":2,"count":1,"match":{"operation":"SubscribeToShard","stream":%q}}`,
		plugin, params, s.stream))["id"].(string)
	s.subscribe(t, k, &types.StartingPosition{Type: types.ShardIteratorTypeLatest})
	if what, err := s.next(5 * time.Second); what != "event" || len(s.received) != 0 {
		t.Fatalf("first event: %s %v %v", what, err, s.received)
	}
	return s
}

func TestWireSubscribeToShard(t *testing.T) {
	all := "r0,r1,r2,r3,r4"
	for _, c := range []struct{ plugin, params string }{
		{"bandwidth", `{"bytes_per_second":400}`}, {"slicer", `{"bytes":16,"delay_ms":10}`},
	} {
		t.Run(c.plugin, func(t *testing.T) {
			s := subscriptionUnderWireFault(t, c.plugin, c.params)
			defer s.events.Close()
			what, err := s.consume(t, 5, 5*time.Second)
			t.Logf("%s: %s %v %v %v", c.plugin, what, err, s.received, s.eventTime)
			if what != "complete" || strings.Join(s.received, ",") != all {
				t.Fatalf("%s %v: %v", what, err, s.received)
			}
			if s.eventTime[0] > 150*time.Millisecond || s.eventTime[1] < 150*time.Millisecond {
				t.Errorf("event times %v: r0's let pass, r1's shaped", s.eventTime)
			}
		})
	}

	t.Run("stall", func(t *testing.T) {
		s := subscriptionUnderWireFault(t, "stall", `{"ms":0}`)
		defer s.events.Close()
		what, err := s.consume(t, 5, 2*time.Second)
		t.Logf("stall: %s %v %v", what, err, s.received)
		if what != "silent" || strings.Join(s.received, ",") != "r0" {
			t.Fatalf("want 2 s of silence after r0 (the SDK does not notice), got %s %v %v", what, err, s.received)
		}
		admin(t, "DELETE", "/_emulator/faults/"+s.rule, "")
		for len(s.received) < s.put {
			if what, err := s.next(5 * time.Second); what != "event" {
				t.Fatalf("after the rule's removal: %s %v", what, err)
			}
		}
		if what, err := s.consume(t, 5, 5*time.Second); what != "complete" || strings.Join(s.received, ",") != all {
			t.Fatalf("%s %v: %v", what, err, s.received)
		}
	})

	for _, when := range []string{"before", "mid-body"} {
		t.Run("connection-reset "+when, func(t *testing.T) {
			s := subscriptionUnderWireFault(t, "connection-reset", fmt.Sprintf(`{"when":%q}`, when))
			what, err := s.consume(t, 5, 5*time.Second)
			t.Logf("reset %s: %s %T %v %v", when, what, err, err, s.received)
			// The Events channel closes and Err() says the connection was reset: unlike a clean end.
			if what != "closed" || err == nil || !strings.Contains(err.Error(), "connection reset by peer") ||
				strings.Join(s.received, ",") != "r0" {
				t.Fatalf("want the stream closed with a reset after r0, got %s %v %v", what, err, s.received)
			}
			s.events.Close()
			s.subscribe(t, s.k, &types.StartingPosition{Type: types.ShardIteratorTypeAfterSequenceNumber,
				SequenceNumber: s.cont})
			defer s.events.Close()
			for len(s.received) < s.put {
				if what, err := s.next(5 * time.Second); what != "event" {
					t.Fatalf("resubscribed: %s %v", what, err)
				}
			}
			if what, err := s.consume(t, 5, 5*time.Second); what != "complete" || strings.Join(s.received, ",") != all {
				t.Fatalf("%s %v: %v", what, err, s.received)
			}
		})
	}

	t.Run("slow-close", func(t *testing.T) {
		s := subscriptionUnderWireFault(t, "slow-close", `{"ms":1500}`)
		defer s.events.Close()
		if what, err := s.consume(t, 5, 5*time.Second); what != "complete" {
			t.Fatalf("%s %v", what, err)
		}
		started := time.Now()
		admin(t, "POST", "/_emulator/clock", `{"advance_ms":300001}`)
		what, err := s.next(15 * time.Second)
		t.Logf("slow-close: %s %v after %v", what, err, time.Since(started))
		if what != "closed" || err != nil || time.Since(started) < 1400*time.Millisecond {
			t.Fatalf("want a clean end after the late close: %s %v after %v", what, err, time.Since(started))
		}
	})
}
