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

/// The steps, in the order of the lectures: five, then two optional ones.
pub const STEPS: [Step; 8] = [
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
        number: 9,
        title: "Persistence",
        lecture: "lectures/09-persistence.md",
        test: "step09_persistence",
    },
];

/// The highest step number. Steps need not be numbered without gaps (an
/// optional chapter may keep its number while another is being written),
/// so this, not the count of steps, is how far `--solved` goes.
pub fn last_step() -> u8 {
    STEPS.iter().map(|s| s.number).max().unwrap_or(0)
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
}

impl Region {
    /// The line that replaces the region's code in an exercise.
    pub fn todo_line(&self) -> String {
        let lecture = step(self.step).map_or("", |s| s.lecture);
        let message = format!("Step {}: {} ({lecture})", self.step, self.hint);
        format!("{}todo!(\"{}\");", self.indent, escape(&message))
    }

    /// True if the region holds nothing but its `todo!`: not written yet.
    pub fn is_cut(&self, source: &str) -> bool {
        let inside: Vec<&str> = source
            .lines()
            .skip(self.open_line)
            .take(self.close_line - self.open_line - 1)
            .collect();
        inside == [self.todo_line().as_str()]
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
    Open { step: u8, hint: String },
    Close { step: u8 },
}

/// Reads a marker line (already trimmed of indentation).
fn parse_marker(text: &str) -> Result<Marker, String> {
    let body = text[MARKER.len()..].trim();
    if let Some(number) = body.strip_prefix("end step ") {
        let step = parse_step(number.trim())?;
        return Ok(Marker::Close { step });
    }
    let Some(rest) = body.strip_prefix("step ") else {
        return Err(format!(
            "a marker is `{MARKER} step N: hint` or `{MARKER} end step N`, not `{text}`"
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
        .ok_or_else(|| format!("`{number}` is not a step (1 to {})", last_step()))
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
        match (parse_marker(text).map_err(error)?, open.take()) {
            (Marker::Open { step, hint }, None) => {
                open = Some(Region {
                    step,
                    hint,
                    open_line: number,
                    close_line: 0,
                    indent: line[..line.len() - text.len()].to_string(),
                });
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
                if number == region.open_line + 1 {
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
        for line in &lines[next..region.open_line] {
            out.push_str(line);
            out.push('\n');
        }
        out.push_str(&region.todo_line());
        out.push('\n');
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
fn escape(text: &str) -> String {
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
