//! Streaming memory, measured in child processes.

use std::{env, process::Command};

use crate::{STREAM_KEEP_VAR, STREAM_ROWS_VAR, fixtures};

/// What one child process reported.
pub struct StreamMemory {
    pub rows: u64,
    pub before_kib: u64,
    pub peak_kib: u64,
    pub rows_per_s: f64,
}

/// Runs this binary again to stream `rows` rows in a fresh process,
/// `repeats` times; the run with the median peak.
pub fn stream_memory(rows: u64, keep: bool, repeats: usize) -> Option<StreamMemory> {
    let exe = env::current_exe().ok()?;
    let mut reports: Vec<StreamMemory> = (0..repeats)
        .filter_map(|_| {
            let mut command = Command::new(&exe);
            command.env(STREAM_ROWS_VAR, rows.to_string());
            if keep {
                command.env(STREAM_KEEP_VAR, "1");
            }
            let output = command.output().ok()?;
            let stdout = String::from_utf8_lossy(&output.stdout);
            let line = stdout.lines().find(|l| l.starts_with("stream-memory "))?;
            let field = |name: &str| -> Option<f64> {
                line.split_whitespace()
                    .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('=')?.parse().ok())
            };
            Some(StreamMemory {
                rows: field("rows")? as u64,
                before_kib: field("before_kib")? as u64,
                peak_kib: field("peak_kib")? as u64,
                rows_per_s: field("rows_per_s")?,
            })
        })
        .filter(|report| report.rows == rows && report.peak_kib > 0)
        .collect();
    reports.sort_by_key(|report| report.peak_kib);
    let mid = reports.len() / 2;
    (!reports.is_empty()).then(|| reports.swap_remove(mid))
}

/// The child's side: stream, print one parseable line.
pub fn stream_child(rows: &str) {
    let rows: u64 = rows.parse().expect("a row count");
    let report = if env::var_os(STREAM_KEEP_VAR).is_some() {
        fixtures::collect_rows(rows)
    } else {
        fixtures::stream_rows(rows)
    };
    println!(
        "stream-memory rows={} before_kib={} peak_kib={} rows_per_s={:.0}",
        report.rows,
        report.rss_before_kib,
        report.peak_rss_kib,
        report.rows as f64 / report.elapsed.as_secs_f64()
    );
}
