//! The generated crate's examples, built as a user builds them.

use std::path::PathBuf;

/// Builds the example `name` of the generated crate with `features` (a no-op when it is
/// up to date) and returns the path of its binary.
pub async fn example_binary(name: &str, features: &[&str]) -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = tokio::process::Command::new(cargo);
    command.args([
        "build",
        "--quiet",
        "-p",
        "telnyx-messaging",
        "--example",
        name,
        "--message-format=json",
    ]);
    if !features.is_empty() {
        command.args(["--features", &features.join(",")]);
    }
    let output = command
        .output()
        .await
        .unwrap_or_else(|error| panic!("cannot build example {name}: {error}"));
    assert!(
        output.status.success(),
        "building example {name} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Cargo reports the binary it built (or found fresh) as a compiler-artifact message.
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| {
            message["reason"] == "compiler-artifact" && message["target"]["name"] == name
        })
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .unwrap_or_else(|| panic!("cargo did not report the binary of example {name}"))
}
