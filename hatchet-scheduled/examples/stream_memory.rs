//! Streams every row of a large listing and reports peak memory, to show
//! that streaming holds one page at a time, not the whole listing.
//!
//! ```text
//! cargo run --release --example stream_memory -- 100000
//! ```
//!
//! An in-process server answers a canned listing of N schedules (default
//! 100 000), 500 per page; the example streams them all through
//! `client.list().limit(500).stream()`, counting them, then prints the count
//! and its own peak resident memory (`VmHWM` from `/proc/self/status`, so
//! Linux only). Run it for two sizes: the peak should not grow with N.
//! `--collect` keeps every row in a `Vec` instead, for contrast: then it
//! does. `BENCHMARKS.md` has the figures.

use std::process::ExitCode;

#[path = "../benches/fixtures/mod.rs"]
mod fixtures;

fn main() -> ExitCode {
    let mut rows = 100_000;
    let mut collect = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--collect" => collect = true,
            number => match number.replace('_', "").parse() {
                Ok(n) => rows = n,
                Err(_) => {
                    eprintln!("usage: stream_memory [ROWS] [--collect]   (ROWS default 100000)");
                    return ExitCode::FAILURE;
                }
            },
        }
    }
    let report = if collect {
        fixtures::collect_rows(rows)
    } else {
        fixtures::stream_rows(rows)
    };
    println!("rows streamed:        {}", report.rows);
    println!(
        "time:                 {:.2} s ({:.0} rows/s)",
        report.elapsed.as_secs_f64(),
        report.rows as f64 / report.elapsed.as_secs_f64()
    );
    println!("RSS before streaming: {} KiB", report.rss_before_kib);
    println!("peak RSS (VmHWM):     {} KiB", report.peak_rss_kib);
    if report.rows == rows {
        ExitCode::SUCCESS
    } else {
        eprintln!("expected {rows} rows");
        ExitCode::FAILURE
    }
}
