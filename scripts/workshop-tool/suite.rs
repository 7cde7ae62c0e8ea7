//! The whole test suite, step by step: which steps each test needs, and
//! how every test went in one `cargo test` run.
//!
//! The workshop promises that once step N's tests pass, every test of the
//! suite that needs only steps 1 to N passes too. For that, each test says
//! which steps it needs, with a tag line:
//!
//! ```text
//! //@ passes from step 5
//! ```
//!
//! At the top of a file in `tests/`, the tag covers the whole file (every
//! such file needs one). Right above a `#[test]` (its doc comment and other
//! attributes may come between), it covers that one test. A unit test in
//! `src/` without a tag needs no step at all. A step's own test target
//! (`tests/step03_commands.rs`) needs its step, and no tag.
//!
//! `verify` runs each test at the stage of its tag, where it must pass,
//! and at the stage before, where a step's own tests must fail (see
//! `judge_stage`). `check` runs the tests a learner's steps promise.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, File};
use std::path::Path;
use std::process::Stdio;

use super::exercise::{read, rust_files, GENERATOR_TESTS};
use super::markers::{step, step_list, MARKER, STEPS};
use super::step_tests::cargo;

/// A test binary of the crate: the library's unit tests, or a file in `tests/`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    Lib,
    Test(String),
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Lib => write!(f, "src (unit tests)"),
            Target::Test(name) => write!(f, "tests/{name}.rs"),
        }
    }
}

/// One test of the suite and the step it needs (0: none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuiteTest {
    pub target: Target,
    /// For a unit test, the module path of its file (`commands::keys`),
    /// which starts its name in libtest's report; empty for `tests/`.
    pub module: String,
    pub name: String,
    pub step: u8,
}

/// How one test went in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Failed,
    /// It passed without running: a tool it needs is not installed.
    Skipped,
}

/// The tag a `//@ passes from step N` line gives, if `line` is one.
fn tag_of(line: &str) -> Option<Result<u8, String>> {
    let body = line.trim().strip_prefix(MARKER)?.trim();
    let number = body.strip_prefix("passes from step ")?.trim();
    Some(
        number
            .parse::<u8>()
            .ok()
            .filter(|n| *n == 0 || step(*n).is_some())
            .ok_or_else(|| {
                format!(
                    "`{}`: a step is 0 (none) or one of {}",
                    line.trim(),
                    step_list()
                )
            }),
    )
}

/// The tests in one source file, with their tags: `default` for a test that
/// has none and is in a file without one. A tag line right above a
/// `#[test]` (with only comments and attributes between) is the test's own.
pub fn tagged_tests(
    source: &str,
    default: Option<u8>,
) -> Result<Vec<(String, Option<u8>)>, String> {
    let lines: Vec<&str> = source.lines().collect();
    let mut file_tag = None;
    let mut pending = None; // a tag waiting for its #[test]
    let mut tests = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index].trim();
        index += 1;
        if let Some(tag) = tag_of(line) {
            let tag = tag.map_err(|e| format!("line {index}: {e}"))?;
            let next_item = lines[index..]
                .iter()
                .map(|l| l.trim())
                .find(|l| !(l.starts_with("//") || (l.starts_with("#[") && *l != "#[test]")));
            if next_item == Some("#[test]") {
                pending = Some(tag);
            } else if file_tag.replace(tag).is_some() {
                return Err(format!("line {index}: a second tag for the whole file"));
            }
            continue;
        }
        if line != "#[test]" {
            continue;
        }
        let name = lines[index..]
            .iter()
            .find_map(|l| {
                let rest = l.trim().strip_prefix("fn ")?;
                Some(rest.split(['(', '<']).next()?.trim().to_string())
            })
            .ok_or_else(|| format!("line {index}: a #[test] with no fn after it"))?;
        tests.push((name, pending.take().or(file_tag).or(default)));
    }
    Ok(tests)
}

/// Every test of the suite at `root` (the repository or an exercise), with
/// the step it needs. A file in `tests/` without a tag is an error.
pub fn suite_tests(root: &Path) -> Result<Vec<SuiteTest>, Vec<String>> {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let src = root.join("src");
    for relative in rust_files(&src).map_err(|e| vec![e])? {
        let source = read(&src.join(&relative)).map_err(|e| vec![e])?;
        let module = relative
            .with_extension("")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("::");
        let module = match module.as_str() {
            "lib" => String::new(),
            "main" => continue, // the binary's: it has no tests
            other => other.trim_end_matches("::mod").to_string(),
        };
        match tagged_tests(&source, Some(0)) {
            Ok(tests) => found.extend(tests.into_iter().map(|(name, step)| SuiteTest {
                target: Target::Lib,
                module: module.clone(),
                name,
                step: step.unwrap_or(0),
            })),
            Err(e) => errors.push(format!("src/{}: {e}", relative.display())),
        }
    }
    let tests_dir = root.join("tests");
    for relative in rust_files(&tests_dir).map_err(|e| vec![e])? {
        let file = relative.to_string_lossy().into_owned();
        if relative.components().count() > 1 || GENERATOR_TESTS.contains(&file.as_str()) {
            continue; // helpers in a folder, or the tool's own tests
        }
        let stem = file.trim_end_matches(".rs").to_string();
        let source = read(&tests_dir.join(&relative)).map_err(|e| vec![e])?;
        let own_step = STEPS.iter().find(|s| s.test == stem).map(|s| s.number);
        match tagged_tests(&source, own_step) {
            Ok(tests) => {
                for (name, step) in tests {
                    match step {
                        Some(step) => found.push(SuiteTest {
                            target: Target::Test(stem.clone()),
                            module: String::new(),
                            name,
                            step,
                        }),
                        None => {
                            let error = format!(
                                "tests/{file} has tests without a tag; add `{MARKER} passes from step N` \
                                 at the top of the file (N: the last step they need)"
                            );
                            if !errors.contains(&error) {
                                errors.push(error);
                            }
                        }
                    }
                }
            }
            Err(e) => errors.push(format!("tests/{file}: {e}")),
        }
    }
    if errors.is_empty() {
        Ok(found)
    } else {
        Err(errors)
    }
}

/// The results of one run, by target and test name.
pub type Results = BTreeMap<(Target, String), Outcome>;

/// Which tests [`run_suite`] runs.
pub enum Selection<'a> {
    /// The unit tests and every test target.
    Everything,
    /// Whole targets, built and run by one cargo.
    Targets(Vec<Target>),
    /// These tests only.
    Tests(&'a [SuiteTest]),
}

/// Runs `cargo test` in `dir` (never the doc tests) and reads how each test
/// went. `Err` holds cargo's output when the crate did not build.
pub fn run_suite(
    dir: &Path,
    target_dir: Option<&Path>,
    selection: Selection,
) -> Result<Results, String> {
    let log_path = target_dir
        .unwrap_or(&dir.join("target"))
        .join("workshop-suite.log");
    if let Some(parent) = log_path.parent() {
        fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    let mut results = Results::new();
    let selector = |target: &Target| match target {
        Target::Lib => vec!["--lib".to_string()],
        Target::Test(name) => vec!["--test".to_string(), name.clone()],
    };
    let mut runs: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    match selection {
        Selection::Everything => runs.push((vec!["--tests".into()], Vec::new())),
        Selection::Targets(targets) => {
            runs.push((targets.iter().flat_map(selector).collect(), Vec::new()));
        }
        Selection::Tests(tests) => {
            let mut by_target: BTreeMap<&Target, Vec<String>> = BTreeMap::new();
            for test in tests {
                by_target
                    .entry(&test.target)
                    .or_default()
                    .push(test.name.clone());
            }
            for (target, names) in by_target {
                runs.push((selector(target), names));
            }
        }
    }
    for (selector, names) in runs {
        // One file for both streams keeps cargo's `Running` lines in order
        // with the tests' own output.
        let log = File::create(&log_path).map_err(|e| e.to_string())?;
        let log_err = log.try_clone().map_err(|e| e.to_string())?;
        let status = cargo(dir, target_dir)
            .args(["test", "--no-fail-fast"])
            .args(&selector)
            .arg("--")
            .args(&names)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let output = read(&log_path)?;
        let before = results.len();
        read_results(&output, &mut results);
        if !status.success() && results.len() == before {
            return Err(output);
        }
    }
    Ok(results)
}

/// Reads libtest's lines (`test NAME ... ok`) under cargo's `Running` lines,
/// and the `test NAME ... skipped: why` lines of tests whose tools are missing.
fn read_results(output: &str, results: &mut Results) {
    let mut target = None;
    for line in output.lines() {
        let trimmed = line.trim();
        if let Some(rest) = trimmed.strip_prefix("Running ") {
            target = if rest.starts_with("unittests src/lib.rs") {
                Some(Target::Lib)
            } else if let Some(file) = rest.strip_prefix("tests/") {
                file.split(".rs")
                    .next()
                    .map(|f| Target::Test(f.to_string()))
            } else {
                None // the binary's unit tests: there are none
            };
            continue;
        }
        let (Some(target), Some(rest)) = (&target, trimmed.strip_prefix("test ")) else {
            continue;
        };
        let Some((name, verdict)) = rest.split_once(" ... ") else {
            continue;
        };
        let key = (target.clone(), name.to_string());
        let outcome = if verdict.starts_with("skipped") {
            Outcome::Skipped
        } else if verdict == "ok" {
            if results.get(&key) == Some(&Outcome::Skipped) {
                continue;
            }
            Outcome::Passed
        } else if verdict == "FAILED" {
            Outcome::Failed
        } else {
            continue; // ignored
        };
        results.insert(key, outcome);
    }
}

/// The outcome of `test` in `results`; a test that did not run failed.
/// libtest names a test by its module path, which the source does not
/// spell out: `storage::tests::works` is the `works` of `src/storage.rs`.
pub fn outcome(results: &Results, test: &SuiteTest) -> Outcome {
    let suffix = format!("::{}", test.name);
    results
        .iter()
        .find(|((target, name), _)| {
            *target == test.target
                && (*name == test.name
                    || (name.ends_with(&suffix) && name.starts_with(&test.module)))
        })
        .map_or(Outcome::Failed, |(_, outcome)| *outcome)
}
