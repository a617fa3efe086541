//! `cargo xtask` entry point. See `cargo xtask help`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use xtask::{
    DEFAULT_OPERATIONS, DEFAULT_OUT, SHIPPED_COPY, Selection, check, generate, kind, msrv,
    workspace_root,
};

const USAGE: &str = "\
usage:
  cargo xtask gen --from <contract> [--all] [--verbose] [--out <file>]
      Normalize a Hatchet OpenAPI contract (a multi-file tree by its entry
      openapi.yaml, or one bundled YAML/JSON file) into <file>
      (default: openapi/hatchet.json in the workspace root, and its copy
      hatchet-rest-gen/openapi/hatchet.json, which that crate ships).
  cargo xtask gen --check [--from <contract>] [--all] [--out <file>]
      Fail with a diff if <file> is not what `gen` would write (from
      <contract>, or from <file> itself), if progenitor cannot generate
      a client from it, or (without --out) if hatchet-rest-gen's copy
      differs from it.
  cargo xtask msrv
      Fail if a package that a published crate builds with (normal and
      build dependencies in Cargo.lock, per `cargo metadata`) declares a
      newer rust-version than that crate.

options (gen):
  --from <path>   contract to read
  --all           keep every operation instead of those in openapi/operations.txt
  --verbose, -v   print every JSON pointer each step touched
  --out <path>    document to write (gen) or compare (--check)
  --check         compare instead of writing
";

struct Args {
    from: Option<PathBuf>,
    out: Option<PathBuf>,
    operations: Option<PathBuf>,
    all: bool,
    verbose: bool,
    check: bool,
    skip_progenitor: bool,
}

enum Task {
    Gen(Args),
    Msrv,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Task>> {
    match args.next().as_deref() {
        Some("gen") => {}
        Some("msrv") => {
            return match args.next() {
                None => Ok(Some(Task::Msrv)),
                Some(other) => bail!("unknown argument `{other}`\n\n{USAGE}"),
            };
        }
        Some("help" | "--help" | "-h") | None => return Ok(None),
        Some(other) => bail!("unknown command `{other}`\n\n{USAGE}"),
    }
    let mut parsed = Args {
        from: None,
        out: None,
        operations: None,
        all: false,
        verbose: false,
        check: false,
        skip_progenitor: false,
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .map(PathBuf::from)
                .with_context(|| format!("`{name}` needs a value"))
        };
        match arg.as_str() {
            "--from" => parsed.from = Some(value("--from")?),
            // `--file` is a hidden alias of `--out`, natural for `--check`.
            "--out" | "--file" => parsed.out = Some(value(&arg)?),
            // Hidden: an operation list other than openapi/operations.txt.
            "--operations" => parsed.operations = Some(value("--operations")?),
            "--all" => parsed.all = true,
            "--verbose" | "-v" => parsed.verbose = true,
            "--check" => parsed.check = true,
            // Hidden, for debugging a new upstream: write even if progenitor fails.
            "--skip-progenitor" => parsed.skip_progenitor = true,
            "--help" | "-h" => return Ok(None),
            other => bail!("unknown argument `{other}`\n\n{USAGE}"),
        }
    }
    Ok(Some(Task::Gen(parsed)))
}

fn run_msrv() -> Result<()> {
    for published in msrv::check(&msrv::metadata()?)? {
        let newest = match &published.newest {
            Some((version, who)) => format!("{version} ({})", who.join(", ")),
            None => "none".to_owned(),
        };
        println!(
            "{}: rust-version {}; newest declared by a dependency: {newest}",
            published.name, published.rust_version
        );
    }
    Ok(())
}

fn run(args: Args) -> Result<()> {
    let root = workspace_root();
    // The default document has a copy that hatchet-rest-gen builds from.
    let copy = args.out.is_none().then(|| root.join(SHIPPED_COPY));
    let out = args.out.unwrap_or_else(|| root.join(DEFAULT_OUT));
    let selection = if args.all {
        Selection::All
    } else {
        let list = args
            .operations
            .unwrap_or_else(|| root.join(DEFAULT_OPERATIONS));
        xtask::read_selection(&list)?
    };
    if args.check {
        check::check(&out, args.from.as_deref(), &selection)?;
        println!(
            "{} is up to date and progenitor generates from it",
            out.display()
        );
        if let Some(copy) = copy {
            check::check_copy(&out, &copy)?;
            println!("{} is the same document", copy.display());
        }
        return Ok(());
    }
    let Some(from) = args.from else {
        bail!("`gen` needs `--from <contract>`\n\n{USAGE}");
    };
    let normalized = xtask::normalize(&from, &selection)?;
    for report in &normalized.reports {
        if args.verbose {
            for pointer in &report.touched {
                println!("{}: {pointer}", report.name);
            }
        } else {
            println!("{}: {} touched", report.name, report.touched.len());
        }
    }
    if !args.skip_progenitor {
        generate::generate(&normalized.doc)?;
    }
    write(&out, &normalized.json)?;
    let schemas = normalized
        .doc
        .pointer("/components/schemas")
        .and_then(|s| s.as_object())
        .map_or(0, |s| s.len());
    println!(
        "wrote {} ({} operations, {schemas} schemas)",
        out.display(),
        kind::operations(&normalized.doc).len()
    );
    if let Some(copy) = &copy {
        write(copy, &normalized.json)?;
        println!("wrote {}", copy.display());
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create `{}`", dir.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("cannot write `{}`", path.display()))
}

fn main() -> ExitCode {
    match parse_args(std::env::args().skip(1)) {
        Ok(None) => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Some(task)) => {
            let result = match task {
                Task::Gen(args) => run(args),
                Task::Msrv => run_msrv(),
            };
            if let Err(e) = result {
                eprintln!("error: {e:#}");
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
