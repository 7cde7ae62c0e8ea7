//! Running the step tests of an exercise with cargo, and reading which
//! tests passed from libtest's output.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

use super::markers::{Step, STEPS};

/// How one test target went: test name to whether it passed. `None` if the
/// target did not run at all (it did not compile).
pub type Outcome = Option<BTreeMap<String, bool>>;

/// Builds every step's tests in `dir`. On failure, returns cargo's errors.
pub fn build_steps(dir: &Path, target_dir: Option<&Path>) -> Result<(), String> {
    build_tests_of(dir, target_dir, STEPS.iter())
}

/// Builds the tests of `steps` only (each is a binary to link).
pub fn build_tests_of<'a>(
    dir: &Path,
    target_dir: Option<&Path>,
    steps: impl Iterator<Item = &'a Step>,
) -> Result<(), String> {
    let mut cargo = cargo(dir, target_dir);
    cargo.args(["test", "--no-run", "--quiet"]);
    for step in steps {
        cargo.args(["--test", step.test]);
    }
    let output = cargo
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// Runs one step's test target and reads libtest's `test NAME ... ok` lines.
pub fn run_step(dir: &Path, target_dir: Option<&Path>, step: &Step) -> Outcome {
    let output = cargo(dir, target_dir)
        .args(["test", "--test", step.test])
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut results = BTreeMap::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        if let Some(name) = rest.strip_suffix(" ... ok") {
            results.insert(name.to_string(), true);
        } else if let Some(name) = rest.strip_suffix(" ... FAILED") {
            results.insert(name.to_string(), false);
        }
    }
    (!results.is_empty()).then_some(results)
}

pub fn cargo(dir: &Path, target_dir: Option<&Path>) -> Command {
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cargo.current_dir(dir);
    if let Some(target_dir) = target_dir {
        cargo.env("CARGO_TARGET_DIR", target_dir);
    }
    cargo
}

pub fn passed(results: &BTreeMap<String, bool>) -> usize {
    results.values().filter(|ok| **ok).count()
}
