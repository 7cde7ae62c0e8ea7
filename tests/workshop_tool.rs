//! The workshop generator (scripts/workshop): its markers, the exercise it
//! writes, and the shell wrapper a learner runs. `scripts/workshop verify`
//! goes further and compiles and tests every stage of the exercise; that
//! takes a minute, so CI runs it rather than `cargo test`.

#[allow(dead_code)] // the tool's command-line half is not called from here
#[path = "../scripts/workshop-tool/main.rs"]
mod tool;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use tool::markers::{self, find_regions, Region, STEPS};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

const SAMPLE: &str = r#"fn given() -> u8 {
    1
}

fn first(x: u8) -> u8 {
    //@ step 1: Double `x`.
    x * 2
    //@ end step 2
}
"#;

/// A fresh, empty directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mini-redis-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn error_of(source: &str) -> String {
    find_regions(source).unwrap_err().to_string()
}

#[test]
fn a_well_formed_region_is_found_with_its_hint_and_place() {
    let source = "fn f() -> u8 {\n    //@ step 2: Answer 4.\n    4\n    //@ end step 2\n}\n";
    let regions = find_regions(source).unwrap();
    assert_eq!(
        regions,
        vec![Region {
            step: 2,
            hint: "Answer 4.".into(),
            open_line: 2,
            close_line: 4,
            indent: "    ".into(),
        }]
    );
}

#[test]
fn malformed_markers_are_refused_with_their_line() {
    assert_eq!(
        error_of(SAMPLE),
        "line 8: `end step 2` closes the step 1 region opened on line 6"
    );
    assert_eq!(
        error_of("//@ step 1: a\nx\n"),
        "line 1: the step 1 region is never closed"
    );
    assert_eq!(
        error_of("//@ step 1: a\n//@ step 2: b\n"),
        "line 2: regions cannot nest: step 1 opened on line 1 is still open"
    );
    assert_eq!(
        error_of("x\n//@ end step 1\n"),
        "line 2: `end step 1` closes no open region"
    );
    assert_eq!(
        error_of("//@ step 1: a\n//@ end step 1\n"),
        "line 2: the step 1 region is empty"
    );
    assert_eq!(
        error_of("//@ step 99: a\nx\n//@ end step 99\n"),
        format!("line 1: `99` is not a step (1 to {})", markers::last_step())
    );
    assert_eq!(
        error_of("//@ step 1:\nx\n//@ end step 1\n"),
        "line 1: step 1 opens a region without a hint"
    );
    assert_eq!(
        error_of("//@ step 1 write it\n"),
        "line 1: `//@ step 1 write it` needs a colon and a hint after the step number"
    );
    assert_eq!(
        error_of("//@ todo: later\n"),
        "line 1: a marker is `//@ step N: hint` or `//@ end step N`, not `//@ todo: later`"
    );
    assert_eq!(
        error_of("let x = 1; //@ step 1: x\n"),
        "line 1: a `//@` marker must be on a line of its own"
    );
}

#[test]
fn cutting_replaces_later_steps_code_with_a_todo_and_keeps_the_markers() {
    let source = "\
fn a() -> u8 {
    //@ step 1: One.
    1
    //@ end step 1
}

fn b() -> String {
    //@ step 3: Say \"hi\" in {braces} with a \\ too.
    let s = String::from(\"hi\");
    s
    //@ end step 3
}
";
    let cut = markers::cut(source, 1).unwrap();
    assert_eq!(
        cut,
        "\
fn a() -> u8 {
    //@ step 1: One.
    1
    //@ end step 1
}

fn b() -> String {
    //@ step 3: Say \"hi\" in {braces} with a \\ too.
    todo!(\"Step 3: Say \\\"hi\\\" in {{braces}} with a \\\\ too. (lectures/03-commands.md)\");
    //@ end step 3
}
"
    );
    assert_eq!(markers::cut(source, 7).unwrap(), source, "nothing to cut");
    let all_cut = markers::cut(source, 0).unwrap();
    assert!(all_cut.contains("todo!(\"Step 1: One. (lectures/01-tcp-server.md)\");"));
    let regions = find_regions(&cut).unwrap();
    assert!(!regions[0].is_cut(&cut) && regions[1].is_cut(&cut));
}

#[test]
fn every_step_of_the_real_code_has_regions_and_a_test_target() {
    let src = Path::new(ROOT).join("src");
    let mut per_step = vec![0usize; usize::from(markers::last_step())];
    for file in tool::exercise::marked_files(&src).unwrap() {
        let regions = file
            .regions
            .unwrap_or_else(|e| panic!("{}: {e}", file.name));
        for region in regions {
            per_step[usize::from(region.step) - 1] += 1;
        }
    }
    for step in &STEPS {
        let count = per_step[usize::from(step.number) - 1];
        assert!(count > 0, "step {} has no region", step.number);
        let tests = Path::new(ROOT).join(format!("tests/{}.rs", step.test));
        assert!(tests.exists(), "{} is missing", tests.display());
    }
}

#[test]
fn the_exercise_is_the_solution_with_the_regions_cut() {
    let dir = scratch("exercise");
    let cut = tool::exercise::write_exercise(Path::new(ROOT), &dir, 2).unwrap();
    let src = Path::new(ROOT).join("src");
    let mut expected_cut = 0;
    for file in tool::exercise::rust_files(&src).unwrap() {
        let solution = fs::read_to_string(src.join(&file)).unwrap();
        let exercise = fs::read_to_string(dir.join("src").join(&file)).unwrap();
        let regions = find_regions(&solution).unwrap();
        expected_cut += regions.iter().filter(|r| r.step > 2).count();
        let mut expected = markers::cut(&solution, 2).unwrap();
        if file == Path::new("lib.rs") {
            assert!(exercise.contains("#![allow(unused)]"));
            expected = tool::exercise::add_allow(&expected);
        }
        assert_eq!(exercise, expected, "src/{}", file.display());
    }
    assert_eq!(cut, expected_cut);
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        "tests/step01_tcp_server.rs",
        "tests/common/mod.rs",
    ] {
        assert_eq!(
            fs::read(dir.join(file)).unwrap(),
            fs::read(Path::new(ROOT).join(file)).unwrap(),
            "{file} is copied as it is"
        );
    }
    assert!(
        dir.join("README.md").exists(),
        "the exercise explains itself"
    );
    assert!(
        !dir.join("tests/workshop_tool.rs").exists(),
        "the generator's own tests stay out of the exercise"
    );
    let next = tool::exercise::regions_to_write(&dir, 3).unwrap();
    assert_eq!(next.len(), expected_cut_for(3));
    assert!(
        tool::exercise::regions_to_write(&dir, 2)
            .unwrap()
            .is_empty(),
        "step 2 is solved"
    );
    let _ = fs::remove_dir_all(&dir);
}

fn expected_cut_for(step: u8) -> usize {
    let src = Path::new(ROOT).join("src");
    tool::exercise::marked_files(&src)
        .unwrap()
        .into_iter()
        .map(|f| f.regions.unwrap().iter().filter(|r| r.step == step).count())
        .sum()
}

#[test]
fn lessons_start_from_the_outside_of_the_server() {
    let mut files = [
        "expiry.rs",
        "commands/mod.rs",
        "protocol.rs",
        "zzz.rs",
        "server.rs",
    ];
    files.sort_by_key(|f| tool::exercise::lesson_rank(Path::new(f)));
    assert_eq!(
        files,
        [
            "server.rs",
            "protocol.rs",
            "commands/mod.rs",
            "expiry.rs",
            "zzz.rs"
        ]
    );
    let src = Path::new(ROOT).join("src");
    let ordered = tool::exercise::in_lesson_order(tool::exercise::marked_files(&src).unwrap());
    assert_eq!(ordered[0].name, "src/server.rs");
    assert_eq!(ordered[1].name, "src/connection.rs");
}

#[test]
fn init_writes_an_exercise_and_will_not_overwrite_work_without_force() {
    let dir = scratch("init");
    let exercise = dir.join("exercise");
    let workshop = |args: &[&str]| {
        Command::new("sh")
            .arg(Path::new(ROOT).join("scripts/workshop"))
            .args(args)
            .output()
            .expect("sh runs")
    };
    let first = workshop(&["init", exercise.to_str().unwrap()]);
    assert!(first.status.success(), "{first:?}");
    let said = String::from_utf8_lossy(&first.stdout);
    assert!(
        said.contains("cargo test --test step01_tcp_server"),
        "{said}"
    );
    let protocol = fs::read_to_string(exercise.join("src/protocol.rs")).unwrap();
    assert!(protocol.contains("todo!(\"Step 2: "), "steps are cut");

    fs::write(exercise.join("src/protocol.rs"), "my work").unwrap();
    fs::create_dir_all(exercise.join("target")).unwrap();
    let again = workshop(&["init", exercise.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2), "{again:?}");
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    assert_eq!(
        fs::read_to_string(exercise.join("src/protocol.rs")).unwrap(),
        "my work"
    );

    let forced = workshop(&[
        "init",
        exercise.to_str().unwrap(),
        "--force",
        "--solved",
        "7",
    ]);
    assert!(forced.status.success(), "{forced:?}");
    assert_eq!(
        fs::read_to_string(exercise.join("src/protocol.rs")).unwrap(),
        fs::read_to_string(Path::new(ROOT).join("src/protocol.rs")).unwrap(),
        "--solved 7 is the finished code"
    );
    assert!(exercise.join("target").exists(), "a rebuild stays quick");

    let past_the_last = (markers::last_step() + 1).to_string();
    let bad = workshop(&[
        "init",
        exercise.to_str().unwrap(),
        "--solved",
        &past_the_last,
    ]);
    assert_eq!(bad.status.code(), Some(2));
    let _ = fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------- check-docs

fn lines(text: &str) -> Vec<String> {
    text.lines().map(String::from).collect()
}

#[test]
fn an_excerpt_may_skip_lines_and_lose_indentation_but_not_change() {
    use tool::docs::find_excerpt;
    let code =
        "impl A {\n    fn f() {\n        one();\n        two();\n        three();\n    }\n}\n";
    assert_eq!(find_excerpt(code, &lines("fn f() {\n    one();")), Ok(()));
    assert_eq!(
        find_excerpt(code, &lines("fn f() {\n    // ...\n    three();\n}")),
        Ok(())
    );
    assert_eq!(
        find_excerpt(code, &lines("fn f() {\n    two();")),
        Err("two();".into()),
        "lines of one run are consecutive"
    );
    assert_eq!(
        find_excerpt(code, &lines("three();\n// ...\none();")),
        Err("one();".into()),
        "runs come in the file's order"
    );
    assert_eq!(
        find_excerpt(code, &lines("fn f() {\n  one();")),
        Err("one();".into()),
        "every line of a run is shifted by the same indentation"
    );
}

#[test]
fn anchors_follow_githubs_heading_rules() {
    use tool::docs::{heading_anchors, slug};
    assert_eq!(
        slug("Python/asyncio vs Rust/threads"),
        "pythonasyncio-vs-rustthreads"
    );
    assert_eq!(
        slug("Step 1: `bind` and `accept_loop`"),
        "step-1-bind-and-accept_loop"
    );
    assert_eq!(
        slug("See [the spec](https://x.y/z) now"),
        "see-the-spec-now"
    );
    let doc = "# Title\n\n```sh\n# not a heading\n```\n\n## Stuck?\n\n## Stuck?\n#nospace\n";
    assert_eq!(heading_anchors(doc), ["title", "stuck", "stuck-1"]);
}

#[test]
fn check_docs_finds_each_kind_of_drift() {
    use tool::docs::check_docs;
    let root = scratch("check-docs");
    fs::create_dir_all(root.join("src")).unwrap();
    fs::create_dir_all(root.join("tests")).unwrap();
    fs::create_dir_all(root.join("lectures")).unwrap();
    fs::write(
        root.join("src/lib.rs"),
        "pub fn answer() -> u8 {\n    42\n}\n",
    )
    .unwrap();
    fs::write(root.join("tests/step.rs"), "#[test]\nfn answers_42() {}\n").unwrap();
    for step in &STEPS {
        fs::write(root.join(step.lecture), "# Lecture\n").unwrap();
    }
    let good = "# Intro\n\nFrom [src/lib.rs](../src/lib.rs):\n\n```rust\npub fn answer() -> u8 {\n    42\n```\n\n\
        ```rust example\nfn anything() {}\n```\n\nRun `cargo test --test step answers` and read [the intro](#intro).\n";
    fs::write(root.join("lectures/00-good.md"), good).unwrap();
    let (tally, problems) = check_docs(&root).unwrap();
    assert_eq!(problems, []);
    assert_eq!(
        (tally.excerpts, tally.links, tally.test_commands),
        (1, 2, 1)
    );

    let bad = "# Bad\n\nFrom [src/lib.rs](../src/lib.rs):\n\n```rust\npub fn answer() -> u8 {\n    43\n```\n\n\
        ```rust\nfn uncaptioned() {}\n```\n\nSee [gone](../src/gone.rs), [nowhere](#nowhere), [code](../src/lib.rs#L1).\n\n\
        ```sh\ncargo test --test steps\ncargo test --test step nothing_like_it\n```\n";
    fs::write(root.join("lectures/01-bad.md"), bad).unwrap();
    let (_, problems) = check_docs(&root).unwrap();
    let found: Vec<(usize, &str)> = problems
        .iter()
        .map(|p| (p.line, p.message.split(':').next().unwrap_or("")))
        .collect();
    assert_eq!(
        found,
        [
            (5, "excerpt not found in ../src/lib.rs; this part differs"),
            (10, "a Rust block names its source file in a link on the line before it (or is marked ```rust example)"),
            (14, "link to ../src/gone.rs"),
            (14, "link to #nowhere"),
            (14, "link to ../src/lib.rs#L1"),
            (17, "`cargo test --test steps`"),
            (18, "`cargo test --test step nothing_like_it`"),
        ],
        "{problems:#?}"
    );
    fs::remove_dir_all(&root).unwrap();
}

#[test]
fn the_real_lectures_and_docs_match_the_code() {
    let (tally, problems) = tool::docs::check_docs(Path::new(ROOT)).unwrap();
    assert!(
        problems.is_empty(),
        "scripts/check-docs finds: {problems:#?}"
    );
    assert!(tally.files >= 8 && tally.excerpts > 0, "{tally:?}");
}
