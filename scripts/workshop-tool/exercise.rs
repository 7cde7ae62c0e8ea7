//! The exercise: the crate a learner works in, written from the finished
//! code with some regions cut.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::markers::{self, Region};

/// Tests that belong to the generator, not to the server: left out of the
/// exercise, which has no scripts/ to test.
pub const GENERATOR_TESTS: &[&str] = &["workshop_tool.rs"];

/// What the exercise says about itself.
const EXERCISE_README: &str = "\
# Your mini-redis

(日本語: README.ja.md)

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

Steps 6 to 9 are optional chapters, for after step 5:

    cargo test --test step06_lists_hashes
    cargo test --test step07_transactions
    cargo test --test step08_pubsub
    cargo test --test step09_persistence

From the repository you made this in (add this directory's path after
`check` or `diff` if it is not the repository's `exercise/`):

    scripts/workshop check          # how far you are, and where to write next
    scripts/workshop diff FILE      # how your FILE differs from the solution's

`check` also runs the tests of the whole suite that need only the steps
that pass: once step N passes, every test tagged `//@ passes from step N`
or lower passes too.

`cargo run` starts your server on 127.0.0.1:6379; talk to it with
`redis-cli` or `nc localhost 6379`. From step 3 on it answers everything
written so far; a later step's part that a running server would trip over
holds a stub (a `//@ stub:` line shows it) instead of a `todo!`. When every
step passes, so does the whole `cargo test`.
";

/// The same, in Japanese, for the lectures in `lectures/ja/`.
const EXERCISE_README_JA: &str = "\
# あなたの mini-redis

このクレートは、完成版の mini-redis から、あなたが書く部分を切り取ったものです。
`src/` にある `todo!(\"Step N: ...\")` の 1 つ 1 つがその部分で、
`//@ step N: hint` の行と `//@ end step N` の行に挟まれています。`todo!` の代わりに
そこへコードを書いてください。印の行は残しておきます。

ヒントが指す講義には、同じファイル名の日本語版がリポジトリの `lectures/ja/` にあります
(`lectures/01-tcp-server.md` なら `lectures/ja/01-tcp-server.md`)。

ステップは順番に進めます。ステップごとに専用のテストがあります:

    cargo test --test step01_tcp_server
    cargo test --test step02_protocol
    cargo test --test step03_commands
    cargo test --test step04_expiry
    cargo test --test step05_extensions

ステップ 6 から 9 は、ステップ 5 のあとに取り組む任意の章です:

    cargo test --test step06_lists_hashes
    cargo test --test step07_transactions
    cargo test --test step08_pubsub
    cargo test --test step09_persistence

この演習を作ったリポジトリで(ここがリポジトリの `exercise/` でなければ、`check` や
`diff` のあとにこのディレクトリのパスを添えて):

    scripts/workshop check          # どこまで進んだか、次にどこを書くか
    scripts/workshop diff FILE      # あなたの FILE と解答との違い

`check` は、スイート全体のうち、通っているステップだけを必要とするテストも実行します。
ステップ N が通れば、`//@ passes from step N` 以下の印が付いたテストもすべて通ります。

`cargo run` で、あなたのサーバが 127.0.0.1:6379 で起動します。`redis-cli` や
`nc localhost 6379` で話しかけてください。ステップ 3 からは、それまでに書いたものすべてに
答えます。動いているサーバがつまずくような後のステップの部分には、`todo!` の代わりに
スタブが入っています(`//@ stub:` の行が目印です)。すべてのステップが通れば、
`cargo test` 全体も通ります。
";

/// The line added to the exercise's lib.rs, after its doc comment.
const EXERCISE_ALLOW: &str = "\
// Added by scripts/workshop: until every step is written, the code cut out
// leaves parameters, imports and helpers unused. The optional steps count
// too: delete this line once every step's tests pass, the optional ones
// included, and the crate builds without a warning, as the finished code does.
#![allow(unused)]
";

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
pub type ShouldCut<'a> = &'a dyn Fn(&Path, &Region) -> bool;

/// Like [`write_exercise`], cutting the regions that `should_cut` picks.
pub fn write_exercise_cutting(
    root: &Path,
    dir: &Path,
    should_cut: ShouldCut,
) -> Result<usize, String> {
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
    fs::write(dir.join("README.ja.md"), EXERCISE_README_JA).map_err(|e| io_error(dir, e))?;
    let mut cut_count = 0;
    for file in marked_files(&root.join("src"))? {
        let regions = file.regions.map_err(|e| format!("{}: {e}", file.name))?;
        let cut: Vec<&Region> = regions
            .iter()
            .filter(|r| should_cut(&file.relative, r))
            .collect();
        cut_count += cut.len();
        let mut text = markers::cut_regions(&file.source, cut.into_iter());
        let relative = file.relative;
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

/// One source file and the workshop regions marked in it.
pub struct MarkedFile {
    /// The path relative to `src/`, and as a learner names it (`src/...`).
    pub relative: PathBuf,
    pub name: String,
    pub source: String,
    pub regions: Result<Vec<Region>, markers::MarkerError>,
}

/// Every `.rs` file of the `src/` directory `src`, read, with its markers
/// parsed, sorted by path.
pub fn marked_files(src: &Path) -> Result<Vec<MarkedFile>, String> {
    rust_files(src)?
        .into_iter()
        .map(|relative| {
            let source = read(&src.join(&relative))?;
            Ok(MarkedFile {
                name: format!("src/{}", relative.display()),
                regions: markers::find_regions(&source),
                relative,
                source,
            })
        })
        .collect()
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

pub fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The places to write for `step` in the exercise, in the order the
/// lectures take them: its regions that still hold their `todo!` (or
/// stub), and the earlier steps' regions that `step` comes back to. Each
/// comes with the hint to show.
pub fn regions_to_write(dir: &Path, step: u8) -> Result<Vec<(String, Region, String)>, String> {
    let mut found = Vec::new();
    for file in in_lesson_order(marked_files(&dir.join("src"))?) {
        // A file whose markers the learner broke has nothing to point at.
        let Ok(regions) = file.regions else {
            continue;
        };
        for region in regions {
            let hint = match &region.again {
                Some((again, hint)) if *again == step => {
                    format!("(your step {} code, again) {hint}", region.step)
                }
                _ if region.step == step && region.is_cut(&file.source) => region.hint.clone(),
                _ => continue,
            };
            found.push((file.name.clone(), region, hint));
        }
    }
    Ok(found)
}

/// The source files in the order a learner meets them: the outside of the
/// server first (listener, then connection), then inwards.
const LESSON_ORDER: &[&str] = &[
    "server.rs",
    "connection.rs",
    "protocol.rs",
    "executor.rs",
    "commands/mod.rs",
    "commands/session.rs",
    "commands/strings.rs",
    "commands/keys.rs",
    "storage.rs",
    "expiry.rs",
    "commands/lists.rs",
    "commands/hashes.rs",
    "transaction.rs",
    "waiters.rs",
];

pub fn in_lesson_order(mut files: Vec<MarkedFile>) -> Vec<MarkedFile> {
    files.sort_by_key(|f| lesson_rank(&f.relative));
    files
}

/// Where `relative` (a path under `src/`) comes in [`LESSON_ORDER`];
/// files it does not name come last.
pub fn lesson_rank(relative: &Path) -> usize {
    LESSON_ORDER
        .iter()
        .position(|known| Path::new(known) == relative)
        .unwrap_or(LESSON_ORDER.len())
}
