//! `cargo xtask`: the project's commands. File I/O and process handling only; the
//! generator itself is the pure `codegen` library.
//!
//! - `cargo xtask regen [--check]`: regenerate `generated/src/{types,operations}.rs` from
//!   `spec/messaging.yaml`, and the compiled outputs of the fixture specs and of the
//!   upstream spec under `tests/output/`; `--spec PATH` regenerates `generated/` only, from
//!   another spec.
//! - `cargo xtask test`: install the Node test tools if needed, then run every test.
//! - `cargo xtask drift [--upstream PATH]`: how our spec differs from Telnyx's.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::{env, fs};

const USAGE: &str = "usage:
  cargo xtask regen [--check]                 regenerate generated/ from spec/messaging.yaml, and tests/output/
                                             from the fixture specs and the upstream spec; --check writes
                                             nothing and fails if a file is stale
  cargo xtask regen --spec PATH [--check]     regenerate generated/ only, from another spec
  cargo xtask test                            install the Node test tools (npm ci) if needed, then run every test
  cargo xtask drift [--upstream PATH]         compare spec/messaging.yaml with Telnyx's spec (default: the 3.1
                                             file in ../shared/upstream/), field by field; exit 1 when a
                                             difference is not in spec/drift-allow.txt";

/// See the dependency's note in `Cargo.toml`: the generator allocates many small tokens.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("regen") => regen(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("drift") => drift(&args[1..]),
        Some("-h" | "--help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown or missing command\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn regen(args: &[String]) -> Result<(), String> {
    let root = xtask::workspace_root();
    let mut spec = None;
    let mut check = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--spec" => {
                let path = rest.next().ok_or("--spec needs a path")?;
                spec = Some(PathBuf::from(path));
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let report = match &spec {
        Some(spec) => xtask::generate(&root, spec, check)?,
        None => xtask::generate_all(&root, check)?,
    };
    if check {
        println!("{} generated file(s) up to date", report.len());
        return Ok(());
    }
    for (path, state) in report {
        println!("{path}: {state}");
    }
    Ok(())
}

/// Compares our spec with an upstream file (no network) and prints the differences.
fn drift(args: &[String]) -> Result<(), String> {
    let root = xtask::workspace_root();
    let mut upstream = root.join(xtask::UPSTREAM_SPEC_31);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--upstream" => upstream = PathBuf::from(rest.next().ok_or("--upstream needs a path")?),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let report = xtask::drift(&root, &upstream)?;
    print!("{}", report.render(xtask::DRIFT_ALLOW_LIST));
    if report.clean() {
        Ok(())
    } else {
        Err(format!(
            "{} has differences that {} does not list",
            upstream.display(),
            xtask::DRIFT_ALLOW_LIST
        ))
    }
}

/// The README's test command: makes sure the pinned Node tools are installed, then runs
/// the whole workspace's tests (unit, snapshot, doctests and the Prism contract tests).
fn test(args: &[String]) -> Result<(), String> {
    let root = xtask::workspace_root();
    let tools = root.join("tests");
    let stamp = tools.join("node_modules/.package-lock.json");
    let lock = tools.join("package-lock.json");
    let fresh = match (
        fs::metadata(&stamp).and_then(|m| m.modified()),
        fs::metadata(&lock).and_then(|m| m.modified()),
    ) {
        (Ok(installed), Ok(locked)) => installed >= locked,
        _ => false,
    };
    if !fresh {
        println!("xtask: installing the Node test tools (npm ci in tests/)");
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&tools))?;
    }
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut child = Command::new(cargo)
        .args(["test", "--workspace"])
        .args(args)
        .current_dir(&root)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start cargo test: {e}"))?;
    // Pass the output through while adding up every test binary's result line, so the
    // run ends with one total instead of the last binary's (often empty) count.
    let (mut passed, mut failed) = (0u64, 0u64);
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|e| format!("cannot read cargo test output: {e}"))?;
            println!("{line}");
            if let Some(result) = line.strip_prefix("test result: ") {
                passed += count(result, "passed");
                failed += count(result, "failed");
            }
        }
    }
    let status = child.wait().map_err(|e| format!("cargo test: {e}"))?;
    println!("\nsummary: {passed} passed, {failed} failed");
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo test failed ({status})"))
    }
}

/// The number before `word` in a libtest result line (`ok. 16 passed; 0 failed; ...`).
fn count(result: &str, word: &str) -> u64 {
    result
        .split([';', '.'])
        .filter_map(|part| part.trim().strip_suffix(word))
        .filter_map(|n| n.trim().parse::<u64>().ok())
        .sum()
}

fn run(command: &mut Command) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("cannot start {:?}: {e}", command.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed ({status})", command.get_program()))
    }
}
