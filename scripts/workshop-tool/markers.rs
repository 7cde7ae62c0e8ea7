//! Workshop markers: how the finished code in `src/` says which lines a
//! learner writes, and how those lines are cut out.
//!
//! A region is opened and closed by two comment lines of their own:
//!
//! ```text
//!     //@ step 2: Write `$<len>\r\n`, the bytes, then `\r\n`.
//!     write_number(out, b'$', bytes.len() as i64)?;
//!     ...
//!     //@ end step 2
//! ```
//!
//! `//@` is not a Rust doc comment (`///`, `//!`), so a marker cannot be
//! mistaken for one, and every line starting with `//@` must be a well-formed
//! marker. Cutting a region keeps both markers and puts, in place of the code,
//! one `todo!` that carries the hint and the lecture to read.
//!
//! Two kinds of line may follow the opening marker, before the code:
//!
//! ```text
//!     //@ stub: CycleReport::default()
//!     //@ again in step 5: Obey the condition, the TTL and the answer.
//! ```
//!
//! `stub:` gives the code that stands in for the region until it is
//! written, where a `todo!` would trip a learner who runs the server (the
//! reaper, the inline reader). `again in step N:` says that step N comes back
//! to this region, so `check` lists it for that step too.
//!
//! Outside regions, `//@ passes from step N` says which steps a test needs
//! (`suite.rs` reads those tags).

use std::fmt;

/// One workshop step: its number, what the `check` command calls it, the
/// lecture that teaches it, and its test target in `tests/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub number: u8,
    pub title: &'static str,
    pub lecture: &'static str,
    pub test: &'static str,
}

/// The steps, in the order of the lectures: five, then four optional ones.
pub const STEPS: [Step; 9] = [
    Step {
        number: 1,
        title: "TCP server",
        lecture: "lectures/01-tcp-server.md",
        test: "step01_tcp_server",
    },
    Step {
        number: 2,
        title: "RESP protocol",
        lecture: "lectures/02-protocol-parsing.md",
        test: "step02_protocol",
    },
    Step {
        number: 3,
        title: "Commands",
        lecture: "lectures/03-commands.md",
        test: "step03_commands",
    },
    Step {
        number: 4,
        title: "Expiry",
        lecture: "lectures/04-expiry.md",
        test: "step04_expiry",
    },
    Step {
        number: 5,
        title: "Extensions",
        lecture: "lectures/05-summary.md",
        test: "step05_extensions",
    },
    Step {
        number: 6,
        title: "Lists, hashes",
        lecture: "lectures/06-lists-and-hashes.md",
        test: "step06_lists_hashes",
    },
    Step {
        number: 7,
        title: "Transactions",
        lecture: "lectures/07-transactions-and-blocking.md",
        test: "step07_transactions",
    },
    Step {
        number: 8,
        title: "Pub/sub",
        lecture: "lectures/08-pubsub.md",
        test: "step08_pubsub",
    },
    Step {
        number: 9,
        title: "Persistence",
        lecture: "lectures/09-persistence.md",
        test: "step09_persistence",
    },
];

/// The last step's number. Steps are numbered in the lectures' order, and a
/// number may be missing while its chapter is being written.
pub fn last_step() -> u8 {
    STEPS.iter().map(|s| s.number).max().unwrap_or(0)
}

/// The stages of the exercise, from nothing written to everything: 0, then
/// each step's number (the steps up to it written).
pub fn stages() -> Vec<u8> {
    std::iter::once(0)
        .chain(STEPS.iter().map(|s| s.number))
        .collect()
}

/// The step numbers, as a learner reads them: `1, 2, 3`.
pub fn step_list() -> String {
    let numbers: Vec<String> = STEPS.iter().map(|s| s.number.to_string()).collect();
    numbers.join(", ")
}

/// The step numbered `number`, if there is one.
pub fn step(number: u8) -> Option<&'static Step> {
    STEPS.iter().find(|s| s.number == number)
}

/// Every marker line starts with this, after its indentation.
pub const MARKER: &str = "//@";

/// One marked region of a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub step: u8,
    pub hint: String,
    /// 1-based line numbers of the opening and closing markers.
    pub open_line: usize,
    pub close_line: usize,
    /// The opening marker's indentation, reused for the `todo!`.
    pub indent: String,
    /// The code that stands in for the region in an exercise (`//@ stub:`
    /// lines); empty for a `todo!`.
    pub stub: Vec<String>,
    /// A later step that comes back to this region, and what it adds.
    pub again: Option<(u8, String)>,
}

impl Region {
    /// The line that replaces the region's code in an exercise.
    pub fn todo_line(&self) -> String {
        let lecture = step(self.step).map_or("", |s| s.lecture);
        let message = format!("Step {}: {} ({lecture})", self.step, self.hint);
        format!("{}todo!(\"{}\");", self.indent, escape(&message))
    }

    /// The lines that replace the region's code in an exercise: its stub,
    /// or its `todo!`.
    pub fn cut_lines(&self) -> Vec<String> {
        if self.stub.is_empty() {
            return vec![self.todo_line()];
        }
        self.stub
            .iter()
            .map(|code| format!("{}{code}", self.indent))
            .collect()
    }

    /// How many marker lines open the region: the opening one, its stub
    /// lines and its `again` line.
    pub fn marker_lines(&self) -> usize {
        1 + self.stub.len() + usize::from(self.again.is_some())
    }

    /// True if the region holds nothing but what cutting put there: not
    /// written yet.
    pub fn is_cut(&self, source: &str) -> bool {
        let first = self.open_line - 1 + self.marker_lines();
        let inside: Vec<&str> = source
            .lines()
            .skip(first)
            .take(self.close_line - first - 1)
            .collect();
        inside == self.cut_lines()
    }
}

/// A marker the tool cannot use; `line` is 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkerError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for MarkerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// What one marker line says.
enum Marker {
    Open {
        step: u8,
        hint: String,
    },
    Close {
        step: u8,
    },
    Stub(String),
    Again {
        step: u8,
        hint: String,
    },
    /// A test's tag, checked here and read by `suite.rs`.
    Passes,
}

/// Reads a marker line (already trimmed of indentation).
fn parse_marker(text: &str) -> Result<Marker, String> {
    let body = text[MARKER.len()..].trim();
    if let Some(number) = body.strip_prefix("end step ") {
        let step = parse_step(number.trim())?;
        return Ok(Marker::Close { step });
    }
    if let Some(code) = body.strip_prefix("stub:") {
        return match code.trim() {
            "" => Err("a `stub:` line needs the code that stands in".into()),
            code => Ok(Marker::Stub(code.to_string())),
        };
    }
    if let Some(rest) = body.strip_prefix("again in step ") {
        let (number, hint) = rest
            .split_once(':')
            .ok_or_else(|| format!("`{text}` needs a colon and what the step adds"))?;
        return Ok(Marker::Again {
            step: parse_step(number.trim())?,
            hint: hint.trim().to_string(),
        });
    }
    if let Some(number) = body.strip_prefix("passes from step ") {
        let number = number.trim();
        return match number.parse() {
            Ok(0) => Ok(Marker::Passes),
            _ => parse_step(number).map(|_| Marker::Passes),
        };
    }
    let Some(rest) = body.strip_prefix("step ") else {
        return Err(format!(
            "a marker is `{MARKER} step N: hint`, `{MARKER} stub: code`, `{MARKER} again in step N: hint`, \
             `{MARKER} end step N` or `{MARKER} passes from step N`, not `{text}`"
        ));
    };
    let Some((number, hint)) = rest.split_once(':') else {
        return Err(format!(
            "`{text}` needs a colon and a hint after the step number"
        ));
    };
    let step = parse_step(number.trim())?;
    let hint = hint.trim();
    if hint.is_empty() {
        return Err(format!("step {step} opens a region without a hint"));
    }
    Ok(Marker::Open {
        step,
        hint: hint.to_string(),
    })
}

fn parse_step(number: &str) -> Result<u8, String> {
    number
        .parse()
        .ok()
        .filter(|n| step(*n).is_some())
        .ok_or_else(|| format!("`{number}` is not a step (the steps: {})", step_list()))
}

/// Finds every region in `source`, checking that the markers are well
/// formed: each on a line of its own, opened and closed in pairs with the
/// same step, not nested, and not empty.
pub fn find_regions(source: &str) -> Result<Vec<Region>, MarkerError> {
    let mut regions = Vec::new();
    let mut open: Option<Region> = None;
    for (index, line) in source.lines().enumerate() {
        let number = index + 1;
        let error = |message: String| MarkerError {
            line: number,
            message,
        };
        let text = line.trim_start();
        if !text.starts_with(MARKER) {
            if line.contains(MARKER) {
                return Err(error(format!(
                    "a `{MARKER}` marker must be on a line of its own"
                )));
            }
            continue;
        }
        let marker = parse_marker(text).map_err(error)?;
        // Stub and `again` lines belong right after the opening marker.
        let opening = open
            .as_ref()
            .is_some_and(|r| number == r.open_line + r.marker_lines());
        match (marker, open.take()) {
            (Marker::Open { step, hint }, None) => {
                open = Some(Region {
                    step,
                    hint,
                    open_line: number,
                    close_line: 0,
                    indent: line[..line.len() - text.len()].to_string(),
                    stub: Vec::new(),
                    again: None,
                });
            }
            (Marker::Stub(code), Some(mut region)) if opening && region.again.is_none() => {
                region.stub.push(code);
                open = Some(region);
            }
            (Marker::Again { step, hint }, Some(mut region)) if opening => {
                if step <= region.step || region.again.is_some() {
                    return Err(error(format!(
                        "a step {} region can come back once, in a later step, not in step {step}",
                        region.step
                    )));
                }
                region.again = Some((step, hint));
                open = Some(region);
            }
            (Marker::Stub(_) | Marker::Again { .. }, _) => {
                return Err(error(
                    "`stub:` and `again in step N:` lines follow a region's opening marker (stubs first)".into(),
                ));
            }
            (Marker::Passes, None) => {}
            (Marker::Passes, Some(region)) => {
                return Err(error(format!(
                    "`passes from step` tags a test, not a line inside the step {} region opened on line {}",
                    region.step, region.open_line
                )));
            }
            (Marker::Open { .. }, Some(outer)) => {
                return Err(error(format!(
                    "regions cannot nest: step {} opened on line {} is still open",
                    outer.step, outer.open_line
                )));
            }
            (Marker::Close { step }, None) => {
                return Err(error(format!("`end step {step}` closes no open region")));
            }
            (Marker::Close { step }, Some(mut region)) => {
                if step != region.step {
                    return Err(error(format!(
                        "`end step {step}` closes the step {} region opened on line {}",
                        region.step, region.open_line
                    )));
                }
                if number == region.open_line + region.marker_lines() {
                    return Err(error(format!("the step {step} region is empty")));
                }
                region.close_line = number;
                regions.push(region);
            }
        }
    }
    match open {
        Some(region) => Err(MarkerError {
            line: region.open_line,
            message: format!("the step {} region is never closed", region.step),
        }),
        None => Ok(regions),
    }
}

/// The learner's version of `source`: the code of every region of a step
/// after `solved` is replaced by its `todo!`. Steps up to `solved` stay
/// written (0 cuts them all).
pub fn cut(source: &str, solved: u8) -> Result<String, MarkerError> {
    cut_where(source, |region| region.step > solved)
}

/// `source` with the code of each region that `should_cut` picks replaced
/// by the region's `todo!`; the markers stay.
pub fn cut_where(
    source: &str,
    should_cut: impl Fn(&Region) -> bool,
) -> Result<String, MarkerError> {
    let regions = find_regions(source)?;
    Ok(cut_regions(
        source,
        regions.iter().filter(|r| should_cut(r)),
    ))
}

/// `source` with the code of `regions` (found in it, in order) replaced by
/// their `todo!`s; the markers stay.
pub fn cut_regions<'a>(source: &str, regions: impl Iterator<Item = &'a Region>) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let mut out = String::with_capacity(source.len());
    let mut next = 0; // index of the next line to copy
    for region in regions {
        for line in &lines[next..region.open_line - 1 + region.marker_lines()] {
            out.push_str(line);
            out.push('\n');
        }
        for line in region.cut_lines() {
            out.push_str(&line);
            out.push('\n');
        }
        next = region.close_line - 1; // keep the closing marker
    }
    for line in &lines[next..] {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Makes `text` safe inside a `todo!("...")`: a string literal that is also
/// a format string, so quotes, backslashes and braces are escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '{' => out.push_str("{{"),
            '}' => out.push_str("}}"),
            other => out.push(other),
        }
    }
    out
}
