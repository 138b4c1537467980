//! The AWS SDK for Rust against the emulator: a put/get round trip, SubscribeToShard (event stream), and a
//! throttle fault that the SDK's standard retry absorbs (2 throttled attempts) or surfaces as the typed
//! ProvisionedThroughputExceededException (5). Prints one PASS/FAIL line per scenario and "N passed, N failed".
use aws_sdk_kinesis::config::{Credentials, Region};
use aws_sdk_kinesis::primitives::Blob;
use aws_sdk_kinesis::types::{
    ConsumerStatus, PutRecordsRequestEntry, ShardIteratorType, StartingPosition, SubscribeToShardEventStream,
};
use aws_sdk_kinesis::Client;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

type Res = Result<(), String>;

struct Emulator {
    child: Child,
    endpoint: String,
}

impl Emulator {
    fn start() -> Emulator {
        let bin = std::env::var("KEMU_BINARY").expect("KEMU_BINARY is not set");
        let mut child = Command::new(bin)
            .args(["--port", "0", "--log-level", "warn"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the emulator");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let endpoint = loop {
            let line = lines.next().expect("emulator exited before its ready line").unwrap();
            if let Some(url) = line.strip_prefix("kinesis-emulator ready on ") {
                break url.to_string();
            }
        };
        std::thread::spawn(move || for _ in lines {});
        Emulator { child, endpoint }
    }

    /// One admin call over plain HTTP/1.1; returns the body.
    fn admin(&self, method: &str, path: &str, body: &str) -> String {
        let hostport = self.endpoint.trim_start_matches("http://");
        let mut s = TcpStream::connect(hostport).unwrap();
        write!(s, "{method} {path} HTTP/1.1\r\nHost: {hostport}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default()
    }

    fn json_field(body: &str, field: &str) -> String {
        let key = format!("\"{field}\":");
        let rest = &body[body.find(&key).expect(field) + key.len()..];
        rest.trim_start_matches('"').split(|c| c == '"' || c == ',' || c == '}').next().unwrap().to_string()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client(endpoint: &str) -> Client {
    let conf = aws_sdk_kinesis::Config::builder()
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIAEXAMPLE", "secret", None, None, "static"))
        .build();
    Client::from_conf(conf)
}

async fn create_stream(k: &Client, name: &str, shards: i32) -> Res {
    k.create_stream().stream_name(name).shard_count(shards).send().await.map_err(|e| format!("{e:?}"))?;
    Ok(())
}

async fn round_trip(k: &Client) -> Res {
    create_stream(k, "rust-roundtrip", 3).await?;
    let mut want: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut entries = Vec::new();
    for i in 0..60 {
        let pk = format!("pk-{}", i % 7);
        let data = format!("{pk}|{i}");
        want.entry(pk.clone()).or_default().push(data.clone());
        entries.push(PutRecordsRequestEntry::builder().partition_key(pk).data(Blob::new(data)).build().unwrap());
    }
    let out = k.put_records().stream_name("rust-roundtrip").set_records(Some(entries)).send().await
        .map_err(|e| format!("{e:?}"))?;
    if out.failed_record_count() != Some(0) {
        return Err(format!("failed records: {:?}", out.failed_record_count()));
    }
    let mut got: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let shards = k.list_shards().stream_name("rust-roundtrip").send().await.map_err(|e| format!("{e:?}"))?;
    for s in shards.shards() {
        let mut it = k.get_shard_iterator().stream_name("rust-roundtrip").shard_id(s.shard_id())
            .shard_iterator_type(ShardIteratorType::TrimHorizon).send().await.map_err(|e| format!("{e:?}"))?
            .shard_iterator().map(str::to_string);
        while let Some(iter) = it {
            let r = k.get_records().shard_iterator(iter).send().await.map_err(|e| format!("{e:?}"))?;
            for rec in r.records() {
                got.entry(rec.partition_key().unwrap_or_default().to_string()).or_default()
                    .push(String::from_utf8(rec.data().as_ref().to_vec()).unwrap());
            }
            if r.records().is_empty() && r.millis_behind_latest() == Some(0) {
                break;
            }
            it = r.next_shard_iterator().map(str::to_string);
        }
    }
    if got != want {
        return Err(format!("read back {got:?}, want {want:?}"));
    }
    Ok(())
}

async fn subscribe(k: &Client) -> Res {
    create_stream(k, "rust-subscribe", 1).await?;
    let arn = k.describe_stream_summary().stream_name("rust-subscribe").send().await.map_err(|e| format!("{e:?}"))?
        .stream_description_summary().unwrap().stream_arn().to_string();
    let consumer = k.register_stream_consumer().stream_arn(&arn).consumer_name("rust").send().await
        .map_err(|e| format!("{e:?}"))?.consumer().unwrap().consumer_arn().to_string();
    loop {
        let d = k.describe_stream_consumer().consumer_arn(&consumer).send().await.map_err(|e| format!("{e:?}"))?;
        if d.consumer_description().unwrap().consumer_status() == &ConsumerStatus::Active {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut sub = k.subscribe_to_shard().consumer_arn(&consumer).shard_id("shardId-000000000000")
        .starting_position(StartingPosition::builder().r#type(ShardIteratorType::Latest).build().unwrap())
        .send().await.map_err(|e| format!("{e:?}"))?;
    let want: Vec<String> = (0..20).map(|i| format!("event-{i}")).collect();
    for d in &want {
        k.put_record().stream_name("rust-subscribe").partition_key("k").data(Blob::new(d.clone())).send().await
            .map_err(|e| format!("{e:?}"))?;
    }
    let mut got = Vec::new();
    while got.len() < want.len() {
        let ev = tokio::time::timeout(Duration::from_secs(20), sub.event_stream.recv()).await
            .map_err(|_| format!("no event within 20 s after {} records", got.len()))?
            .map_err(|e| format!("{e:?}"))?;
        match ev {
            Some(SubscribeToShardEventStream::SubscribeToShardEvent(e)) => {
                if e.continuation_sequence_number().is_empty() {
                    return Err("event without ContinuationSequenceNumber on an open shard".into());
                }
                for r in e.records() {
                    got.push(String::from_utf8(r.data().as_ref().to_vec()).unwrap());
                }
            }
            Some(_) => {}
            None => return Err(format!("stream ended after {} records", got.len())),
        }
    }
    if got != want {
        return Err(format!("events {got:?}, want {want:?}"));
    }
    Ok(())
}

async fn throttle(k: &Client, emu: &Emulator) -> Res {
    create_stream(k, "rust-throttle", 1).await?;
    let rule = emu.admin("POST", "/_emulator/faults",
        r#"{"plugin":"throttle","match":{"operation":"PutRecord","stream":"rust-throttle"},"count":2}"#);
    let id = Emulator::json_field(&rule, "id");
    k.put_record().stream_name("rust-throttle").partition_key("k").data(Blob::new("x")).send().await
        .map_err(|e| format!("the SDK should have retried the throttled attempts: {e:?}"))?;
    let fired = Emulator::json_field(&emu.admin("GET", &format!("/_emulator/faults/{id}"), ""), "fired");
    if fired != "2" {
        return Err(format!("fired {fired}, want 2"));
    }
    emu.admin("POST", "/_emulator/faults",
        r#"{"plugin":"throttle","match":{"operation":"PutRecord","stream":"rust-throttle"},"count":5}"#);
    match k.put_record().stream_name("rust-throttle").partition_key("k").data(Blob::new("x")).send().await {
        Err(e) if e.as_service_error().map_or(false, |s| s.is_provisioned_throughput_exceeded_exception()) => Ok(()),
        other => Err(format!("want ProvisionedThroughputExceededException, got {other:?}")),
    }
}

#[tokio::main]
async fn main() {
    let emu = Emulator::start();
    let k = client(&emu.endpoint);
    let mut passed = 0;
    let mut failed = 0;
    let results = [
        ("round-trip", round_trip(&k).await),
        ("subscribe-to-shard", subscribe(&k).await),
        ("throttle-fault", throttle(&k, &emu).await),
    ];
    for (name, r) in results {
        match r {
            Ok(()) => {
                passed += 1;
                println!("PASS rust-sdk/{name}");
            }
            Err(e) => {
                failed += 1;
                println!("FAIL rust-sdk/{name}: {e}");
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    drop(emu);
    std::process::exit(if failed == 0 { 0 } else { 1 });
}
