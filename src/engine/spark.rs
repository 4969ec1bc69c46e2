//! A small Spark Connect client (feature `spark`): the part of the
//! protocol `verify --engine spark` needs. A query is an `ExecutePlan`
//! call whose plan is a SQL relation; its result comes back as Arrow IPC
//! batches in a stream of responses. The messages are written here by
//! hand (the fields used, with the numbers of Spark's `base.proto` and
//! `relations.proto`, package `spark.connect`): no protoc, no generated
//! code.

use std::time::Duration;

use arrow_array::{Array, LargeStringArray, StringArray};
use tonic::codegen::http::uri::PathAndQuery;
use tonic::transport::{Channel, Endpoint};

use super::remote::SqlRunner;

/// `spark.connect.ExecutePlanRequest` (the fields sent).
#[derive(Clone, PartialEq, prost::Message)]
struct ExecutePlanRequest {
    #[prost(string, tag = "1")]
    session_id: String,
    #[prost(message, optional, tag = "2")]
    user_context: Option<UserContext>,
    #[prost(message, optional, tag = "3")]
    plan: Option<Plan>,
    #[prost(string, optional, tag = "4")]
    client_type: Option<String>,
}

/// `spark.connect.UserContext`.
#[derive(Clone, PartialEq, prost::Message)]
struct UserContext {
    #[prost(string, tag = "1")]
    user_id: String,
    #[prost(string, tag = "2")]
    user_name: String,
}

/// `spark.connect.Plan` with its `root` relation (`oneof op_type`).
#[derive(Clone, PartialEq, prost::Message)]
struct Plan {
    #[prost(message, optional, tag = "1")]
    root: Option<Relation>,
}

/// `spark.connect.Relation` with its `sql` relation (`oneof rel_type`).
#[derive(Clone, PartialEq, prost::Message)]
struct Relation {
    #[prost(message, optional, tag = "10")]
    sql: Option<Sql>,
}

/// `spark.connect.SQL`.
#[derive(Clone, PartialEq, prost::Message)]
struct Sql {
    #[prost(string, tag = "1")]
    query: String,
}

/// `spark.connect.ExecutePlanResponse` (the fields read; others skipped).
#[derive(Clone, PartialEq, prost::Message)]
struct ExecutePlanResponse {
    #[prost(string, tag = "1")]
    session_id: String,
    #[prost(message, optional, tag = "2")]
    arrow_batch: Option<ArrowBatch>,
}

/// `spark.connect.ExecutePlanResponse.ArrowBatch`.
#[derive(Clone, PartialEq, prost::Message)]
struct ArrowBatch {
    #[prost(int64, tag = "1")]
    row_count: i64,
    #[prost(bytes = "vec", tag = "2")]
    data: Vec<u8>,
}

const EXECUTE_PLAN: &str = "/spark.connect.SparkConnectService/ExecutePlan";

/// Attempts of a query when the server is unavailable (reads only, so a
/// retry is safe).
const ATTEMPTS: usize = 3;

/// A session with a Spark Connect server.
pub struct SparkConnect {
    rt: tokio::runtime::Runtime,
    channel: Channel,
    session: String,
    remote: String,
    timeout: Duration,
}

/// `http://HOST:PORT` for `sc://HOST:PORT[/;params]`.
pub fn endpoint_of(remote: &str) -> Result<String, String> {
    let rest = remote
        .strip_prefix("sc://")
        .ok_or_else(|| format!("`{remote}` is not a Spark Connect address (`sc://HOST:PORT`)"))?;
    let hostport = rest.split(['/', ';']).next().unwrap_or("");
    if hostport.is_empty() {
        return Err(format!("`{remote}` names no host"));
    }
    let with_port = if hostport
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
    {
        hostport.to_string()
    } else {
        format!("{hostport}:15002")
    };
    Ok(format!("http://{with_port}"))
}

/// A random session id in the form of a UUID (version 4).
fn session_id() -> String {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    let mut bytes = [0u8; 16];
    for (i, chunk) in bytes.chunks_mut(8).enumerate() {
        let mut h = RandomState::new().build_hasher();
        h.write_usize(i);
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        h.write_u32(std::process::id());
        chunk.copy_from_slice(&h.finish().to_le_bytes());
    }
    if let Some(b) = bytes.get_mut(6) {
        *b = (*b & 0x0f) | 0x40;
    }
    if let Some(b) = bytes.get_mut(8) {
        *b = (*b & 0x3f) | 0x80;
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let part = |a: usize, b: usize| hex.get(a..b).unwrap_or("").to_string();
    format!(
        "{}-{}-{}-{}-{}",
        part(0, 8),
        part(8, 12),
        part(12, 16),
        part(16, 20),
        part(20, 32)
    )
}

impl SparkConnect {
    /// Connect to `remote` (`sc://HOST:PORT`); every call is bounded by
    /// `timeout`.
    pub fn connect(remote: &str, timeout: Duration) -> Result<SparkConnect, String> {
        let url = endpoint_of(remote)?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the client's runtime: {e}"))?;
        let endpoint = Endpoint::from_shared(url)
            .map_err(|e| format!("`{remote}`: {e}"))?
            .connect_timeout(timeout.min(Duration::from_secs(30)))
            .timeout(timeout);
        let channel = rt
            .block_on(endpoint.connect())
            .map_err(|e| format!("cannot connect to {remote}: {}", error_chain(&e)))?;
        Ok(SparkConnect {
            rt,
            channel,
            session: session_id(),
            remote: remote.to_string(),
            timeout,
        })
    }

    /// What one call needs, owned (a call may run beside others).
    fn call(&self) -> Call {
        Call {
            channel: self.channel.clone(),
            session: self.session.clone(),
            remote: self.remote.clone(),
            timeout: self.timeout,
        }
    }

    /// Run a SQL relation; the Arrow IPC streams of its batches.
    fn run(&mut self, query: &str) -> Result<Vec<Vec<u8>>, String> {
        let call = self.call();
        self.rt.block_on(call.run(query.to_string()))
    }
}

/// One call's channel, session, address and deadline.
#[derive(Clone)]
struct Call {
    channel: Channel,
    session: String,
    remote: String,
    timeout: Duration,
}

impl Call {
    /// Run a SQL relation, again (at most [`ATTEMPTS`] times in all) while
    /// the server is unavailable.
    async fn run(self, query: String) -> Result<Vec<Vec<u8>>, String> {
        let mut last = String::new();
        for attempt in 0..ATTEMPTS {
            match self.run_once(&query).await {
                Ok(v) => return Ok(v),
                Err((e, retry)) => {
                    last = e;
                    if !retry {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(200 << attempt)).await;
                }
            }
        }
        Err(last)
    }

    async fn run_once(&self, query: &str) -> Result<Vec<Vec<u8>>, (String, bool)> {
        let req = ExecutePlanRequest {
            session_id: self.session.clone(),
            user_context: Some(UserContext {
                user_id: "factcheck".into(),
                user_name: "factcheck".into(),
            }),
            plan: Some(Plan {
                root: Some(Relation {
                    sql: Some(Sql {
                        query: query.to_string(),
                    }),
                }),
            }),
            client_type: Some(format!("factcheck/{}", env!("CARGO_PKG_VERSION"))),
        };
        let mut grpc = tonic::client::Grpc::new(self.channel.clone());
        let codec = tonic_prost::ProstCodec::<ExecutePlanRequest, ExecutePlanResponse>::default();
        let remote = self.remote.clone();
        let timeout = self.timeout;
        let status = |s: tonic::Status| {
            let retry = s.code() == tonic::Code::Unavailable;
            // The channel's own deadline (the same as ours) says so in
            // its words: said as ours is.
            if s.code() == tonic::Code::Cancelled && s.message().contains("Timeout expired") {
                return (
                    format!("no answer from {remote} within {} s", timeout.as_secs()),
                    false,
                );
            }
            let msg = s.message().lines().next().unwrap_or("").to_string();
            (format!("{} ({:?} from {remote})", msg, s.code()), retry)
        };
        let fut = async {
            grpc.ready()
                .await
                .map_err(|e| (format!("{remote} is not ready: {}", error_chain(&e)), true))?;
            let mut stream = grpc
                .server_streaming(
                    tonic::Request::new(req),
                    PathAndQuery::from_static(EXECUTE_PLAN),
                    codec,
                )
                .await
                .map_err(status)?
                .into_inner();
            let mut out = Vec::new();
            while let Some(msg) = stream.message().await.map_err(status)? {
                if let Some(b) = msg.arrow_batch {
                    out.push(b.data);
                }
            }
            Ok(out)
        };
        match tokio::time::timeout(timeout, fut).await {
            Ok(r) => r,
            Err(_) => Err((
                format!(
                    "no answer from {} within {} s",
                    self.remote,
                    timeout.as_secs()
                ),
                false,
            )),
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(x) = src {
        s.push_str(": ");
        s.push_str(&x.to_string());
        src = x.source();
    }
    s
}

/// The texts of the first column of Arrow IPC streams, in order.
fn texts(batches: &[Vec<u8>]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for data in batches {
        let reader = arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(data), None)
            .map_err(|e| format!("unreadable result: {e}"))?;
        for batch in reader {
            let batch = batch.map_err(|e| format!("unreadable result: {e}"))?;
            if batch.num_columns() != 1 {
                return Err(format!(
                    "a result of {} columns where one was expected",
                    batch.num_columns()
                ));
            }
            let column = batch.column(0);
            let any = column.as_any();
            if let Some(a) = any.downcast_ref::<StringArray>() {
                out.extend((0..a.len()).map(|i| a.value(i).to_string()));
            } else if let Some(a) = any.downcast_ref::<LargeStringArray>() {
                out.extend((0..a.len()).map(|i| a.value(i).to_string()));
            } else {
                return Err(format!(
                    "a result of type {} where text was expected",
                    column.data_type()
                ));
            }
        }
    }
    Ok(out)
}

impl SqlRunner for SparkConnect {
    fn execute(&mut self, sql: &str) -> Result<(), String> {
        self.run(sql).map(|_| ())
    }

    fn query_text(&mut self, sql: &str) -> Result<String, String> {
        one_text(&self.run(sql)?)
    }

    /// The queries sent together, at most four at a time: the
    /// server plans and compiles one while it runs another.
    fn query_texts(&mut self, sqls: &[String]) -> Vec<Result<String, String>> {
        let call = self.call();
        self.rt.block_on(async {
            let mut out = Vec::with_capacity(sqls.len());
            for chunk in sqls.chunks(CONCURRENT) {
                let handles: Vec<_> = chunk
                    .iter()
                    .map(|q| tokio::spawn(call.clone().run(q.clone())))
                    .collect();
                for h in handles {
                    out.push(match h.await {
                        Ok(r) => r.and_then(|b| one_text(&b)),
                        Err(e) => Err(format!("the call failed: {e}")),
                    });
                }
            }
            out
        })
    }
}

/// Most queries a run sends at once.
const CONCURRENT: usize = 4;

/// The one text of a one-row, one-column result.
fn one_text(batches: &[Vec<u8>]) -> Result<String, String> {
    let rows = texts(batches)?;
    match rows.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!("{} rows where one was expected", rows.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(
            endpoint_of("sc://127.0.0.1:15002").as_deref(),
            Ok("http://127.0.0.1:15002")
        );
        assert_eq!(
            endpoint_of("sc://localhost/;user_id=x").as_deref(),
            Ok("http://localhost:15002")
        );
        assert!(endpoint_of("http://x:1").is_err());
        assert!(endpoint_of("sc://").is_err());
    }

    #[test]
    fn session_ids_are_uuids() {
        let s = session_id();
        assert_eq!(s.len(), 36);
        assert_eq!(s.chars().nth(14), Some('4'));
        assert_ne!(s, session_id());
    }
}
