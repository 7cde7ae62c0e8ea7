//! `scripts/workshop`: makes the learner's exercise from the finished code,
//! tells the learner where they stand, and proves the steps in CI.
//! See scripts/README.md for the commands and the marker syntax.
//!
//! The shell wrapper compiles this file with `rustc` and runs it with the
//! project's root as the first argument.

pub mod markers;

/// `println!` for output that may go to a closed pipe (`workshop check | head`):
/// a reader that stopped listening is not an error worth a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `print!`, in the same way as [`say!`].
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($arg)*);
    }};
}

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{self, Command, Stdio};

use markers::{Region, Step, STEPS};

const USAGE: &str = "\
Usage: scripts/workshop COMMAND [ARGS]

Commands:
  init [DIR] [--force] [--solved N]
                      write the exercise crate (default DIR: ./exercise); with
                      --solved N, steps 1..N come already written
  check [DIR]         run the step tests in DIR and say what to do next
  diff [DIR] [FILE]   show how DIR's FILE (default: every changed file in
                      src/) differs from the finished code
  verify              prove every step: for N = 0..5, the exercise with steps
                      1..N solved compiles, their tests pass, later ones fail";

/// Tests that belong to the generator, not to the server: left out of the
/// exercise, which has no scripts/ to test.
const GENERATOR_TESTS: &[&str] = &["workshop_tool.rs"];

/// What the exercise says about itself.
const EXERCISE_README: &str = "\
# Your mini-redis

This crate is the finished mini-redis with the parts you write cut out.
Every `todo!(\"Step N: ...\")` in `src/` is one of them, between a
`//@ step N: hint` line and an `//@ end step N` line. Write your code there,
in place of the `todo!`; leave the marker lines.

Work through the steps in order. Each has its own tests:

    cargo test --test step01_tcp_server
    cargo test --test step02_protocol
    cargo test --test step03_commands
    cargo test --test step04_expiry
    cargo test --test step05_extensions

From the repository you made this in (add this directory's path after
`check` or `diff` if it is not the repository's `exercise/`):

    scripts/workshop check          # how far you are, and where to write next
    scripts/workshop diff FILE      # how your FILE differs from the solution's

`cargo run` starts your server on 127.0.0.1:6379; talk to it with
`redis-cli` or `nc localhost 6379`. When every step passes, so does the whole
`cargo test`.
";

/// The line added to the exercise's lib.rs, after its doc comment.
const EXERCISE_ALLOW: &str = "\
// Added by scripts/workshop: until every step is written, the code cut out
// leaves parameters, imports and helpers unused. Delete this when all pass.
#![allow(unused)]
";

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().expect("the wrapper passes the project root"));
    let args: Vec<String> = args.collect();
    let result = match args.first().map(String::as_str) {
        Some("init") => init_command(&root, &args[1..]),
        Some("check") => check_command(&root, &args[1..]),
        Some("diff") => diff_command(&root, &args[1..]),
        Some("verify") if args.len() == 1 => verify_command(&root),
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
                    .filter(|n| usize::from(*n) <= STEPS.len())
                    .ok_or_else(|| format!("--solved takes 0 to {}, not {n}", STEPS.len()))?;
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

/// True if `dir` exists and holds anything at all.
pub fn has_work(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some())
}

/// Writes the exercise crate into `dir`, cutting every step after `solved`.
/// Returns how many regions were cut. An old src/ and tests/ are replaced
/// whole; target/ is kept, so a rebuild stays quick.
pub fn write_exercise(root: &Path, dir: &Path, solved: u8) -> Result<usize, String> {
    write_exercise_cutting(root, dir, &|_, region| region.step > solved)
}

/// Which regions to cut: given the file (relative to src/) and the region.
type ShouldCut<'a> = &'a dyn Fn(&Path, &Region) -> bool;

/// Like [`write_exercise`], cutting the regions that `should_cut` picks.
fn write_exercise_cutting(root: &Path, dir: &Path, should_cut: ShouldCut) -> Result<usize, String> {
    let io_error = |what: &Path, err: io::Error| format!("{}: {err}", what.display());
    for sub in ["src", "tests"] {
        let path = dir.join(sub);
        if path.exists() {
            fs::remove_dir_all(&path).map_err(|e| io_error(&path, e))?;
        }
    }
    fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    for file in ["Cargo.toml", "Cargo.lock"] {
        fs::copy(root.join(file), dir.join(file)).map_err(|e| io_error(&root.join(file), e))?;
    }
    fs::write(dir.join(".gitignore"), "/target\n").map_err(|e| io_error(dir, e))?;
    fs::write(dir.join("README.md"), EXERCISE_README).map_err(|e| io_error(dir, e))?;
    let mut cut_count = 0;
    for relative in rust_files(&root.join("src"))? {
        let source = read(&root.join("src").join(&relative))?;
        let regions = markers::find_regions(&source)
            .map_err(|e| format!("src/{}: {e}", relative.display()))?;
        cut_count += regions.iter().filter(|r| should_cut(&relative, r)).count();
        let mut text = markers::cut_where(&source, |r| should_cut(&relative, r))
            .expect("regions were just checked");
        if relative == Path::new("lib.rs") {
            text = add_allow(&text);
        }
        write(&dir.join("src").join(&relative), &text)?;
    }
    for relative in rust_files(&root.join("tests"))? {
        if GENERATOR_TESTS.contains(&relative.to_string_lossy().as_ref()) {
            continue;
        }
        let source = read(&root.join("tests").join(&relative))?;
        write(&dir.join("tests").join(&relative), &source)?;
    }
    Ok(cut_count)
}

/// Inserts [`EXERCISE_ALLOW`] after the crate's leading `//!` lines.
pub fn add_allow(lib: &str) -> String {
    let doc_lines = lib.lines().take_while(|l| l.starts_with("//!")).count();
    let mut out = String::new();
    for (i, line) in lib.lines().enumerate() {
        if i == doc_lines {
            out.push('\n');
            out.push_str(EXERCISE_ALLOW);
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Every `.rs` file under `dir`, as paths relative to it, sorted.
pub fn rust_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let entries = fs::read_dir(dir.join(&relative))
            .map_err(|e| format!("{}: {e}", dir.join(&relative).display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| e.to_string())?;
            let path = relative.join(entry.file_name());
            if entry.path().is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

// ---------------------------------------------------------------- running tests

/// How one test target went: test name to whether it passed. `None` if the
/// target did not run at all (it did not compile).
type Outcome = Option<BTreeMap<String, bool>>;

/// Builds every step's tests in `dir`. On failure, returns cargo's errors.
fn build_steps(dir: &Path, target_dir: Option<&Path>) -> Result<(), String> {
    let mut cargo = cargo(dir, target_dir);
    cargo.args(["test", "--no-run", "--quiet"]);
    for step in &STEPS {
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
fn run_step(dir: &Path, target_dir: Option<&Path>, step: &Step) -> Outcome {
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

fn cargo(dir: &Path, target_dir: Option<&Path>) -> Command {
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cargo.current_dir(dir);
    if let Some(target_dir) = target_dir {
        cargo.env("CARGO_TARGET_DIR", target_dir);
    }
    cargo
}

fn passed(results: &BTreeMap<String, bool>) -> usize {
    results.values().filter(|ok| **ok).count()
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
            for (file, region) in &todo {
                say!("  {file}:{}  {}", region.open_line, region.hint);
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

/// The regions of `step` in the exercise that still hold their `todo!`, in
/// the order the lectures take them.
pub fn regions_to_write(dir: &Path, step: u8) -> Result<Vec<(String, Region)>, String> {
    let mut found = Vec::new();
    for relative in in_lesson_order(rust_files(&dir.join("src"))?) {
        let source = read(&dir.join("src").join(&relative))?;
        let Ok(regions) = markers::find_regions(&source) else {
            continue;
        };
        let file = format!("src/{}", relative.display());
        found.extend(
            regions
                .into_iter()
                .filter(|r| r.step == step && r.is_cut(&source))
                .map(|r| (file.clone(), r)),
        );
    }
    Ok(found)
}

/// The source files in the order a learner meets them: the outside of the
/// server first (listener, then connection), then inwards.
const LESSON_ORDER: &[&str] = &[
    "server.rs",
    "connection.rs",
    "protocol.rs",
    "storage.rs",
    "commands/mod.rs",
    "commands/connection.rs",
    "commands/strings.rs",
    "commands/keys.rs",
    "expiry.rs",
];

pub fn in_lesson_order(mut files: Vec<PathBuf>) -> Vec<PathBuf> {
    files.sort_by_key(|f| {
        LESSON_ORDER
            .iter()
            .position(|known| Path::new(known) == f)
            .unwrap_or(LESSON_ORDER.len())
    });
    files
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

// ---------------------------------------------------------------- verify

fn verify_command(root: &Path) -> Result<bool, String> {
    let mut ok = check_markers_and_tests(root)?;
    let work = root.join("target").join("workshop-verify");
    let dir = work.join("exercise");
    let target_dir = work.join("target");
    for solved in 0..=STEPS.len() as u8 {
        write_exercise(root, &dir, solved)?;
        if let Err(errors) = build_steps(&dir, Some(&target_dir)) {
            say!("{}: DOES NOT COMPILE\n{errors}", solved_name(solved));
            ok = false;
            continue;
        }
        let mut line = format!("{}: compiles;", solved_name(solved));
        for step in &STEPS {
            let results = run_step(&dir, Some(&target_dir), step).unwrap_or_default();
            let must_pass = step.number <= solved;
            let good = if must_pass {
                !results.is_empty() && passed(&results) == results.len()
            } else {
                !results.is_empty() && passed(&results) == 0
            };
            line += &format!(
                " step {} {}/{}",
                step.number,
                passed(&results),
                results.len()
            );
            if !good {
                ok = false;
                let wrong: Vec<&String> = results
                    .iter()
                    .filter(|(_, ok)| **ok != must_pass)
                    .map(|(name, _)| name)
                    .collect();
                line += &format!(
                    " (WRONG: every test must {}; {wrong:?})",
                    if must_pass { "pass" } else { "fail" }
                );
            }
        }
        say!("{line}");
    }
    // The last exercise has nothing cut: it is the finished crate.
    let everything = cargo(&dir, Some(&target_dir))
        .args(["test", "--quiet"])
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if everything.status.success() {
        say!("nothing cut: the whole test suite passes");
    } else {
        say!("nothing cut: the whole test suite FAILS");
        say_raw!("{}", String::from_utf8_lossy(&everything.stdout));
        eprint!("{}", String::from_utf8_lossy(&everything.stderr));
        ok = false;
    }
    ok &= verify_each_region(root, &dir, &target_dir)?;
    say!("workshop verify: {}", if ok { "ok" } else { "FAILED" });
    Ok(ok)
}

/// Cuts one region at a time, everything else written: some test of its
/// step must then fail. A region no test needs would let a learner pass a
/// step without writing it, and trip over the gap in a later one.
fn verify_each_region(root: &Path, dir: &Path, target_dir: &Path) -> Result<bool, String> {
    let mut ok = true;
    say!("each region alone cut: the tests of its step that fail");
    for relative in in_lesson_order(rust_files(&root.join("src"))?) {
        let source = read(&root.join("src").join(&relative))?;
        let regions = markers::find_regions(&source).map_err(|e| e.to_string())?;
        for region in regions {
            let only_this =
                |file: &Path, r: &Region| file == relative && r.open_line == region.open_line;
            write_exercise_cutting(root, dir, &only_this)?;
            let step = markers::step(region.step).expect("markers name real steps");
            let place = format!("src/{}:{}", relative.display(), region.open_line);
            if let Err(errors) = build_steps(dir, Some(target_dir)) {
                say!("  {place}: DOES NOT COMPILE\n{errors}");
                ok = false;
                continue;
            }
            let results = run_step(dir, Some(target_dir), step).unwrap_or_default();
            let failing = results.len() - passed(&results);
            let verdict = if failing == 0 {
                ok = false;
                "  WRONG: no test needs this region"
            } else {
                ""
            };
            say!(
                "  {place:<30} step {}: {failing}/{} fail{verdict}",
                step.number,
                results.len()
            );
        }
    }
    Ok(ok)
}

fn solved_name(solved: u8) -> String {
    match solved {
        0 => "nothing solved  ".into(),
        1 => "step 1 solved   ".into(),
        n => format!("steps 1-{n} solved"),
    }
}

/// Every marker in src/ is well formed, every step has a region and a test
/// target with at least one test.
fn check_markers_and_tests(root: &Path) -> Result<bool, String> {
    let mut ok = true;
    let mut regions_per_step = BTreeMap::new();
    for relative in rust_files(&root.join("src"))? {
        let source = read(&root.join("src").join(&relative))?;
        match markers::find_regions(&source) {
            Ok(regions) => {
                for region in regions {
                    *regions_per_step.entry(region.step).or_insert(0) += 1;
                }
            }
            Err(err) => {
                say!("src/{}: {err}", relative.display());
                ok = false;
            }
        }
    }
    for step in &STEPS {
        let regions = regions_per_step.get(&step.number).copied().unwrap_or(0);
        let test_file = root.join("tests").join(format!("{}.rs", step.test));
        let tests = fs::read_to_string(&test_file)
            .map(|t| t.matches("#[test]").count())
            .unwrap_or(0);
        say!(
            "step {} ({}): {regions} regions, {tests} tests in tests/{}.rs",
            step.number,
            step.title,
            step.test
        );
        if regions == 0 || tests == 0 {
            say!("  WRONG: every step needs at least one region and one test");
            ok = false;
        }
    }
    Ok(ok)
}
