//! `scripts/check-docs`: the lectures and docs must not drift from the code.
//!
//! Four promises are checked in every Markdown file of `lectures/` and
//! `docs/`, and in the two READMEs:
//!
//! 1. **Excerpts are real.** A ```` ```rust ```` block names its source file
//!    with a link on the line just before it, and its lines appear in that
//!    file, in order. A line that is only `// ...` stands for lines left out.
//!    The excerpt may be indented less than the file (a method shown without
//!    its `impl`), as long as every line is shifted the same way. A block
//!    that is not the project's code says so: ```` ```rust example ````.
//! 2. **Links lead somewhere.** A relative link names a file or directory
//!    that exists, and a `#anchor` names a heading of that Markdown file
//!    (GitHub's rules for turning headings into anchors).
//! 3. **Test commands run tests.** `cargo test --test NAME [FILTER]` names a
//!    file `tests/NAME.rs`, and a filter is part of some test's name in it.
//! 4. **Every lecture has its Japanese twin.** `lectures/NAME.md` has
//!    `lectures/ja/NAME.md`, and the two have the same fenced blocks (info
//!    string and lines, in order) and the same headings (count and levels, in
//!    order): only the prose is translated. A twin links to the other twins,
//!    not to the English lectures they translate.
//! 5. **Quoted panics point at their line.** A transcript's `panicked at
//!    FILE:LINE:COLUMN:` names the line that panics, as the learner who
//!    ran it saw it (see `check_panics`).
//!
//! The lectures named by the workshop's hints must exist, too.

use std::collections::HashMap;
use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::markers::STEPS;

/// Folders whose Markdown files are checked, and single files besides.
const DOC_DIRS: &[&str] = &[LECTURES, TWINS, "docs"];

/// The lectures, and the folder of their Japanese twins.
const LECTURES: &str = "lectures";
const TWINS: &str = "lectures/ja";
const DOC_FILES: &[&str] = &["README.md", "scripts/README.md"];

/// The info-string word that marks a Rust block as not quoted from the project.
const EXAMPLE: &str = "example";

/// The line that stands for lines left out of an excerpt.
const ELISION: &str = "// ...";

/// One broken promise, with where it was broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// What was checked, for the summary line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub files: usize,
    pub excerpts: usize,
    pub links: usize,
    pub test_commands: usize,
    pub twins: usize,
}

/// `scripts/check-docs`: prints every problem; true when there are none.
pub fn check_docs_command(root: &Path) -> Result<bool, String> {
    let (tally, problems) = check_docs(root)?;
    for problem in &problems {
        say!("{}:{}: {}", problem.file, problem.line, problem.message);
    }
    if problems.is_empty() {
        say!(
            "check-docs: {} files, {} excerpts, {} links, {} test commands, {} Japanese twins: \
             all match the code",
            tally.files,
            tally.excerpts,
            tally.links,
            tally.test_commands,
            tally.twins
        );
    } else {
        say!("check-docs: {} problems", problems.len());
    }
    Ok(problems.is_empty())
}

/// Checks every document under `root`.
pub fn check_docs(root: &Path) -> Result<(Tally, Vec<Problem>), String> {
    let mut tally = Tally::default();
    let mut problems = Vec::new();
    let steps_file = "scripts/workshop-tool/markers.rs";
    for step in &STEPS {
        if !root.join(step.lecture).is_file() {
            let steps_source = fs::read_to_string(root.join(steps_file)).unwrap_or_default();
            problems.push(Problem {
                file: steps_file.into(),
                line: line_of(&steps_source, step.lecture),
                message: format!(
                    "step {}'s lecture {} does not exist",
                    step.number, step.lecture
                ),
            });
        }
    }
    for relative in markdown_files(root) {
        let text = fs::read_to_string(root.join(&relative))
            .map_err(|err| format!("{}: {err}", relative.display()))?;
        check_document(root, &relative, &text, &mut tally, &mut problems);
        check_panics(root, &relative, &text, &mut problems);
    }
    check_twins(root, &mut tally, &mut problems)?;
    Ok((tally, problems))
}

/// Panics quoted in transcripts point at real lines. A transcript line
/// `... panicked at src/server.rs:42:5:` followed by a step's
/// `not yet implemented: Step N: hint` must name the line and column of
/// that `todo!` in the exercise a learner has when starting step N (steps
/// 1 to N-1 written). Any other quoted panic must name a line of that file
/// that holds the message (up to its first `: `).
fn check_panics(root: &Path, relative: &Path, text: &str, problems: &mut Vec<Problem>) {
    let lines: Vec<&str> = text.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        let Some((_, place)) = line.split_once(" panicked at ") else {
            continue;
        };
        let mut parts = place.trim_end().trim_end_matches(':').rsplitn(3, ':');
        let (Some(column), Some(row), Some(path)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let (Ok(column), Ok(row)) = (column.parse::<usize>(), row.parse::<usize>()) else {
            continue;
        };
        let message = lines.get(index + 1).map_or("", |l| l.trim());
        if let Err(problem) = panic_place(root, path, row, column, message) {
            problems.push(Problem {
                file: relative.display().to_string(),
                line: index + 1,
                message: format!("the panic at {path}:{row}:{column}: {problem}"),
            });
        }
    }
}

fn panic_place(
    root: &Path,
    path: &str,
    row: usize,
    column: usize,
    message: &str,
) -> Result<(), String> {
    let source = fs::read_to_string(root.join(path)).map_err(|_| "no such file".to_string())?;
    let todo = message.strip_prefix("not yet implemented: ");
    let step = todo
        .and_then(|m| m.strip_prefix("Step "))
        .and_then(|m| m.split(':').next())
        .and_then(|n| n.parse::<u8>().ok());
    let (text, wanted) = match (todo, step) {
        (Some(todo), Some(step)) if path.starts_with("src/") => {
            let cut = crate::markers::cut(&source, step - 1).map_err(|e| e.to_string())?;
            (cut, format!("todo!(\"{}\");", crate::markers::escape(todo)))
        }
        _ => (
            source,
            message.split(": ").next().unwrap_or(message).to_string(),
        ),
    };
    let Some(found) = text.lines().nth(row.wrapping_sub(1)) else {
        return Err("the file is shorter".into());
    };
    let at = found.find(wanted.as_str());
    match at {
        Some(at) if todo.is_none() || at + 1 == column => Ok(()),
        _ => {
            let actual = text
                .lines()
                .position(|l| l.contains(wanted.as_str()))
                .map_or("nowhere".to_string(), |i| match todo {
                    // A todo!'s column is where the macro starts.
                    Some(_) => {
                        let line = text.lines().nth(i).unwrap_or("");
                        let col = line.find(wanted.as_str()).unwrap_or(0);
                        format!("{path}:{}:{}", i + 1, col + 1)
                    }
                    None => format!("{path}:{}", i + 1),
                });
            Err(format!("that line does not hold it; it is at {actual}"))
        }
    }
}

/// The number of the first line of `text` that contains `needle` (0 if none).
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|line| line.contains(needle))
        .map_or(0, |i| i + 1)
}

/// The documents to check, relative to `root`, in a stable order.
fn markdown_files(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = DOC_FILES.iter().map(PathBuf::from).collect();
    for dir in DOC_DIRS {
        let Ok(entries) = fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut found: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|entry| Path::new(dir).join(entry.file_name()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
            .collect();
        found.sort();
        files.extend(found);
    }
    files.retain(|file| root.join(file).is_file());
    files
}

/// A fenced code block: its info string, the line its fence opens on, its
/// lines, and the last non-blank line of prose before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub info: String,
    pub line: usize,
    pub lines: Vec<String>,
    pub caption: Option<String>,
}

/// A Markdown document split into prose lines (numbered from 1) and code blocks.
#[derive(Debug, Default)]
pub struct Document {
    pub prose: Vec<(usize, String)>,
    pub blocks: Vec<Block>,
}

/// Splits Markdown into prose and fenced blocks (``` or ~~~, three or more).
pub fn parse_document(text: &str) -> Document {
    let mut doc = Document::default();
    let mut open: Option<(String, Block)> = None; // (closing fence, block)
    let mut last_prose: Option<String> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let trimmed = line.trim_start();
        if let Some((fence, mut block)) = open.take() {
            if trimmed.trim_end() == fence {
                block.caption.clone_from(&last_prose);
                doc.blocks.push(block);
                last_prose = None;
            } else {
                block.lines.push(line.to_string());
                open = Some((fence, block));
            }
            continue;
        }
        let fence_char = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let fence_len =
            fence_char.map_or(0, |c| trimmed.len() - trimmed.trim_start_matches(c).len());
        if fence_len >= 3 {
            let block = Block {
                info: trimmed[fence_len..].trim().to_string(),
                line: number,
                lines: Vec::new(),
                caption: None,
            };
            open = Some((trimmed[..fence_len].to_string(), block));
            continue;
        }
        if !trimmed.is_empty() {
            last_prose = Some(line.to_string());
        }
        doc.prose.push((number, line.to_string()));
    }
    doc
}

fn check_document(
    root: &Path,
    relative: &Path,
    text: &str,
    tally: &mut Tally,
    problems: &mut Vec<Problem>,
) {
    let doc = parse_document(text);
    let base = relative.parent().unwrap_or(Path::new(""));
    let mut report = |line: usize, message: String| {
        problems.push(Problem {
            file: relative.display().to_string(),
            line,
            message,
        })
    };
    tally.files += 1;

    for block in &doc.blocks {
        let mut words = block.info.split_whitespace();
        if words.next() != Some("rust") || words.any(|word| word == EXAMPLE) {
            continue;
        }
        tally.excerpts += 1;
        let Some(source) = block.caption.as_deref().and_then(source_link) else {
            report(
                block.line,
                "a Rust block names its source file in a link on the line before it \
                 (or is marked ```rust example)"
                    .into(),
            );
            continue;
        };
        let path = resolve(root, base, &source);
        match fs::read_to_string(&path) {
            Err(_) => report(block.line, format!("{source}: no such file")),
            Ok(code) => {
                if let Err(missing) = find_excerpt(&code, &block.lines) {
                    report(
                        block.line,
                        format!("excerpt not found in {source}; this part differs: {missing:?}"),
                    );
                }
            }
        }
    }

    for (line, target) in links(&doc) {
        tally.links += 1;
        let checked = check_link(root, base, relative, &target)
            .and_then(|()| check_twin_link(root, base, &target));
        if let Err(message) = checked {
            report(line, message);
        }
    }

    for (line, command) in test_commands(&doc) {
        tally.test_commands += 1;
        if let Err(message) = check_test_command(root, &command) {
            report(line, message);
        }
    }
}

/// The last link on `line` to a Rust file: the excerpt's source.
fn source_link(line: &str) -> Option<String> {
    link_targets(line)
        .into_iter()
        .rev()
        .find(|target| target.ends_with(".rs"))
}

/// Resolves a link target against the document's folder, within the project.
fn resolve(root: &Path, base: &Path, target: &str) -> PathBuf {
    let mut path = root.to_path_buf();
    for component in base.join(target).components() {
        match component {
            Component::ParentDir => {
                path.pop();
            }
            Component::Normal(part) => path.push(part),
            _ => {}
        }
    }
    path
}

/// Finds `excerpt` in `code`: each run of lines between `// ...` lines must
/// appear whole, in order, each line shifted by the same indentation.
/// On failure, returns the first line that differs where the run came closest.
pub fn find_excerpt(code: &str, excerpt: &[String]) -> Result<(), String> {
    let code: Vec<&str> = code.lines().map(str::trim_end).collect();
    let mut from = 0;
    for run in excerpt.split(|line| line.trim() == ELISION) {
        let run: Vec<&str> = run.iter().map(|line| line.trim_end()).collect();
        let Some(first) = run.iter().position(|line| !line.is_empty()) else {
            continue;
        };
        let run = &run[first..];
        let mut closest = 0;
        let found = (from..code.len()).find(|&start| {
            let matched = matching_lines(&code[start..], run);
            closest = closest.max(matched);
            matched == run.len()
        });
        match found {
            Some(start) => from = start + run.len(),
            None => return Err(run[closest].trim().to_string()),
        }
    }
    Ok(())
}

/// How many lines of `run` the start of `code` matches, every line
/// indented by the same extra prefix as the first.
fn matching_lines(code: &[&str], run: &[&str]) -> usize {
    let Some(shift) = code.first().and_then(|line| line.strip_suffix(run[0])) else {
        return 0;
    };
    if !shift.chars().all(char::is_whitespace) {
        return 0;
    }
    run.iter()
        .zip(code)
        .take_while(|(want, have)| {
            if want.is_empty() {
                have.is_empty()
            } else {
                have.strip_prefix(shift) == Some(**want)
            }
        })
        .count()
}

/// Every link target in the prose, with its line: `[text](target)` and
/// reference definitions `[name]: target`. Code spans are not prose.
fn links(doc: &Document) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (line, text) in &doc.prose {
        let text = without_code_spans(text);
        for target in link_targets(&text) {
            found.push((*line, target));
        }
        let trimmed = text.trim_start();
        if let Some(rest) = trimmed.strip_prefix('[') {
            if let Some((_, target)) = rest.split_once("]: ") {
                found.push((*line, target.split_whitespace().next().unwrap_or("").into()));
            }
        }
    }
    found
}

/// The targets of `[text](target)` links on one line.
fn link_targets(line: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        let end = rest.find(')').unwrap_or(rest.len());
        let target = rest[..end].split_whitespace().next().unwrap_or("");
        targets.push(target.trim_matches(['<', '>']).to_string());
        rest = &rest[end..];
    }
    targets
}

/// `line` with every `code span` blanked out.
fn without_code_spans(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for (index, part) in line.split('`').enumerate() {
        if index % 2 == 0 {
            out.push_str(part);
        } else {
            out.push(' ');
        }
    }
    out
}

/// The text of every `code span` on one line.
fn code_spans(line: &str) -> impl Iterator<Item = &str> {
    line.split('`').skip(1).step_by(2)
}

fn check_link(root: &Path, base: &Path, relative: &Path, target: &str) -> Result<(), String> {
    if target.is_empty() {
        return Err("empty link".into());
    }
    if target.contains("://") || target.starts_with("mailto:") {
        return Ok(());
    }
    let (file, anchor) = match target.split_once('#') {
        Some((file, anchor)) => (file, Some(anchor)),
        None => (target, None),
    };
    let path = if file.is_empty() {
        root.join(relative)
    } else {
        resolve(root, base, file)
    };
    if !path.exists() {
        return Err(format!("link to {target}: no such file"));
    }
    let Some(anchor) = anchor else {
        return Ok(());
    };
    if path.extension().map_or(true, |ext| ext != "md") {
        return Err(format!(
            "link to {target}: anchors into code drift; link the file alone"
        ));
    }
    let text = fs::read_to_string(&path).map_err(|err| format!("{target}: {err}"))?;
    if heading_anchors(&text).iter().any(|a| a == anchor) {
        Ok(())
    } else {
        Err(format!(
            "link to {target}: no heading has the anchor #{anchor}"
        ))
    }
}

/// A heading of a document: its line, its level (the number of `#`) and
/// its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub line: usize,
    pub level: usize,
    pub text: String,
}

/// The headings of a document's prose, in order: `#` to `######` and a space.
pub fn headings(doc: &Document) -> Vec<Heading> {
    doc.prose
        .iter()
        .filter_map(|(line, text)| {
            let level = text.len() - text.trim_start_matches('#').len();
            let rest = &text[level..];
            ((1..=6).contains(&level) && rest.starts_with(' ')).then(|| Heading {
                line: *line,
                level,
                text: rest.trim().to_string(),
            })
        })
        .collect()
}

/// The anchors GitHub gives a document's headings, in order.
pub fn heading_anchors(text: &str) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut anchors = Vec::new();
    for heading in headings(&parse_document(text)) {
        let slug = slug(&heading.text);
        let count = seen.entry(slug.clone()).or_insert(0);
        anchors.push(if *count == 0 {
            slug.clone()
        } else {
            format!("{slug}-{count}")
        });
        *count += 1;
    }
    anchors
}

/// GitHub's anchor for one heading: the text as rendered (links become
/// their text), lowercased; letters, digits, `-` and `_` kept, spaces made
/// `-`, everything else dropped.
pub fn slug(heading: &str) -> String {
    let mut text = String::new();
    let mut rest = heading.trim();
    // [text](target) renders as text.
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](").map(|i| open + i) else {
            break;
        };
        let end = rest[close..]
            .find(')')
            .map_or(rest.len(), |i| close + i + 1);
        text.push_str(&rest[..open]);
        text.push_str(&rest[open + 1..close]);
        rest = &rest[end..];
    }
    text.push_str(rest);
    text.chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every `cargo test --test ...` command, with its line: in code spans of
/// the prose and in every line of the code blocks.
fn test_commands(doc: &Document) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let is_test_command = |text: &str| text.contains("cargo test") && text.contains("--test ");
    for (line, text) in &doc.prose {
        for span in code_spans(text).filter(|span| is_test_command(span)) {
            found.push((*line, span.to_string()));
        }
    }
    for block in &doc.blocks {
        for (offset, text) in block.lines.iter().enumerate() {
            if is_test_command(text) {
                found.push((block.line + 1 + offset, text.clone()));
            }
        }
    }
    found
}

/// Checks `cargo test ... --test NAME [FILTER]`: the target and the filter exist.
fn check_test_command(root: &Path, command: &str) -> Result<(), String> {
    let words: Vec<&str> = command.split_whitespace().collect();
    let Some(at) = words.iter().position(|word| *word == "--test") else {
        return Ok(());
    };
    let Some(name) = words.get(at + 1) else {
        return Err(format!("`{command}`: --test names no target"));
    };
    let file = root.join("tests").join(format!("{name}.rs"));
    let source = fs::read_to_string(&file)
        .map_err(|_| format!("`{command}`: there is no test target {name} (tests/{name}.rs)"))?;
    let filter = words
        .get(at + 2)
        .filter(|word| !word.starts_with('-') && !word.starts_with('#'));
    if let Some(filter) = filter {
        if !test_names(&source).iter().any(|test| test.contains(filter)) {
            return Err(format!(
                "`{command}`: no test in tests/{name}.rs has {filter} in its name"
            ));
        }
    }
    Ok(())
}

/// The names of the `#[test]` functions in a test file.
fn test_names(source: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut after_test_attribute = false;
    for line in source.lines().map(str::trim) {
        if line == "#[test]" {
            after_test_attribute = true;
        } else if after_test_attribute {
            if let Some(rest) = line.strip_prefix("fn ") {
                names.push(rest.split(['(', '<']).next().unwrap_or(rest));
                after_test_attribute = false;
            }
        }
    }
    names
}

// ---------------------------------------------------------------- twins

/// Checks that every lecture has its Japanese twin and that every twin
/// translates a lecture, and compares each pair's blocks and headings.
fn check_twins(root: &Path, tally: &mut Tally, problems: &mut Vec<Problem>) -> Result<(), String> {
    let names = |dir: &str| -> Vec<PathBuf> {
        markdown_files(root)
            .into_iter()
            .filter(|file| file.parent() == Some(Path::new(dir)))
            .filter_map(|file| file.file_name().map(PathBuf::from))
            .collect()
    };
    let twins = names(TWINS);
    for name in names(LECTURES) {
        let lecture = Path::new(LECTURES).join(&name);
        let twin = Path::new(TWINS).join(&name);
        if !twins.contains(&name) {
            problems.push(Problem {
                file: lecture.display().to_string(),
                line: 1,
                message: format!("the lecture has no Japanese twin {}", twin.display()),
            });
            continue;
        }
        tally.twins += 1;
        let read = |file: &Path| {
            fs::read_to_string(root.join(file)).map_err(|err| format!("{}: {err}", file.display()))
        };
        let (english, japanese) = (read(&lecture)?, read(&twin)?);
        for (line, message) in compare_twins(&lecture.display().to_string(), &english, &japanese) {
            problems.push(Problem {
                file: twin.display().to_string(),
                line,
                message,
            });
        }
    }
    for name in twins {
        if !root.join(LECTURES).join(&name).is_file() {
            problems.push(Problem {
                file: Path::new(TWINS).join(&name).display().to_string(),
                line: 1,
                message: format!(
                    "a Japanese twin of no lecture: there is no {}",
                    Path::new(LECTURES).join(&name).display()
                ),
            });
        }
    }
    Ok(())
}

/// How the twin `japanese` differs from the lecture `english` (named
/// `lecture` in the messages): the first block that differs and the first
/// heading whose level differs, each with its line in the twin. Only the
/// first of each is told, since one missing block shifts all the others.
pub fn compare_twins(lecture: &str, english: &str, japanese: &str) -> Vec<(usize, String)> {
    let (english, japanese) = (parse_document(english), parse_document(japanese));
    let mut found = Vec::new();
    let mut blocks = english.blocks.iter().zip(&japanese.blocks).enumerate();
    if let Some((index, (want, have))) =
        blocks.find(|(_, (want, have))| want.info != have.info || want.lines != have.lines)
    {
        let differs = if want.info == have.info {
            let at = want
                .lines
                .iter()
                .zip(&have.lines)
                .take_while(|(a, b)| a == b)
                .count();
            match want.lines.get(at) {
                Some(line) => format!("line {} should read {line:?}", at + 1),
                None => format!("it has more than {lecture}'s {} lines", want.lines.len()),
            }
        } else {
            format!("its fence should open with ```{}", want.info)
        };
        found.push((
            have.line,
            format!(
                "code block {} differs from {lecture}'s (its line {}): {differs}",
                index + 1,
                want.line
            ),
        ));
    } else if english.blocks.len() != japanese.blocks.len() {
        let line = japanese
            .blocks
            .get(english.blocks.len())
            .map_or(1, |block| block.line);
        found.push((
            line,
            format!(
                "code blocks: {} here, {} in {lecture}",
                japanese.blocks.len(),
                english.blocks.len()
            ),
        ));
    }
    let (want, have) = (headings(&english), headings(&japanese));
    if let Some((index, (w, h))) = want
        .iter()
        .zip(&have)
        .enumerate()
        .find(|(_, (w, h))| w.level != h.level)
    {
        found.push((
            h.line,
            format!(
                "heading {} is level {} where {lecture}'s ({:?}) is level {}",
                index + 1,
                h.level,
                w.text,
                w.level
            ),
        ));
    } else if want.len() != have.len() {
        let line = have.get(want.len()).map_or(1, |heading| heading.line);
        found.push((
            line,
            format!("headings: {} here, {} in {lecture}", have.len(), want.len()),
        ));
    }
    found
}

/// A link from a Japanese twin to an English lecture that has a twin
/// should lead to the twin.
fn check_twin_link(root: &Path, base: &Path, target: &str) -> Result<(), String> {
    let file = target.split_once('#').map_or(target, |(file, _)| file);
    if base != Path::new(TWINS) || file.is_empty() || target.contains("://") {
        return Ok(());
    }
    let lectures = root.join(LECTURES);
    let path = resolve(root, base, file);
    let Some(name) = path
        .file_name()
        .filter(|_| path.parent() == Some(&lectures))
    else {
        return Ok(());
    };
    if root.join(TWINS).join(name).is_file() {
        Err(format!(
            "link to {target}: the lecture has a Japanese twin; link {}",
            Path::new(name).display()
        ))
    } else {
        Ok(())
    }
}
