//! `cargo xtask` entry point. See `cargo xtask help`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use xtask::{
    DEFAULT_OPERATIONS, FULL_OUT, Selection, Target, check, default_targets, kind, msrv,
    workspace_root,
};

const USAGE: &str = "\
usage:
  cargo xtask gen --from <contract> [--verbose]
      Normalize a Hatchet OpenAPI contract (a multi-file tree by its entry
      openapi.yaml, or one bundled YAML/JSON file) into
      openapi/hatchet.json (the operations in openapi/operations.txt) and
      openapi/hatchet-full.json (every operation), and their copies in
      hatchet-rest-gen/openapi/, which that crate ships. Nothing is
      written unless progenitor generates a client from both.
  cargo xtask gen --from <contract> --out <file> [--all] [--verbose]
      Write one document: the listed operations, or every one with --all.
  cargo xtask gen --check [--from <contract>] [--out <file> [--all]]
      Fail with a diff if a document is not what `gen` would write (from
      <contract>, or from the document itself), if progenitor cannot
      generate a client from it, or (without --out) if hatchet-rest-gen's
      copy differs from it.
  cargo xtask msrv
      Fail if a package that a published crate builds with (normal and
      build dependencies in Cargo.lock, per `cargo metadata`) declares a
      newer rust-version than that crate.

options (gen):
  --from <path>   contract to read
  --out <path>    the one document to write (gen) or compare (--check)
  --all           with --out: keep every operation instead of those in
                  openapi/operations.txt
  --verbose, -v   print every JSON pointer each step touched
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
    let list = args
        .operations
        .unwrap_or_else(|| root.join(DEFAULT_OPERATIONS));
    let targets = match args.out {
        Some(out) => vec![Target {
            out,
            copy: None,
            selection: if args.all {
                Selection::All
            } else {
                xtask::read_selection(&list)?
            },
        }],
        None if args.all => {
            bail!("`--all` needs `--out`: without it, `gen` writes every operation to {FULL_OUT}")
        }
        None => default_targets(&root, &list)?,
    };
    if args.check {
        for target in &targets {
            let out = &target.out;
            check::check(out, args.from.as_deref(), &target.selection)?;
            println!(
                "{} is up to date and progenitor generates from it",
                out.display()
            );
            if let Some(copy) = &target.copy {
                check::check_copy(out, copy)?;
                println!("{} is the same document", copy.display());
            }
        }
        return Ok(());
    }
    let Some(from) = args.from else {
        bail!("`gen` needs `--from <contract>`\n\n{USAGE}");
    };
    let imported = xtask::import(&from, &targets, args.skip_progenitor)?;
    for (target, normalized) in targets.iter().zip(&imported) {
        let out = &target.out;
        if targets.len() > 1 {
            println!("{}:", out.display());
        }
        for report in &normalized.reports {
            if args.verbose {
                for pointer in &report.touched {
                    println!("{}: {pointer}", report.name);
                }
            } else {
                println!("{}: {} touched", report.name, report.touched.len());
            }
        }
        write(out, &normalized.json)?;
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
        if let Some(copy) = &target.copy {
            write(copy, &normalized.json)?;
            println!("wrote {}", copy.display());
        }
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
