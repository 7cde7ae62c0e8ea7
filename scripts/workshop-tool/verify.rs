//! `scripts/workshop verify`: the proof that every stage of the exercise
//! is what the workshop promises.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use super::exercise::{in_lesson_order, marked_files, write_exercise, write_exercise_cutting};
use super::markers::{self, Region, STEPS};
use super::step_tests::{build_steps, cargo, passed, run_step};

pub fn verify_command(root: &Path) -> Result<bool, String> {
    let mut ok = check_markers_and_tests(root)?;
    let work = root.join("target").join("workshop-verify");
    let dir = work.join("exercise");
    let target_dir = work.join("target");
    for solved in 0..=markers::last_step() {
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
    for file in in_lesson_order(marked_files(&root.join("src"))?) {
        let regions = file.regions.map_err(|e| format!("{}: {e}", file.name))?;
        for region in regions {
            let only_this = |relative: &Path, r: &Region| {
                relative == file.relative && r.open_line == region.open_line
            };
            write_exercise_cutting(root, dir, &only_this)?;
            let step = markers::step(region.step).expect("markers name real steps");
            let place = format!("{}:{}", file.name, region.open_line);
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
