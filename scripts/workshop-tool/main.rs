//! `scripts/workshop`: makes the learner's exercise from the finished code,
//! tells the learner where they stand, and proves the steps in CI.
//! See scripts/README.md for the commands and the marker syntax.
//!
//! The shell wrapper compiles this file with `rustc` and runs it with the
//! project's root as the first argument.

/// `println!` for output that may go to a closed pipe (`workshop check | head`):
/// a reader that stopped listening is not an error worth a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

pub mod docs;
pub mod drive;
pub mod exercise;
pub mod markers;
pub mod step_tests;
pub mod suite;
pub mod verify;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{self, Command};

use docs::check_docs_command;
use exercise::{has_work, regions_to_write, rust_files, write_exercise};
use markers::{Step, STEPS};
use step_tests::{build_steps, passed, run_step};
use suite::{outcome, run_suite, suite_tests, Outcome, Selection, SuiteTest, Target};
use verify::verify_command;

const USAGE: &str = "\
Usage: scripts/workshop COMMAND [ARGS]

Commands:
  init [DIR] [--force] [--solved N]
                      write the exercise crate (default DIR: ./exercise); with
                      --solved N, steps 1..N come already written
  check [DIR]         run the step tests in DIR and say what to do next
  diff [DIR] [FILE]   show how DIR's FILE (default: every changed file in
                      src/) differs from the finished code
  verify              prove every step: for N = 0..9, the exercise with steps
                      1..N solved compiles, their tests pass, later ones fail
  check-docs          check that lectures and docs quote real code, link to
                      real files and headings, and name real test targets,
                      and that each lecture's Japanese twin keeps its blocks";

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect("the wrapper passes the project root"));
    let args: Vec<String> = args.collect();
    let result = match args.first().map(String::as_str) {
        Some("init") => init_command(&root, &args[1..]),
        Some("check") => check_command(&root, &args[1..]),
        Some("diff") => diff_command(&root, &args[1..]),
        Some("verify") if args.len() == 1 => verify_command(&root),
        Some("check-docs") if args.len() == 1 => check_docs_command(&root),
        Some("help" | "--help" | "-h") => {
            say!("{USAGE}");
            Ok(true)
        }
        _ => Err(format!("{USAGE}\n")),
    };
    match result {
        Ok(true) => {}
        Ok(false) => process::exit(1),
        Err(message) => {
            eprintln!("workshop: {}", message.trim_end());
            process::exit(2);
        }
    }
}

/// The exercise directory: the argument, or `exercise` beside `src/`.
fn exercise_dir(root: &Path, arg: Option<&String>) -> PathBuf {
    arg.map_or_else(|| root.join("exercise"), PathBuf::from)
}

// ---------------------------------------------------------------- init

fn init_command(root: &Path, args: &[String]) -> Result<bool, String> {
    let mut dir = None;
    let mut force = false;
    let mut solved = 0u8;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--force" => force = true,
            "--solved" => {
                let n = args.next().ok_or("--solved needs a step number")?;
                solved = n
                    .parse()
                    .ok()
                    .filter(|n| *n <= markers::last_step())
                    .ok_or_else(|| {
                        format!("--solved takes 0 to {}, not {n}", markers::last_step())
                    })?;
            }
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            _ if dir.is_none() => dir = Some(arg),
            _ => return Err(format!("unexpected argument {arg}")),
        }
    }
    let dir = exercise_dir(root, dir);
    if has_work(&dir) && !force {
        return Err(format!(
            "{} already has work in it; add --force to rewrite its src/ and tests/",
            dir.display()
        ));
    }
    let cut_count = write_exercise(root, &dir, solved)?;
    say!(
        "Wrote the exercise to {} ({cut_count} regions to write).",
        dir.display()
    );
    match STEPS.iter().find(|s| s.number > solved) {
        Some(next) => say!(
            "Start with step {}: read {}, then\n  cd {} && cargo test --test {}",
            next.number,
            next.lecture,
            dir.display(),
            next.test
        ),
        None => say!("Every step is already written: cargo test runs them all."),
    }
    Ok(true)
}

// ---------------------------------------------------------------- check

fn check_command(root: &Path, args: &[String]) -> Result<bool, String> {
    if args.len() > 1 {
        return Err(format!("check takes one directory, not {}", args.join(" ")));
    }
    let dir = exercise_dir(root, args.first());
    if !dir.join("Cargo.toml").exists() {
        return Err(format!(
            "{} is not an exercise; make one with: scripts/workshop init",
            dir.display()
        ));
    }
    if let Err(errors) = build_steps(&dir, None) {
        say!("The exercise does not compile yet. cargo says:\n");
        for line in errors.lines().take(30) {
            say!("  {line}");
        }
        return Ok(false);
    }
    let mut next: Option<(&Step, BTreeMap<String, bool>)> = None;
    for step in &STEPS {
        let results = run_step(&dir, None, step).unwrap_or_default();
        say!(
            "Step {}  {:<14} {:>2}/{:<2} passing",
            step.number,
            step.title,
            passed(&results),
            results.len()
        );
        if next.is_none() && (results.is_empty() || passed(&results) < results.len()) {
            next = Some((step, results));
        }
    }
    say!();
    let done = next.as_ref().map_or(markers::last_step(), |(step, _)| {
        STEPS
            .iter()
            .map(|s| s.number)
            .filter(|n| *n < step.number)
            .max()
            .unwrap_or(0)
    });
    if !check_promise(&dir, done)? {
        return Ok(false);
    }
    let Some((step, results)) = next else {
        say!("Every step passes. Run the whole suite with: cargo test");
        return Ok(true);
    };
    let todo = regions_to_write(&dir, step.number)?;
    match todo.first() {
        Some(_) => {
            say!(
                "Next: step {} ({}). Read {}; the places to write, in order:",
                step.number,
                step.title,
                step.lecture
            );
            for (file, region, hint) in &todo {
                say!("  {file}:{}  {hint}", region.open_line);
            }
            say!("Then run: cargo test --test {}", step.test);
        }
        None => {
            let failing: Vec<&String> = results
                .iter()
                .filter(|(_, ok)| !**ok)
                .map(|(name, _)| name)
                .collect();
            say!(
                "Step {} is written, but {} of its tests fail{}.\nSee why with: cargo test --test {}",
                step.number,
                failing.len(),
                failing
                    .first()
                    .map_or(String::new(), |name| format!(", the first: {name}")),
                step.test
            );
        }
    }
    Ok(false)
}

/// Runs the tests of the whole suite (beyond the step tests) that need
/// only steps 1..`done`, which the learner's steps promise, and says how
/// they went. False if any fails: that is the next thing to fix.
fn check_promise(dir: &Path, done: u8) -> Result<bool, String> {
    let promised: Vec<SuiteTest> = match suite_tests(dir) {
        Ok(suite) => suite
            .into_iter()
            .filter(|t| {
                t.step <= done
                    && !STEPS
                        .iter()
                        .any(|s| Target::Test(s.test.into()) == t.target)
            })
            .collect(),
        Err(errors) => return Err(errors.join("\n")),
    };
    if done == 0 || promised.is_empty() {
        return Ok(true);
    }
    let results = run_suite(dir, None, Selection::Tests(&promised))?;
    let failing: Vec<&SuiteTest> = promised
        .iter()
        .filter(|t| outcome(&results, t) == Outcome::Failed)
        .collect();
    say!(
        "The rest of the suite: {}/{} of the tests that need only steps 1-{done} pass.",
        promised.len() - failing.len(),
        promised.len()
    );
    if failing.is_empty() {
        say!();
        return Ok(true);
    }
    say!("Your steps pass their own tests, but not these; see why with the command after each:");
    for test in failing.iter().take(10) {
        let run = match &test.target {
            Target::Lib => format!("cargo test --lib {}", test.name),
            Target::Test(file) => format!("cargo test --test {file} {}", test.name),
        };
        say!("  {} {}    {run}", test.target, test.name);
    }
    Ok(false)
}

// ---------------------------------------------------------------- diff

fn diff_command(root: &Path, args: &[String]) -> Result<bool, String> {
    let (dir, file) = match args {
        [] => (None, None),
        [one] if Path::new(one).is_dir() => (Some(one), None),
        [one] => (None, Some(one)),
        [dir, file] => (Some(dir), Some(file)),
        _ => return Err("diff takes [DIR] [FILE]".into()),
    };
    let dir = exercise_dir(root, dir);
    let files = match file {
        Some(file) => vec![PathBuf::from(file.trim_start_matches("./"))],
        None => rust_files(&root.join("src"))?
            .into_iter()
            .map(|f| Path::new("src").join(f))
            .collect(),
    };
    let mut same = true;
    for file in files {
        let status = Command::new("diff")
            .arg("-u")
            .args(["-L", &format!("solution/{}", file.display())])
            .args(["-L", &format!("exercise/{}", file.display())])
            .arg(root.join(&file))
            .arg(dir.join(&file))
            .status()
            .map_err(|e| format!("cannot run diff: {e}"))?;
        same &= status.success();
    }
    Ok(same)
}
