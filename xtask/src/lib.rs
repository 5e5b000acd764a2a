//! The regeneration path shared by `cargo xtask regen` and the freshness test: spec file
//! -> `codegen` (pure, its output already in rustfmt's layout) -> files.
//!
//! [`targets`] lists every spec and where its output goes: the user crate (`generated/`),
//! and one compiled crate per fixture spec and for Telnyx's upstream spec
//! (`tests/output/`). One path, [`generate_all`], with a `check` flag: the command
//! writes, the freshness test checks.

use std::fmt;
use std::path::{Path, PathBuf};
use std::{env, fs};

mod output;
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

/// Where the generated crate lives, relative to the root.
pub const CRATE_DIR: &str = "generated";
/// Where the compiled outputs of the fixture specs and of the upstream spec live.
pub const OUTPUT_DIR: &str = "tests/output";
/// The fixture specs, one per family of constructs.
pub const FIXTURE_DIR: &str = "tests/fixtures";
/// Telnyx's published spec for /messages, beside the project (never copied into it): the
/// generator's proving ground.
pub const UPSTREAM_SPEC: &str = "../shared/upstream/telnyx-messages-openapi-3.0.json";
/// The same in its OpenAPI 3.1 form, which the generator reads through its 3.0 form.
pub const UPSTREAM_SPEC_31: &str = "../shared/upstream/telnyx-messages-openapi-3.1.json";

/// The tests' dispatch module for the user crate (see `codegen::generate_dispatch`).
pub const DISPATCH_FILE: &str = "tests/support/generated/dispatch.rs";

/// One spec and where its output goes.
#[derive(Debug, Clone)]
pub struct Target {
    /// A short name: `telnyx-messaging`, `upstream`, or the fixture's file stem.
    pub name: String,
    /// The spec file.
    pub spec: PathBuf,
    /// The crate directory the output goes to, relative to the root.
    pub dir: String,
    /// The generator's settings for this spec.
    pub settings: codegen::Settings,
    /// Whether the whole crate (manifest and `lib.rs`) is generated around the output,
    /// with the runtime of `generated/src` included by path; false for the user crate.
    pub output_crate: bool,
    /// Where the tests' dispatch module for this crate goes, relative to the root: the
    /// user crate's, which the spec-derived tests call.
    pub dispatch: Option<String>,
}

/// The settings of the user crate's spec: its error schemas are the runtime's types.
pub fn crate_settings() -> codegen::Settings {
    codegen::Settings::default()
        .with_replacement("Errors", "crate::error::ErrorBody")
        .with_replacement("ErrorDetail", "crate::error::ErrorDetail")
        .with_replacement("ErrorSource", "crate::error::ErrorSource")
}

/// The settings of a fixture or of the upstream spec.
pub fn settings_for(name: &str) -> codegen::Settings {
    match name {
        "upstream" | "upstream31" => codegen::Settings::default()
            .with_replacement("messaging_Errors", "crate::error::ErrorBody")
            .with_replacement("messaging_Error", "crate::error::ErrorDetail"),
        // The fixture that shows a spec's error schemas mapped onto the runtime's.
        "responses" => codegen::Settings::default()
            .with_replacement("Errors", "crate::error::ErrorBody")
            .with_replacement("ErrorDetail", "crate::error::ErrorDetail"),
        _ => codegen::Settings::default(),
    }
}

/// Every target: the user crate, each fixture (sorted by name), and the upstream spec.
pub fn targets(root: &Path) -> Result<Vec<Target>, String> {
    let mut targets = vec![crate_target(root.join(DEFAULT_SPEC))];
    let fixture_dir = root.join(FIXTURE_DIR);
    let mut fixtures: Vec<PathBuf> = fs::read_dir(&fixture_dir)
        .map_err(|e| format!("cannot list {}: {e}", fixture_dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    fixtures.sort();
    for spec in fixtures {
        let name = spec
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| format!("{}: not a UTF-8 file name", spec.display()))?
            .to_owned();
        targets.push(output_target(name, spec));
    }
    targets.push(output_target(
        "upstream".to_owned(),
        root.join(UPSTREAM_SPEC),
    ));
    targets.push(output_target(
        "upstream31".to_owned(),
        root.join(UPSTREAM_SPEC_31),
    ));
    Ok(targets)
}

/// The user crate, generated from `spec`.
fn crate_target(spec: PathBuf) -> Target {
    Target {
        name: "telnyx-messaging".to_owned(),
        spec,
        dir: CRATE_DIR.to_owned(),
        settings: crate_settings(),
        output_crate: false,
        dispatch: Some(DISPATCH_FILE.to_owned()),
    }
}

/// The compiled output crate `name`, generated from `spec`.
fn output_target(name: String, spec: PathBuf) -> Target {
    Target {
        dir: format!("{OUTPUT_DIR}/{name}"),
        settings: settings_for(&name),
        name,
        spec,
        output_crate: true,
        dispatch: None,
    }
}

/// Regenerates the user crate from `spec` only (`cargo xtask regen --spec PATH`); with
/// `check`, writes nothing and fails listing every stale file. Paths in the report are
/// relative to the root.
///
/// Everything is generated and formatted in memory before the first write, so a broken
/// spec leaves every file as it was.
pub fn generate(root: &Path, spec: &Path, check: bool) -> Result<Vec<(String, FileState)>, String> {
    land(root, render(root, &crate_target(spec.to_owned()))?, check)
}

/// Regenerates every target ([`targets`]): all files land, or none does.
pub fn generate_all(root: &Path, check: bool) -> Result<Vec<(String, FileState)>, String> {
    let mut files = Vec::new();
    for target in targets(root)? {
        files.extend(render(root, &target)?);
    }
    land(root, files, check)
}

/// The files of one target, as (path relative to the root, contents). The generator lays
/// its Rust out as rustfmt would, so no formatter runs here.
pub fn render(root: &Path, target: &Target) -> Result<Vec<(String, String)>, String> {
    let text = fs::read_to_string(&target.spec)
        .map_err(|e| format!("cannot read {}: {e}", target.spec.display()))?;
    let failed = |e: codegen::error::CodegenError| format!("{}: {e}", target.spec.display());
    let (files, dispatch) = match &target.dispatch {
        Some(path) => {
            let (files, dispatch) =
                codegen::generate_with_dispatch(&text, &target.settings, "telnyx_messaging")
                    .map_err(failed)?;
            (files, Some((path.clone(), dispatch)))
        }
        None => (
            codegen::generate(&text, &target.settings).map_err(failed)?,
            None,
        ),
    };
    let mut out = Vec::new();
    for file in files {
        out.push((format!("{}/{}", target.dir, file.path), file.contents));
    }
    out.extend(dispatch);
    if target.output_crate {
        // The spec as the output's docs name it: relative to the root (`../shared/...`
        // for the upstream spec beside the project).
        let spec_label = target
            .spec
            .strip_prefix(root)
            .map_or_else(|_| target.name.clone(), |p| p.display().to_string());
        out.push((
            format!("{}/Cargo.toml", target.dir),
            output::manifest(root, &target.name, &spec_label)?,
        ));
        // Written in rustfmt's form already (its lines are `generated/src/lib.rs`'s,
        // which `cargo fmt --check` keeps formatted).
        out.push((
            format!("{}/src/lib.rs", target.dir),
            output::lib_rs(root, &target.dir, &spec_label)?,
        ));
    }
    Ok(out)
}

/// Compares `files` with what is on disk; writes the stale ones unless `check`.
fn land(
    root: &Path,
    files: Vec<(String, String)>,
    check: bool,
) -> Result<Vec<(String, FileState)>, String> {
    let stale: Vec<&(String, String)> = files
        .iter()
        .filter(|(path, contents)| {
            fs::read_to_string(root.join(path)).ok().as_deref() != Some(contents.as_str())
        })
        .collect();
    if check && !stale.is_empty() {
        let list: Vec<String> = stale.iter().map(|(path, _)| format!("  {path}")).collect();
        return Err(format!(
            "{} generated file(s) are stale; run `cargo xtask regen`:\n{}",
            stale.len(),
            list.join("\n")
        ));
    }
    if !check {
        // Every file, not only those found stale: under the writer's lock, a concurrent
        // regen may have changed any of them since.
        let all: Vec<(PathBuf, String)> = files
            .iter()
            .map(|(path, contents)| (root.join(path), contents.clone()))
            .collect();
        write::write_files(root, &all)?;
    }
    Ok(files
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

/// The list of differences from Telnyx's spec that ours makes on purpose.
pub const DRIFT_ALLOW_LIST: &str = "spec/drift-allow.txt";

/// Compares our spec with `upstream` (a local OpenAPI 3.0 or 3.1 file) through the
/// generator's model, judged against the allow-list ([`DRIFT_ALLOW_LIST`]).
pub fn drift(root: &Path, upstream: &Path) -> Result<codegen::drift::Report, String> {
    let read = |path: &Path| {
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let ours = codegen::parse::parse_with(&read(&root.join(DEFAULT_SPEC))?, &crate_settings())
        .map_err(|e| format!("{DEFAULT_SPEC}: {e}"))?;
    let theirs = codegen::parse::parse_with(&read(upstream)?, &settings_for("upstream"))
        .map_err(|e| format!("{}: {e}", upstream.display()))?;
    let allow_list = read(&root.join(DRIFT_ALLOW_LIST))?;
    Ok(codegen::drift::judge(
        codegen::drift::compare(&ours, &theirs),
        &allow_list,
    ))
}
