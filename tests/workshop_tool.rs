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
            stub: vec![],
            again: None,
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
        format!(
            "line 1: `99` is not a step (the steps: {})",
            markers::step_list()
        )
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
        "line 1: a marker is `//@ step N: hint`, `//@ stub: code`, `//@ again in step N: hint`, \
         `//@ end step N` or `//@ passes from step N`, not `//@ todo: later`"
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
fn a_stub_stands_in_for_the_code_and_again_names_a_later_step() {
    let source = "\
fn cycle() -> u8 {
    //@ step 4: Count.
    //@ stub: // Does nothing yet.
    //@ stub: 0
    //@ again in step 5: Count twice.
    let n = 1;
    n + 1
    //@ end step 4
}
";
    let regions = find_regions(source).unwrap();
    assert_eq!(regions[0].stub, ["// Does nothing yet.", "0"]);
    assert_eq!(regions[0].again, Some((5, "Count twice.".to_string())));
    let cut = markers::cut(source, 3).unwrap();
    assert_eq!(
        cut,
        "\
fn cycle() -> u8 {
    //@ step 4: Count.
    //@ stub: // Does nothing yet.
    //@ stub: 0
    //@ again in step 5: Count twice.
    // Does nothing yet.
    0
    //@ end step 4
}
"
    );
    let in_cut = find_regions(&cut).unwrap();
    assert!(in_cut[0].is_cut(&cut), "a stub still counts as not written");
    assert!(!regions[0].is_cut(source));
    assert_eq!(
        error_of("//@ step 1: a\nx\n//@ stub: 0\n//@ end step 1\n"),
        "line 3: `stub:` and `again in step N:` lines follow a region's opening marker (stubs first)"
    );
    assert_eq!(
        error_of("//@ step 3: a\n//@ again in step 2: b\nx\n//@ end step 3\n"),
        "line 2: a step 3 region can come back once, in a later step, not in step 2"
    );
    assert_eq!(
        error_of("//@ step 1: a\n//@ stub: 0\n//@ end step 1\n"),
        "line 3: the step 1 region is empty"
    );
}

#[test]
fn a_test_is_tagged_by_its_own_line_or_its_files() {
    let source = "\
//! A test file.

//@ passes from step 5

mod common;

#[test]
fn uses_the_files_tag() {}

//@ passes from step 3
/// Its doc comment may come between.
#[test]
#[ignore]
fn has_its_own() {}

#[test]
fn generic<T>() {}
";
    assert_eq!(
        tool::suite::tagged_tests(source, None).unwrap(),
        [
            ("uses_the_files_tag".to_string(), Some(5)),
            ("has_its_own".to_string(), Some(3)),
            ("generic".to_string(), Some(5)),
        ]
    );
    assert_eq!(
        tool::suite::tagged_tests("#[test]\nfn untagged() {}\n", Some(0)).unwrap(),
        [("untagged".to_string(), Some(0))]
    );
    assert!(tool::suite::tagged_tests("//@ passes from step 99\n", None)
        .unwrap_err()
        .contains("a step is 0 (none) or one of"));
    let suite = tool::suite::suite_tests(Path::new(ROOT)).unwrap_or_else(|e| panic!("{e:?}"));
    let step_of = |file: &str, name: &str| {
        suite
            .iter()
            .find(|t| t.target == tool::suite::Target::Test(file.into()) && t.name == name)
            .map(|t| t.step)
    };
    assert_eq!(
        step_of("step03_commands", "set_then_get"),
        Some(3),
        "a step's own"
    );
    assert_eq!(
        step_of("server_commands", "values_are_binary_safe"),
        Some(3),
        "every test of the suite has a step"
    );
}

#[test]
fn every_step_of_the_real_code_has_regions_and_a_test_target() {
    let src = Path::new(ROOT).join("src");
    let mut per_step = std::collections::BTreeMap::new();
    for file in tool::exercise::marked_files(&src).unwrap() {
        let regions = file
            .regions
            .unwrap_or_else(|e| panic!("{}: {e}", file.name));
        for region in regions {
            *per_step.entry(region.step).or_insert(0) += 1;
        }
    }
    for step in &STEPS {
        let count = per_step.get(&step.number).copied().unwrap_or(0);
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
    let readme = fs::read_to_string(dir.join("README.md")).expect("the exercise explains itself");
    let readme_ja = fs::read_to_string(dir.join("README.ja.md")).expect("in Japanese too");
    let commands = |text: &str| -> Vec<String> {
        text.lines()
            .map(str::trim)
            .filter(|line| line.starts_with("cargo ") || line.starts_with("scripts/"))
            .map(|line| line.split("  #").next().unwrap_or(line).trim().to_string())
            .collect()
    };
    assert!(commands(&readme).len() >= STEPS.len(), "{readme}");
    assert_eq!(
        commands(&readme_ja),
        commands(&readme),
        "the Japanese README gives the same commands"
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
    write_step_lectures(&root);
    let good = "# Intro\n\nFrom [src/lib.rs](../src/lib.rs):\n\n```rust\npub fn answer() -> u8 {\n    42\n```\n\n\
        ```rust example\nfn anything() {}\n```\n\nRun `cargo test --test step answers` and read [the intro](#intro).\n";
    fs::write(root.join("lectures/00-good.md"), good).unwrap();
    let good_ja = "# はじめに\n\n[src/lib.rs](../../src/lib.rs) より:\n\n```rust\npub fn answer() -> u8 {\n    42\n```\n\n\
        ```rust example\nfn anything() {}\n```\n\n`cargo test --test step answers` を実行し、[はじめに](#はじめに)を読みます。\n";
    fs::write(root.join("lectures/ja/00-good.md"), good_ja).unwrap();
    let (tally, problems) = check_docs(&root).unwrap();
    assert_eq!(problems, []);
    assert_eq!(
        (
            tally.excerpts,
            tally.links,
            tally.test_commands,
            tally.twins
        ),
        (2, 4, 2, STEPS.len() + 1)
    );

    let bad = "# Bad\n\nFrom [src/lib.rs](../src/lib.rs):\n\n```rust\npub fn answer() -> u8 {\n    43\n```\n\n\
        ```rust\nfn uncaptioned() {}\n```\n\nSee [gone](../src/gone.rs), [nowhere](#nowhere), [code](../src/lib.rs#L1).\n\n\
        ```sh\ncargo test --test steps\ncargo test --test step nothing_like_it\n```\n";
    fs::create_dir_all(root.join("docs")).unwrap();
    fs::write(root.join("docs/01-bad.md"), bad).unwrap();
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

    // Quoted panics: a step's todo! where the exercise before that step has
    // it, and any other panic on a line holding its message.
    fs::remove_file(root.join("docs/01-bad.md")).unwrap();
    fs::remove_file(root.join("lectures/00-good.md")).unwrap();
    fs::remove_file(root.join("lectures/ja/00-good.md")).unwrap();
    fs::write(
        root.join("src/lib.rs"),
        "pub fn one() -> u8 {\n    //@ step 1: One.\n    1\n    //@ end step 1\n}\n\
         pub fn two() -> u8 {\n    //@ step 2: Two.\n    2\n    //@ end step 2\n}\n\
         pub fn three() {\n    panic!(\"no three\");\n}\n",
    )
    .unwrap();
    let todo = |line: usize, step: u8, hint: &str| {
        format!(
            "```text\nthread 'x' (1) panicked at src/lib.rs:{line}:5:\n\
             not yet implemented: Step {step}: {hint} ({})\n```\n",
            STEPS[usize::from(step) - 1].lecture
        )
    };
    // With step 1 cut, step 1's todo is on line 3; with step 1 written and
    // step 2 cut, step 2's is on line 8.
    let panics = format!(
        "# Panics\n\n{}{}```text\nthread 'y' (2) panicked at src/lib.rs:12:5:\nno three\n```\n",
        todo(3, 1, "One."),
        todo(8, 2, "Two.")
    );
    fs::write(root.join("docs/02-panics.md"), &panics).unwrap();
    let (_, problems) = check_docs(&root).unwrap();
    assert_eq!(problems, [], "{problems:#?}");
    let stale = panics
        .replace("lib.rs:8:5", "lib.rs:7:5")
        .replace("lib.rs:12:", "lib.rs:11:");
    fs::write(root.join("docs/02-panics.md"), stale).unwrap();
    let (_, problems) = check_docs(&root).unwrap();
    let found: Vec<(usize, &str)> = problems
        .iter()
        .map(|p| (p.line, p.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                8,
                "the panic at src/lib.rs:7:5: that line does not hold it; it is at src/lib.rs:8:5"
            ),
            (
                12,
                "the panic at src/lib.rs:11:5: that line does not hold it; it is at src/lib.rs:12"
            ),
        ]
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
    assert!(
        tally.twins >= STEPS.len(),
        "every lecture has its twin: {tally:?}"
    );
}

/// Writes the lecture of every step, and its Japanese twin.
fn write_step_lectures(root: &Path) {
    fs::create_dir_all(root.join("lectures/ja")).unwrap();
    for step in &STEPS {
        fs::write(root.join(step.lecture), "# Lecture\n\n## Stuck?\n").unwrap();
        let twin = step.lecture.replace("lectures/", "lectures/ja/");
        fs::write(root.join(twin), "# 講義\n\n## 詰まったら\n").unwrap();
    }
}

#[test]
fn twins_differ_only_in_their_prose() {
    use tool::docs::compare_twins;
    let english =
        "# Title\n\nSome prose.\n\n```sh\ncargo test\n```\n\n## Part\n\n```text\nok\nok\n```\n";
    let japanese =
        "# 題\n\n本文。\nもう一行。\n\n```sh\ncargo test\n```\n\n## 部\n\n```text\nok\nok\n```\n";
    assert_eq!(compare_twins("en.md", english, japanese), []);

    let block_2 = "code block 2 differs from en.md's (its line 11)";
    let drifts = [
        (
            japanese.replace("ok\nok", "ok\nOK"),
            12,
            format!("{block_2}: line 2 should read \"ok\""),
        ),
        (
            japanese.replace("ok\nok", "ok\nok\nok"),
            12,
            format!("{block_2}: it has more than en.md's 2 lines"),
        ),
        (
            japanese.replace("```sh", "```console"),
            6,
            "code block 1 differs from en.md's (its line 5): its fence should open with ```sh"
                .into(),
        ),
        (
            format!("{japanese}\n```text\nmore\n```\n"),
            17,
            "code blocks: 3 here, 2 in en.md".into(),
        ),
        (
            japanese.replace("## 部", "### 部"),
            10,
            "heading 2 is level 3 where en.md's (\"Part\") is level 2".into(),
        ),
        (
            japanese.replace("## 部\n", "部\n"),
            1,
            "headings: 1 here, 2 in en.md".into(),
        ),
        (
            format!("{japanese}\n## 付録\n"),
            17,
            "headings: 3 here, 2 in en.md".into(),
        ),
    ];
    for (twin, line, message) in drifts {
        assert_eq!(
            compare_twins("en.md", english, &twin),
            [(line, message)],
            "{twin}"
        );
    }
}

#[test]
fn check_docs_holds_each_lecture_to_its_japanese_twin() {
    use tool::docs::check_docs;
    let root = scratch("twins");
    fs::create_dir_all(root.join("src")).unwrap();
    fs::write(
        root.join("src/lib.rs"),
        "pub fn answer() -> u8 {\n    42\n}\n",
    )
    .unwrap();
    write_step_lectures(&root);
    let (_, problems) = check_docs(&root).unwrap();
    assert_eq!(problems, [], "the step lectures and their twins agree");

    fs::write(root.join("lectures/02-alone.md"), "# Alone\n").unwrap();
    fs::write(root.join("lectures/ja/03-orphan.md"), "# 孤児\n").unwrap();
    let pair =
        "# Pair\n\nFrom [src/lib.rs](../src/lib.rs):\n\n```rust\npub fn answer() -> u8 {\n```\n";
    fs::write(root.join("lectures/04-pair.md"), pair).unwrap();
    let twin =
        "# 対\n\n[src/lib.rs](../src/lib.rs) より。\n\n```rust\npub fn answer() -> u8 {\n```\n\n\
        [英語版](../04-pair.md)、[対のない講義](../02-alone.md)、[日本語版](04-pair.md)\n";
    fs::write(root.join("lectures/ja/04-pair.md"), twin).unwrap();
    let (_, problems) = check_docs(&root).unwrap();
    let found: Vec<(&str, usize, &str)> = problems
        .iter()
        .map(|p| (p.file.as_str(), p.line, p.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("lectures/ja/04-pair.md", 5, "../src/lib.rs: no such file"),
            (
                "lectures/ja/04-pair.md",
                3,
                "link to ../src/lib.rs: no such file"
            ),
            (
                "lectures/ja/04-pair.md",
                9,
                "link to ../04-pair.md: the lecture has a Japanese twin; link 04-pair.md"
            ),
            (
                "lectures/02-alone.md",
                1,
                "the lecture has no Japanese twin lectures/ja/02-alone.md"
            ),
            (
                "lectures/ja/03-orphan.md",
                1,
                "a Japanese twin of no lecture: there is no lectures/03-orphan.md"
            ),
        ],
        "{problems:#?}"
    );
    fs::remove_dir_all(&root).unwrap();
}
