//! The regeneration path shared by `cargo xtask regen` and the freshness test: spec file
//! -> `codegen` (pure) -> rustfmt -> `generated/src/`.
//!
//! One function, [`generate`], with a `check` flag: the command writes, the test checks.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::{env, fs};

mod write;

/// The spec `cargo xtask regen` reads when no `--spec` is given, relative to the root.
pub const DEFAULT_SPEC: &str = "spec/messaging.yaml";

/// The workspace root (xtask/ sits directly under it).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// What happened to one generated file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileState {
    /// Already identical to the generator's output.
    Unchanged,
    /// Rewritten (regen) or found stale (check).
    Written,
}

impl fmt::Display for FileState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileState::Unchanged => "unchanged",
            FileState::Written => "written",
        })
    }
}

/// Regenerates `generated/src/*` from `spec`; with `check`, writes nothing and fails
/// listing every stale file.
///
/// Everything is generated and formatted in memory before the first write, so a broken
/// spec (or a failing rustfmt) leaves every file as it was.
pub fn generate(root: &Path, spec: &Path, check: bool) -> Result<Vec<(String, FileState)>, String> {
    let text =
        fs::read_to_string(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let files = codegen::generate(&text, &codegen::Settings::default())
        .map_err(|e| format!("{}: {e}", spec.display()))?;
    let mut formatted = Vec::new();
    for file in files {
        let contents =
            rustfmt(&file.contents).map_err(|e| format!("generated/{}: {e}", file.path))?;
        formatted.push((file.path, contents));
    }

    let crate_dir = root.join("generated");
    let stale: Vec<&(String, String)> = formatted
        .iter()
        .filter(|(path, contents)| {
            fs::read_to_string(crate_dir.join(path)).ok().as_deref() != Some(contents.as_str())
        })
        .collect();
    if check && !stale.is_empty() {
        let list: Vec<String> = stale
            .iter()
            .map(|(path, _)| format!("  generated/{path}"))
            .collect();
        return Err(format!(
            "{} generated file(s) are stale; run `cargo xtask regen`:\n{}",
            stale.len(),
            list.join("\n")
        ));
    }
    if !check {
        write_all(&crate_dir, &stale)?;
    }
    Ok(formatted
        .iter()
        .map(|(path, _)| {
            let state = if stale.iter().any(|(p, _)| p == path) {
                FileState::Written
            } else {
                FileState::Unchanged
            };
            (path.clone(), state)
        })
        .collect())
}

/// Writes every file so that all of them land or none does, serialized with any other
/// regen of the same tree by a lock (see the `write` module for what holds on an error, a
/// crash and under concurrency).
fn write_all(dir: &Path, files: &[&(String, String)]) -> Result<(), String> {
    let root = dir.parent().unwrap_or(dir);
    let files: Vec<(PathBuf, String)> = files
        .iter()
        .map(|(path, contents)| (dir.join(path), contents.clone()))
        .collect();
    write::write_files(root, &files)
}

/// Formats Rust source with the toolchain's rustfmt, exactly as `cargo fmt` would format
/// the committed file (edition 2024, default settings).
pub fn rustfmt(source: &str) -> Result<String, String> {
    let rustfmt = env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".to_owned());
    let mut child = Command::new(&rustfmt)
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!("cannot start {rustfmt} (install it with `rustup component add rustfmt`): {e}")
        })?;
    let mut stdin = child.stdin.take().ok_or("rustfmt has no stdin")?;
    let input = source.to_owned();
    // Feed stdin from a thread: a large file would otherwise deadlock on full pipes.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt failed: {e}"))?;
    writer
        .join()
        .map_err(|_| "rustfmt input thread panicked".to_owned())?
        .map_err(|e| format!("cannot feed rustfmt: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt output is not UTF-8: {e}"))
}
