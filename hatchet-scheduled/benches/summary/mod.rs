//! The summary: interleaved rounds, medians, ratios, targets.

use std::{
    future::Future,
    hint::black_box,
    time::{Duration, Instant},
};

use hatchet_rest_gen::types as rest;
use hatchet_scheduled::bench_support;
use tokio::runtime::Runtime;

use crate::{
    BURST_CALLS, Bench, CONSTRUCTION_TARGET, IN_FLIGHT, MEMORY_GROWTH_LIMIT_KIB, Op, Side,
    THROUGHPUT_TARGET, burst, constructions, memory::stream_memory,
};

/// Issue 15's targets against the fast server: the facade's share of each
/// reference's throughput.
const FLOOR_TARGET: f64 = 0.95;
const FLOOR_WITH_TIMEOUTS_TARGET: f64 = 0.97;
const UNTYPED_LIST_TARGET: f64 = 1.0;
const CREATE_BODY_TARGET: f64 = 0.9;

/// How long the summary runs and how hard. Many short rounds, each
/// variant in turn, so that the machine's slow swings (other processes,
/// frequency) hit every variant alike and drop out of the per-round ratios.
struct Plan {
    rounds: usize,
    round_time: Duration,
    burst_calls: usize,
    burst_rounds: usize,
    constructions: usize,
    stream_rows: [u64; 2],
    stream_repeats: usize,
}

impl Plan {
    fn new(full: bool) -> Self {
        if full {
            Self {
                rounds: 101,
                round_time: Duration::from_millis(4),
                burst_calls: BURST_CALLS,
                burst_rounds: 9,
                constructions: 101,
                stream_rows: [10_000, 100_000],
                stream_repeats: 3,
            }
        } else {
            Self {
                rounds: 1,
                round_time: Duration::from_millis(5),
                burst_calls: 200,
                burst_rounds: 1,
                constructions: 3,
                stream_rows: [1_000, 2_000],
                stream_repeats: 1,
            }
        }
    }
}

/// Something timed: run it `n` times, get the wall time.
type Runner<'a> = Box<dyn FnMut(u64) -> Duration + 'a>;

/// One variant's figures over all rounds, per operation.
#[derive(Debug, Clone)]
struct Stats {
    wall_ns: f64,
    /// CPU time of the calling thread (the client's only thread).
    cpu_ns: Option<f64>,
    /// Median, 25th and 75th percentile over rounds of the reference's time
    /// over this variant's time in the same round: this variant's share of
    /// the reference's throughput.
    share: [f64; 3],
    /// Wall time per operation in each round, in round order, for paired
    /// ratios against any other variant.
    rounds: Vec<f64>,
}

impl Stats {
    /// Median, 25th and 75th percentile over rounds of `reference`'s time
    /// over this variant's time in the same round.
    fn share_of(&self, reference: &Stats) -> [f64; 3] {
        let mut ratios: Vec<f64> = (reference.rounds.iter().zip(&self.rounds))
            .map(|(r, v)| r / v)
            .collect();
        [0.5, 0.25, 0.75].map(|p| percentile(&mut ratios, p))
    }
}

/// Runs every variant `rounds` times, interleaved (the first variant to go
/// rotates), `n` operations a round; the first variant is the reference
/// for `share`. `per_run` operations make one unit of `n`.
fn measure(plan: &Plan, n: u64, per_run: u64, variants: &mut [Runner<'_>]) -> Vec<Stats> {
    let ops = (n * per_run) as f64;
    let mut wall = vec![Vec::new(); variants.len()];
    let mut cpu = vec![Vec::new(); variants.len()];
    let mut share = vec![Vec::new(); variants.len()];
    for round in 0..plan.rounds.max(1) {
        let mut this_round = vec![0.0; variants.len()];
        for k in 0..variants.len() {
            let i = (round + k) % variants.len();
            let cpu_before = thread_cpu_ns();
            let took = variants[i](n);
            if let (Some(before), Some(after)) = (cpu_before, thread_cpu_ns()) {
                cpu[i].push(after.saturating_sub(before) as f64 / ops);
            }
            this_round[i] = took.as_secs_f64() * 1e9 / ops;
            wall[i].push(this_round[i]);
        }
        for i in 0..variants.len() {
            share[i].push(this_round[0] / this_round[i]);
        }
    }
    (0..variants.len())
        .map(|i| Stats {
            rounds: wall[i].clone(),
            wall_ns: percentile(&mut wall[i], 0.5),
            cpu_ns: (cpu[i].len() == wall[i].len()).then(|| percentile(&mut cpu[i], 0.5)),
            share: [0.5, 0.25, 0.75].map(|p| percentile(&mut share[i], p)),
        })
        .collect()
}

/// Like [`measure`], with `n` chosen so a round of the first variant takes
/// about `plan.round_time`.
fn measure_calibrated(plan: &Plan, variants: &mut [Runner<'_>]) -> Vec<Stats> {
    let mut n = 1;
    let n = loop {
        let took = variants[0](n);
        if took >= plan.round_time / 4 || n >= 1 << 24 {
            let per_op = took.as_secs_f64() / n as f64;
            break ((plan.round_time.as_secs_f64() / per_op) as u64).max(1);
        }
        n *= 2;
    };
    for variant in variants.iter_mut().skip(1) {
        variant(n.div_ceil(4)); // warm up (and open connections)
    }
    measure(plan, n, 1, variants)
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    let rank = p * (values.len().max(1) - 1) as f64;
    let (low, high) = (rank.floor() as usize, rank.ceil() as usize);
    values[low] + (values[high] - values[low]) * (rank - low as f64)
}

/// CPU time the calling thread has used, from `/proc/thread-self/schedstat`
/// (Linux); `None` elsewhere.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

fn timed_async<'a, Fut: Future<Output = usize>>(
    rt: &'a Runtime,
    op: impl Fn() -> Fut + 'a,
) -> Runner<'a> {
    Box::new(move |n| {
        rt.block_on(async {
            let started = Instant::now();
            for _ in 0..n {
                black_box(op().await);
            }
            started.elapsed()
        })
    })
}

fn timed<'a, T>(op: impl Fn() -> T + 'a) -> Runner<'a> {
    Box::new(move |n| {
        let started = Instant::now();
        for _ in 0..n {
            black_box(op());
        }
        started.elapsed()
    })
}

pub fn summary(bench: &Bench, full: bool) {
    let plan = Plan::new(full);
    let rt = &bench.rt;
    let mut report = Report::default();
    let canned = &bench.canned;
    report.note(
        "canned answers",
        format!(
            "one run {} B, 50-row page {} B, 500-row page {} B",
            canned.one.len(),
            canned.list50.len(),
            canned.list500.len()
        ),
    );

    report.note("canned server", format!("{:?}", bench.server));
    for op in Op::ALL {
        let mut variants: Vec<Runner<'_>> = Side::ALL
            .into_iter()
            .map(|side| timed_async(rt, move || bench.call(side, op)))
            .collect();
        let stats = measure_calibrated(&plan, &mut variants);
        report.compare(op.name(), "floor", &stats);
        report.sides(op, "sequential", &stats);
    }

    for (op, calls) in [
        (Op::Create, plan.burst_calls),
        (Op::Get, plan.burst_calls),
        (Op::List50, plan.burst_calls / 5),
    ] {
        // Each burst must get every answer it asked for, in the smoke run too.
        let checked_burst = move |side| async move {
            let answered = burst(calls, move || bench.call(side, op)).await;
            assert_eq!(answered, calls * op.rows(), "{side:?} {op:?} burst");
            answered
        };
        let mut variants: Vec<Runner<'_>> = Side::ALL
            .into_iter()
            .map(|side| timed_async(rt, move || checked_burst(side)))
            .collect();
        for variant in &mut variants {
            variant(1); // warm up: opens the connections
        }
        let burst_plan = Plan {
            rounds: plan.burst_rounds,
            ..Plan::new(full)
        };
        let stats = measure(&burst_plan, 1, calls as u64, &mut variants);
        if op == Op::Create {
            report.compare(
                &format!("create, {calls} calls {IN_FLIGHT} in flight"),
                "floor",
                &stats,
            );
        }
        report.sides(op, &format!("{IN_FLIGHT} in flight"), &stats);
    }

    let stats = measure_calibrated(
        &plan,
        &mut [
            timed_async(rt, || bench.facade(Op::Get)),
            timed(|| bench.blocking.get(bench.run_id).expect("get")),
        ],
    );
    report.compare("get, blocking client", "async", &stats);

    let body = bench.canned.list500.clone();
    let stats = measure_calibrated(
        &plan,
        &mut [
            timed(|| {
                serde_json::from_slice::<rest::ScheduledWorkflowsList>(black_box(&body))
                    .expect("decodes")
            }),
            timed(|| bench_support::decode_page(black_box(&body), 0).expect("decodes")),
        ],
    );
    report.compare("decode 500-row page (no I/O)", "floor", &without_cpu(stats));

    let stats = measure_calibrated(
        &plan,
        &mut [
            timed(|| bench.floor_create_body()),
            timed(|| bench.facade_create_body()),
        ],
    );
    report.compare(
        "build create body (no I/O)",
        "floor",
        &without_cpu(stats.clone()),
    );
    let share = stats[1].share_of(&stats[0]);
    report.fast_target(
        "build create body (no I/O)",
        "floor",
        share,
        CREATE_BODY_TARGET,
    );

    let stats = measure_calibrated(
        &plan,
        &mut [
            timed(|| bench.floor.list_request(black_box(&bench.floor_filter))),
            timed(|| bench_support::list_query(black_box(&bench.filter)).expect("valid")),
        ],
    );
    report.note(
        "list filter -> query (facade's part of building a list request)",
        format!(
            "{} per call; for scale, the floor's whole hand-built list request (URL, query, \
             headers) takes {}",
            fmt_ns(stats[1].wall_ns),
            fmt_ns(stats[0].wall_ns)
        ),
    );

    for (name, construct) in constructions(&bench.config) {
        let mut times: Vec<f64> = (0..plan.constructions)
            .map(|_| {
                let started = Instant::now();
                construct();
                started.elapsed().as_secs_f64() * 1e9
            })
            .collect();
        let median = percentile(&mut times, 0.5);
        let value = format!(
            "median {} over {} (p10 {}, p90 {})",
            fmt_ns(median),
            plan.constructions,
            fmt_ns(percentile(&mut times, 0.1)),
            fmt_ns(percentile(&mut times, 0.9)),
        );
        if name == "ScheduledClient::new" {
            report.target(
                name,
                value,
                "< 1 ms",
                median < CONSTRUCTION_TARGET.as_secs_f64() * 1e9,
            );
        } else {
            report.note(name, value);
        }
    }

    let first = bench.first_construction.as_secs_f64() * 1e9;
    report.target(
        "ScheduledClient::new, the first in the process",
        fmt_ns(first),
        "< 1 ms",
        first < CONSTRUCTION_TARGET.as_secs_f64() * 1e9,
    );

    let [small, large] = plan.stream_rows;
    let streams = [small, large].map(|rows| stream_memory(rows, false, plan.stream_repeats));
    match streams {
        [Some(a), Some(b)] => {
            for stream in [&a, &b] {
                report.note(
                    &format!("stream {} rows", stream.rows),
                    format!(
                        "peak RSS {} KiB ({} KiB before streaming), {:.0} rows/s",
                        stream.peak_kib, stream.before_kib, stream.rows_per_s
                    ),
                );
            }
            if let Some(kept) = stream_memory(small, true, 1) {
                report.note(
                    &format!("collect {} rows into a Vec (control)", kept.rows),
                    format!("peak RSS {} KiB", kept.peak_kib),
                );
            }
            let growth = b.peak_kib.saturating_sub(a.peak_kib);
            report.target(
                "streaming peak memory growth",
                format!("{growth} KiB more for {}x the rows", b.rows / a.rows.max(1)),
                "< 4 MiB",
                growth < MEMORY_GROWTH_LIMIT_KIB,
            );
        }
        _ => report.note(
            "stream memory",
            "not measured (no /proc/self/status?)".into(),
        ),
    }

    report.print(&plan, full);
}

/// Drops the CPU figures of work that never blocks: the scheduler updates
/// a thread's CPU time on switches and ticks, so without switches the
/// figure is only tick-accurate (and equals the wall time anyway).
fn without_cpu(stats: Vec<Stats>) -> Vec<Stats> {
    stats
        .into_iter()
        .map(|s| Stats { cpu_ns: None, ..s })
        .collect()
}

fn fmt_ns(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// The summary's tables and notes.
#[derive(Default)]
struct Report {
    targets: Vec<[String; 6]>,
    cpu: Vec<[String; 5]>,
    notes: Vec<(String, String)>,
    failures: usize,
    /// The facade against each reference, per operation and mode, and the
    /// generated client alone against the floor with timeouts.
    sides: Vec<[String; 7]>,
    /// Verdicts on the fast-server targets.
    fast: Vec<String>,
    fast_failures: usize,
}

impl Report {
    /// A comparison: `stats[0]` is the reference (`versus`), `stats[1]`
    /// the facade, `stats[2]` if any the generated client alone.
    fn compare(&mut self, name: &str, versus: &str, stats: &[Stats]) {
        let (reference, facade) = (&stats[0], &stats[1]);
        let share = facade.share;
        let holds = share[0] >= THROUGHPUT_TARGET;
        self.failures += usize::from(!holds);
        self.targets.push([
            name.to_owned(),
            fmt_ns(facade.wall_ns),
            format!("{} ({versus})", fmt_ns(reference.wall_ns)),
            format!("{:.3}", 1.0 / share[0]),
            format!(
                "{:.1} % [{:.1}–{:.1}]",
                share[0] * 100.0,
                share[1] * 100.0,
                share[2] * 100.0
            ),
            if holds { "yes" } else { "NO" }.to_owned(),
        ]);
        let cpu = |s: Option<&Stats>| match s.and_then(|s| s.cpu_ns) {
            Some(ns) => fmt_ns(ns),
            None => "-".into(),
        };
        if let (Some(a), Some(b)) = (facade.cpu_ns, reference.cpu_ns) {
            self.cpu.push([
                name.to_owned(),
                cpu(Some(reference)),
                cpu(stats.get(2)),
                cpu(Some(facade)),
                format!("{:.3}", a / b),
            ]);
        }
    }

    /// The facade against every reference of [`Side::ALL`] (`stats` in that
    /// order), with the fast-server targets that apply to `op`.
    fn sides(&mut self, op: Op, mode: &str, stats: &[Stats]) {
        let of = |side: Side| {
            let at = Side::ALL.iter().position(|s| *s == side).expect("a side");
            &stats[at]
        };
        let share = |side: Side| of(Side::Facade).share_of(of(side));
        // The facade must send through the generated client, so this is
        // as close to the floor with timeouts as the facade can come.
        let generated = of(Side::Generated).share_of(of(Side::FloorTimeouts));
        let cell =
            |[median, low, high]: [f64; 3]| format!("{:.3} [{:.3}–{:.3}]", median, low, high);
        self.sides.push([
            format!("{} {mode}", op.name()),
            fmt_ns(of(Side::Facade).wall_ns),
            cell(share(Side::Floor)),
            cell(share(Side::FloorTimeouts)),
            cell(share(Side::FloorUntyped)),
            cell(share(Side::Generated)),
            cell(generated),
        ]);
        let name = format!("{} {mode}", op.name());
        match op {
            Op::Create => {
                self.fast_target(&name, "floor", share(Side::Floor), FLOOR_TARGET);
                let with_timeouts = share(Side::FloorTimeouts);
                self.fast_target(
                    &name,
                    "floor with timeouts",
                    with_timeouts,
                    FLOOR_WITH_TIMEOUTS_TARGET,
                );
                self.fast.push(format!(
                    "  (the generated client alone, which the facade sends through: {} \
                     of the floor with timeouts)",
                    cell(generated)
                ));
            }
            Op::Get => self.fast_target(&name, "floor", share(Side::Floor), FLOOR_TARGET),
            Op::List50 | Op::List500 => {
                let untyped = share(Side::FloorUntyped);
                self.fast_target(&name, "untyped floor", untyped, UNTYPED_LIST_TARGET);
                self.fast_target(&name, "typed floor", share(Side::Floor), FLOOR_TARGET);
            }
            // Issue 15 sets no targets for crons; the table reports them.
            Op::CronCreate | Op::CronList => {}
        }
    }

    /// A target of the fast-server mode: `share` (median, p25, p75) of
    /// `versus`'s throughput, at least `target`.
    fn fast_target(&mut self, name: &str, versus: &str, share: [f64; 3], target: f64) {
        let holds = share[0] >= target;
        self.fast_failures += usize::from(!holds);
        self.fast.push(format!(
            "{name} vs {versus}: {:.3} [{:.3}–{:.3}], target >= {target:.2}: {}",
            share[0],
            share[1],
            share[2],
            if holds { "holds" } else { "DOES NOT HOLD" }
        ));
    }

    fn target(&mut self, name: &str, value: String, target: &str, holds: bool) {
        self.failures += usize::from(!holds);
        let verdict = if holds { "holds" } else { "DOES NOT HOLD" };
        self.notes.push((
            name.to_owned(),
            format!("{value}; target {target}: {verdict}"),
        ));
    }

    fn note(&mut self, name: &str, value: String) {
        self.notes.push((name.to_owned(), value));
    }

    fn print(&self, plan: &Plan, full: bool) {
        println!();
        if !full {
            println!("(smoke run without --bench: a few calls each, figures meaningless)");
        }
        println!(
            "== hatchet-scheduled summary: medians over {} interleaved rounds of about {} ms \
             each ({} rounds of one burst for the concurrent calls), per call ==",
            plan.rounds,
            plan.round_time.as_millis(),
            plan.burst_rounds
        );
        println!(
            "facade and floor: median times; ratios: paired, round by round (reference time / \
             facade time = the facade's share of the reference's throughput), median \
             [p25–p75] over rounds; target: facade >= {:.0} % of the floor",
            THROUGHPUT_TARGET * 100.0
        );
        print_table(
            [
                "operation",
                "facade",
                "floor (reference)",
                "facade/floor",
                "throughput vs floor",
                "holds",
            ],
            &self.targets,
        );
        println!();
        println!(
            "client-thread CPU per call (median; the reference is the floor, or the async \
             client for the blocking row):"
        );
        print_table(
            [
                "operation",
                "floor",
                "generated client alone",
                "facade",
                "facade/floor CPU",
            ],
            &self.cpu,
        );
        println!();
        println!(
            "the facade's share of each reference's throughput, and the generated client's \
             share of the floor with timeouts (paired per round; median [p25–p75]):"
        );
        print_table(
            [
                "operation",
                "facade",
                "vs floor",
                "vs floor + timeouts",
                "vs untyped floor",
                "vs generated",
                "generated vs floor + timeouts",
            ],
            &self.sides,
        );
        println!();
        println!("fast-server targets (they apply with HATCHET_BENCH_SERVER=raw):");
        for line in &self.fast {
            println!("  {line}");
        }
        match self.fast_failures {
            0 => println!("  all fast-server targets hold"),
            n => println!("  {n} fast-server target(s) do not hold"),
        }
        println!();
        for (name, value) in &self.notes {
            println!("{name}: {value}");
        }
        println!();
        match self.failures {
            0 => println!("all targets hold"),
            n => println!("{n} target(s) do not hold"),
        }
    }
}

fn print_table<const N: usize>(header: [&str; N], rows: &[[String; N]]) {
    let widths: Vec<usize> = (0..N)
        .map(|i| {
            rows.iter()
                .map(|row| row[i].chars().count())
                .chain([header[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let mut out = format!("{:<w$}", cells[0], w = widths[0]);
        for (cell, width) in cells.iter().zip(&widths).skip(1) {
            out.push_str(&format!("  {cell:>width$}"));
        }
        println!("{}", out.trim_end());
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}
