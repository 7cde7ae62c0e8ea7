//! `scripts/workshop verify`: the proof that every stage of the exercise
//! is what the workshop promises.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use super::drive::{drive, DRIVEN_STAGES};
use super::exercise::{in_lesson_order, marked_files, write_exercise, write_exercise_cutting};
use super::markers::{self, Region, MARKER, STEPS};
use super::step_tests::{build_tests_of, passed, run_step};
use super::suite::{
    outcome, run_suite, suite_tests, Outcome, Results, Selection, SuiteTest, Target,
};

pub fn verify_command(root: &Path) -> Result<bool, String> {
    let mut ok = check_markers_and_tests(root)?;
    let suite = match suite_tests(root) {
        Ok(suite) => suite,
        Err(errors) => {
            for error in errors {
                say!("{error}");
            }
            return Ok(false);
        }
    };
    say!(
        "the suite: {} tests, each tagged with the last step it needs",
        suite.len()
    );
    let work = root.join("target").join("workshop-verify");
    let dir = work.join("exercise");
    let target_dir = work.join("target");
    for solved in markers::stages() {
        write_exercise(root, &dir, solved)?;
        // Only the targets with a test this stage judges: those tagged with
        // its step, which must now pass, and with the next, which must not
        // yet (see `judge_stage`). The rest need not be built.
        let next = next_stage(solved);
        let mut targets: Vec<Target> = suite
            .iter()
            .filter(|t| t.step == solved || Some(t.step) == next)
            .map(|t| t.target.clone())
            .collect();
        targets.dedup();
        let mut results = match run_suite(&dir, Some(&target_dir), Selection::Targets(targets)) {
            Ok(results) => results,
            Err(errors) => {
                say!("{}: DOES NOT COMPILE\n{errors}", solved_name(solved));
                ok = false;
                continue;
            }
        };
        // A test that must pass and did not gets a second run alone: a few
        // tests move 512 MB or wait for timeouts, and a busy machine can
        // make them miss. Failing twice is failing.
        let again: Vec<SuiteTest> = suite
            .iter()
            .filter(|t| t.step == solved && outcome(&results, t) == Outcome::Failed)
            .cloned()
            .collect();
        if !again.is_empty() && again.len() <= 10 {
            if let Ok(second) = run_suite(&dir, Some(&target_dir), Selection::Tests(&again)) {
                for test in &again {
                    if outcome(&second, test) == Outcome::Passed {
                        say!("  (passed on a second run: {} {})", test.target, test.name);
                        results.insert(
                            (test.target.clone(), full_name(&results, test)),
                            Outcome::Passed,
                        );
                    }
                }
            }
        }
        ok &= judge_stage(solved, &suite, &results);
        if DRIVEN_STAGES.contains(&solved) {
            ok &= drive(&target_dir, solved);
        }
    }
    ok &= verify_each_region(root, &dir, &target_dir)?;
    say!("workshop verify: {}", if ok { "ok" } else { "FAILED" });
    Ok(ok)
}

/// Prints how the stage with steps 1..`solved` written went, and checks
/// the promise: every test passes from the step it needs on. A test is
/// judged at the stage of its tag, where it must pass, and at the stage
/// before, where a step's own tests must fail (else the step proves
/// nothing). Another test that already passes one stage early is only
/// noted: whether it does can hang on timing (a connection a stub has not
/// yet closed), and a late tag breaks no promise, it only tells a learner
/// of a gap one step later. A later stage only writes more of the
/// solution, which the full `cargo test` runs whole, so a test is not run
/// again at every stage after its own: that would cost most of the time.
/// "One stage before" is the stage before the tag's in [`markers::stages`].
fn judge_stage(solved: u8, suite: &[SuiteTest], results: &Results) -> bool {
    let mut ok = true;
    let mut line = format!("{}: compiles;", solved_name(solved));
    let next = next_stage(solved);
    for step in STEPS
        .iter()
        .filter(|s| s.number == solved || Some(s.number) == next)
    {
        let own: Vec<Outcome> = suite
            .iter()
            .filter(|t| t.target == Target::Test(step.test.to_string()))
            .map(|t| outcome(results, t))
            .collect();
        let passing = own.iter().filter(|o| **o == Outcome::Passed).count();
        line += &format!(" step {} {passing}/{}", step.number, own.len());
    }
    let (mut wrong, mut early) = (Vec::new(), Vec::new());
    let (mut promised, mut kept, mut skipped) = (0, 0, 0);
    for test in suite {
        let got = outcome(results, test);
        let must = if test.step == solved {
            Some(true)
        } else if Some(test.step) == next {
            Some(false)
        } else {
            None // judged at its own stage
        };
        if test.step == solved {
            promised += 1;
        }
        match (must, got) {
            (_, Outcome::Skipped) => skipped += 1,
            (Some(true), Outcome::Passed) => kept += 1,
            (Some(true), Outcome::Failed) => wrong.push(format!(
                "{} {}: needs step {} but FAILS with {}",
                test.target,
                test.name,
                test.step,
                written(solved)
            )),
            (Some(false), Outcome::Passed) => {
                let finding = format!(
                    "{} {}: tagged step {} but already passes with {}: tag it `{MARKER} passes from step {solved}`",
                    test.target, test.name, test.step, written(solved)
                );
                if is_step_test(test) {
                    wrong.push(finding);
                } else {
                    early.push(finding);
                }
            }
            _ => {}
        }
    }
    line += &format!("; the suite: {kept}/{promised} of the tests tagged with this stage pass");
    if skipped > 0 {
        line += &format!(" ({skipped} skipped: a tool is missing)");
    }
    say!("{line}");
    for finding in &early {
        say!("  note: {finding}");
    }
    for problem in &wrong {
        say!("  WRONG: {problem}");
        ok = false;
    }
    ok
}

/// Cuts one region at a time, everything else written: some test of its
/// step must then fail. A region no test needs would let a learner pass a
/// step without writing it, and trip over the gap in a later one.
fn verify_each_region(root: &Path, dir: &Path, target_dir: &Path) -> Result<bool, String> {
    let mut ok = true;
    say!("each region alone cut: the tests of its step that fail");
    for file in in_lesson_order(marked_files(&root.join("src"))?) {
        let regions = file.regions.map_err(|e| format!("{}: {e}", file.name))?;
        for region in regions {
            let only_this = |relative: &Path, r: &Region| {
                relative == file.relative && r.open_line == region.open_line
            };
            write_exercise_cutting(root, dir, &only_this)?;
            let step = markers::step(region.step).expect("markers name real steps");
            let place = format!("{}:{}", file.name, region.open_line);
            if let Err(errors) = build_tests_of(dir, Some(target_dir), std::iter::once(step)) {
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

/// True if `test` is in a step's own target.
/// The stage after `solved` in [`markers::stages`], if any.
fn next_stage(solved: u8) -> Option<u8> {
    markers::stages().into_iter().find(|n| *n > solved)
}

fn is_step_test(test: &SuiteTest) -> bool {
    STEPS
        .iter()
        .any(|s| Target::Test(s.test.into()) == test.target)
}

/// The name libtest gave `test` in `results` (with its module path).
fn full_name(results: &Results, test: &SuiteTest) -> String {
    let suffix = format!("::{}", test.name);
    results
        .keys()
        .find(|(target, name)| {
            *target == test.target && (*name == test.name || name.ends_with(&suffix))
        })
        .map_or(test.name.clone(), |(_, name)| name.clone())
}

/// "steps 1-4 written", or "nothing written".
fn written(solved: u8) -> String {
    match solved {
        0 => "nothing written".into(),
        1 => "step 1 written".into(),
        n => format!("steps 1-{n} written"),
    }
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
    for file in marked_files(&root.join("src"))? {
        match file.regions {
            Ok(regions) => {
                for region in regions {
                    *regions_per_step.entry(region.step).or_insert(0) += 1;
                }
            }
            Err(err) => {
                say!("{}: {err}", file.name);
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
