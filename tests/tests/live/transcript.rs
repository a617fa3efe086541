//! Transcripts: every exchange of a scenario, normalized so that two runs
//! against different servers can be compared, one JSON object per line.
//!
//! Ids, the tenant, the workflow's name and times become placeholders that
//! keep equality: the first id seen is `<id:1>` wherever it appears again,
//! the first time `<time:1>`, and so on.

use std::{
    collections::{BTreeMap, HashMap},
    path::PathBuf,
};

use chrono::DateTime;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::target::Endpoint;
use crate::recorder::Exchange;
use crate::support::{query_pairs, sorted};

/// The committed recording the fake is held to: the directory under
/// `tests/live/transcripts/` named for the Hatchet it came from.
pub const REFERENCE: &str = "hatchet-89d130f";

/// Where the transcripts recorded from `source` live.
pub fn directory(source: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("live/transcripts")
        .join(source)
}

/// The scenario's exchanges, normalized.
pub fn normalize(exchanges: &[Exchange], endpoint: &Endpoint) -> Vec<Value> {
    let mut names = Placeholders::new(endpoint);
    exchanges
        .iter()
        .map(|exchange| names.exchange(exchange))
        .collect()
}

/// Writes a transcript as JSON lines.
pub fn write(path: &std::path::Path, transcript: &[Value]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let lines: Vec<String> = transcript
        .iter()
        .map(|line| serde_json::to_string(line).unwrap())
        .collect();
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

/// Reads a transcript written by [`write`].
pub fn read(path: &std::path::Path) -> std::io::Result<Vec<Value>> {
    let text = std::fs::read_to_string(path)?;
    Ok(text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).expect("transcript lines are JSON"))
        .collect())
}

struct Placeholders<'a> {
    tenant: String,
    workflow: &'a str,
    sync_workflow: String,
    ids: HashMap<String, usize>,
    times: HashMap<i128, usize>,
}

impl<'a> Placeholders<'a> {
    fn new(endpoint: &'a Endpoint) -> Self {
        Self {
            tenant: endpoint.tenant.to_string(),
            workflow: &endpoint.workflow,
            sync_workflow: super::target::sync_workflow(&endpoint.workflow),
            ids: HashMap::new(),
            times: HashMap::new(),
        }
    }

    fn exchange(&mut self, exchange: &Exchange) -> Value {
        let path: Vec<String> = exchange
            .path
            .split('/')
            .map(|segment| self.string(segment))
            .collect();
        let query: Vec<Value> = query_pairs(exchange.query.as_deref())
            .into_iter()
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((&pair, ""));
                Value::String(format!("{name}={}", self.string(value)))
            })
            .collect();
        let content_type = exchange
            .response_headers
            .get(axum::http::header::CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let request = self.body(&exchange.request);
        let response = self.body(&exchange.response);
        sorted(json!({
            "method": exchange.method,
            "path": path.join("/"),
            "query": query,
            "request": request,
            "status": exchange.status,
            "contentType": content_type,
            "response": response,
        }))
    }

    fn body(&mut self, bytes: &[u8]) -> Value {
        if bytes.is_empty() {
            return Value::Null;
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(value) => self.value(value),
            Err(_) => json!({ "text": self.string(&String::from_utf8_lossy(bytes)) }),
        }
    }

    fn value(&mut self, value: Value) -> Value {
        match value {
            Value::String(text) => Value::String(self.string(&text)),
            Value::Array(items) => Value::Array(items.into_iter().map(|v| self.value(v)).collect()),
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .map(|(key, value)| (key, self.value(value)))
                    .collect::<Map<_, _>>(),
            ),
            other => other,
        }
    }

    fn string(&mut self, text: &str) -> String {
        if text == self.workflow {
            return "<workflow>".into();
        }
        if text == self.sync_workflow {
            return "<sync-workflow>".into();
        }
        if let Ok(time) = DateTime::parse_from_rfc3339(text) {
            let nanos = i128::from(time.timestamp()) * 1_000_000_000
                + i128::from(time.timestamp_subsec_nanos());
            let next = self.times.len() + 1;
            return format!("<time:{}>", self.times.entry(nanos).or_insert(next));
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some((before, id, after)) = split_at_uuid(rest) {
            out.push_str(before);
            let id = id.to_ascii_lowercase();
            if id == self.tenant {
                out.push_str("<tenant>");
            } else {
                let next = self.ids.len() + 1;
                out.push_str(&format!("<id:{}>", self.ids.entry(id).or_insert(next)));
            }
            rest = after;
        }
        out.push_str(rest);
        out
    }
}

/// The first hyphenated UUID in `text`: what precedes it, it, what follows.
fn split_at_uuid(text: &str) -> Option<(&str, &str, &str)> {
    const SHAPE: &[usize] = &[8, 4, 4, 4, 12];
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(35)).find_map(|start| {
        let candidate = bytes.get(start..start + 36)?;
        let mut at = 0;
        for (group, &len) in SHAPE.iter().enumerate() {
            if group > 0 {
                (candidate[at] == b'-').then_some(())?;
                at += 1;
            }
            candidate[at..at + len]
                .iter()
                .all(u8::is_ascii_hexdigit)
                .then_some(())?;
            at += len;
        }
        Some((
            &text[..start],
            &text[start..start + 36],
            &text[start + 36..],
        ))
    })
}

/// A difference between the fake and Hatchet that is known and explained.
#[derive(Debug, Deserialize)]
pub struct Allowed {
    /// The scenario, or `*` for every one.
    pub scenario: String,
    /// A JSON pointer into the transcript (an array of exchanges); `*`
    /// matches any one segment, and a pointer covers everything below it.
    pub pointer: String,
    /// Why the difference is acceptable.
    pub reason: String,
}

/// The committed allow-list, `tests/live/allow-list.json`.
pub fn allow_list() -> Vec<Allowed> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("live/allow-list.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let allowed: Vec<Allowed> = serde_json::from_str(&text).unwrap();
    for entry in &allowed {
        assert!(!entry.reason.trim().is_empty(), "{entry:?} gives no reason");
    }
    allowed
}

/// Every difference between `fake` and `real` that the allow-list does not
/// explain, as `pointer: fake value != real value`.
pub fn unexplained(
    scenario: &str,
    fake: &[Value],
    real: &[Value],
    allowed: &[Allowed],
) -> Vec<String> {
    let (fake, real) = (leaves(fake), leaves(real));
    let pointers: std::collections::BTreeSet<&String> = fake.keys().chain(real.keys()).collect();
    pointers
        .into_iter()
        .filter(|pointer| fake.get(*pointer) != real.get(*pointer))
        .filter(|pointer| {
            !allowed.iter().any(|entry| {
                (entry.scenario == "*" || entry.scenario == scenario)
                    && covers(&entry.pointer, pointer)
            })
        })
        .map(|pointer| {
            let show = |side: &BTreeMap<String, Value>| {
                side.get(pointer)
                    .map_or("(absent)".to_owned(), Value::to_string)
            };
            format!("{pointer}: fake {} != hatchet {}", show(&fake), show(&real))
        })
        .collect()
}

/// Each leaf of the transcript by its JSON pointer; an empty object or
/// array is a leaf too, so `{}` and `[]` differ from absence.
fn leaves(transcript: &[Value]) -> BTreeMap<String, Value> {
    fn walk(pointer: String, value: &Value, out: &mut BTreeMap<String, Value>) {
        match value {
            Value::Object(map) if !map.is_empty() => {
                for (key, value) in map {
                    let key = key.replace('~', "~0").replace('/', "~1");
                    walk(format!("{pointer}/{key}"), value, out);
                }
            }
            Value::Array(items) if !items.is_empty() => {
                for (index, value) in items.iter().enumerate() {
                    walk(format!("{pointer}/{index}"), value, out);
                }
            }
            leaf => {
                out.insert(pointer, leaf.clone());
            }
        }
    }
    let mut out = BTreeMap::new();
    for (index, exchange) in transcript.iter().enumerate() {
        walk(format!("/{index}"), exchange, &mut out);
    }
    out
}

/// Whether the allowed `pattern` covers `pointer`: segment by segment,
/// `*` matching any, the pattern a prefix.
fn covers(pattern: &str, pointer: &str) -> bool {
    let pattern: Vec<&str> = pattern.split('/').collect();
    let pointer: Vec<&str> = pointer.split('/').collect();
    pattern.len() <= pointer.len()
        && pattern
            .iter()
            .zip(&pointer)
            .all(|(want, got)| *want == "*" || want == got)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_keep_equality() {
        let endpoint = Endpoint {
            base_url: String::new(),
            token: String::new(),
            tenant: uuid::Uuid::from_u128(7),
            workflow: "live-echo".into(),
        };
        let mut names = Placeholders::new(&endpoint);
        let a = "6E0BB1D4-3C43-4B9C-9A2F-5C2C0C8A1D11";
        let value = names.value(json!({
            "id": a,
            "again": a.to_ascii_lowercase(),
            "filter": format!("tag:{}", uuid::Uuid::from_u128(9)),
            "tenant": uuid::Uuid::from_u128(7).to_string(),
            "workflow": "live-echo",
            "at": "2040-01-01T00:00:00Z",
            "same": "2040-01-01T01:00:00+01:00",
            "later": "2040-01-01T00:00:00.5Z",
        }));
        assert_eq!(
            value,
            json!({
                "id": "<id:1>", "again": "<id:1>", "filter": "tag:<id:2>",
                "tenant": "<tenant>", "workflow": "<workflow>",
                "at": "<time:1>", "same": "<time:1>", "later": "<time:2>",
            })
        );
    }

    #[test]
    fn only_allowed_differences_pass() {
        let fake = [json!({"status": 200, "response": {"a": 1, "b": [1, 2]}})];
        let real = [json!({"status": 200, "response": {"a": 2, "b": [1]}})];
        let allowed = |pointer: &str| Allowed {
            scenario: "*".into(),
            pointer: pointer.into(),
            reason: "test".into(),
        };
        assert_eq!(
            unexplained("s", &fake, &real, &[]),
            [
                "/0/response/a: fake 1 != hatchet 2",
                "/0/response/b/1: fake 2 != hatchet (absent)"
            ]
        );
        let list = [allowed("/*/response/a"), allowed("/0/response/b")];
        assert!(unexplained("s", &fake, &real, &list).is_empty());
        assert_eq!(unexplained("s", &fake, &real, &list[..1]).len(), 1);
    }
}
