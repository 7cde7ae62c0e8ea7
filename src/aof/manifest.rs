//! The manifest: which files make up the append-only file, in Redis 7's
//! multi-part layout (`aofLoadManifestFromFile`, `getAofManifestAsString`).
//!
//! ```text
//! file appendonly.aof.2.base.rdb seq 2 type b
//! file appendonly.aof.3.incr.aof seq 3 type i
//! file appendonly.aof.4.incr.aof seq 4 type i
//! ```
//!
//! One *base* file (a snapshot, from the last rewrite), then the *incr*
//! files (every write since), in order; *history* files (`type h`) are the
//! base and incr files a rewrite replaced, listed until they are deleted.
//! The manifest is replaced whole, never edited in place: written to a
//! temporary file, fsynced, renamed over the old one, and the directory
//! fsynced, so a crash leaves either the old manifest or the new one.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

/// One file the manifest lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub seq: u64,
    pub kind: PartKind,
}

/// The `type` of a listed file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    Base,
    History,
    Incr,
}

impl PartKind {
    fn letter(self) -> char {
        match self {
            PartKind::Base => 'b',
            PartKind::History => 'h',
            PartKind::Incr => 'i',
        }
    }
}

/// The files of the append-only file, as the manifest lists them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    pub base: Option<Part>,
    pub history: Vec<Part>,
    pub incrs: Vec<Part>,
    /// The last sequence numbers handed out, for the next names.
    base_seq: u64,
    incr_seq: u64,
}

/// A manifest Redis would refuse, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestError {
    /// The line it stopped at, 1-based, and its text; none for an empty file.
    pub line: Option<(usize, String)>,
    /// Redis's words for what is wrong.
    pub reason: &'static str,
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.line {
            Some((number, text)) => write!(
                f,
                "Reading the manifest file, at line {number}: '{text}': {}",
                self.reason
            ),
            None => f.write_str(self.reason),
        }
    }
}

/// Redis's `MANIFEST_MAX_LINE`.
const MAX_LINE: usize = 1024;

impl Manifest {
    /// Reads a manifest's text with Redis's checks.
    pub fn parse(text: &str) -> Result<Manifest, ManifestError> {
        let mut manifest = Manifest::default();
        if text.is_empty() {
            return Err(ManifestError {
                line: None,
                reason: "Found an empty AOF manifest",
            });
        }
        for (index, raw) in text.split_inclusive('\n').enumerate() {
            if raw.starts_with('#') {
                continue;
            }
            let line = raw.trim_matches([' ', '\t', '\r', '\n']);
            let fail = |reason| ManifestError {
                line: Some((index + 1, line.to_string())),
                reason,
            };
            // Redis reads a line with `fgets` into MAX_LINE bytes: a line
            // longer than that, or a last line with no end, has no '\n' there.
            if raw.len() > MAX_LINE || !raw.ends_with('\n') {
                return Err(fail("The AOF manifest file contains too long line"));
            }
            if line.is_empty() {
                return Err(fail("Invalid AOF manifest file format"));
            }
            let words = split_args(line).ok_or_else(|| fail("Invalid AOF manifest file format"))?;
            if words.len() < 6 || words.len() % 2 != 0 {
                return Err(fail("Invalid AOF manifest file format"));
            }
            let (mut name, mut seq, mut kind) = (None, 0u64, None);
            for pair in words.chunks(2) {
                let value = &pair[1];
                match pair[0].to_ascii_lowercase().as_str() {
                    "file" => {
                        if value.contains('/') {
                            return Err(fail("File can't be a path, just a filename"));
                        }
                        name = Some(value.clone());
                    }
                    // C's atoll: leading digits, anything else is 0.
                    "seq" => seq = leading_number(value),
                    "type" => kind = value.chars().next(),
                    _ => {} // room for fields a later version adds
                }
            }
            let (Some(name), Some(kind)) = (name, kind) else {
                return Err(fail("Invalid AOF manifest file format"));
            };
            if seq == 0 {
                return Err(fail("Invalid AOF manifest file format"));
            }
            match kind {
                'b' => {
                    if manifest.base.is_some() {
                        return Err(fail("Found duplicate base file information"));
                    }
                    manifest.base_seq = seq;
                    manifest.base = Some(Part {
                        name,
                        seq,
                        kind: PartKind::Base,
                    });
                }
                'h' => manifest.history.push(Part {
                    name,
                    seq,
                    kind: PartKind::History,
                }),
                'i' => {
                    if seq <= manifest.incr_seq {
                        return Err(fail("Found a non-monotonic sequence number"));
                    }
                    manifest.incr_seq = seq;
                    manifest.incrs.push(Part {
                        name,
                        seq,
                        kind: PartKind::Incr,
                    });
                }
                _ => return Err(fail("Unknown AOF file type")),
            }
        }
        Ok(manifest)
    }

    /// The manifest's text: the base first, then history, then incr files.
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        for part in self.base.iter().chain(&self.history).chain(&self.incrs) {
            text.push_str(&format!(
                "file {} seq {} type {}\n",
                quote_if_needed(&part.name),
                part.seq,
                part.kind.letter()
            ));
        }
        text
    }

    /// A new base file's name (`appendonly.aof.3.base.rdb`); the old base
    /// becomes history (`getNewBaseFileNameAndMarkPreAsHistory`).
    pub fn new_base(&mut self, stem: &str, rdb: bool) -> String {
        if let Some(mut old) = self.base.take() {
            old.kind = PartKind::History;
            self.history.insert(0, old);
        }
        self.base_seq += 1;
        let format = if rdb { "rdb" } else { "aof" };
        let name = format!("{stem}.{}.base.{format}", self.base_seq);
        self.base = Some(Part {
            name: name.clone(),
            seq: self.base_seq,
            kind: PartKind::Base,
        });
        name
    }

    /// A new incr file's name (`appendonly.aof.4.incr.aof`), listed last.
    pub fn new_incr(&mut self, stem: &str) -> String {
        self.incr_seq += 1;
        let name = format!("{stem}.{}.incr.aof", self.incr_seq);
        self.incrs.push(Part {
            name: name.clone(),
            seq: self.incr_seq,
            kind: PartKind::Incr,
        });
        name
    }

    /// After a rewrite: every incr file but the last (the one being
    /// written) is history (`markRewrittenIncrAofAsHistory`). With no file
    /// being written (the AOF is off), all are.
    pub fn incrs_to_history(&mut self, keep_last: bool) {
        let keep = usize::from(keep_last && !self.incrs.is_empty());
        let done: Vec<Part> = self.incrs.drain(..self.incrs.len() - keep).collect();
        for mut part in done.into_iter().rev() {
            part.kind = PartKind::History;
            self.history.insert(0, part);
        }
    }

    /// The upgrade of an old single `appendonly.aof`: it becomes the base.
    pub fn from_old_file(name: &str) -> Manifest {
        Manifest {
            base: Some(Part {
                name: name.to_string(),
                seq: 1,
                kind: PartKind::Base,
            }),
            base_seq: 1,
            ..Manifest::default()
        }
    }

    /// Writes the manifest into `dir` as `<stem>.manifest`, atomically.
    pub fn persist(&self, dir: &Path, stem: &str) -> io::Result<()> {
        let temp = dir.join(format!("temp-{stem}.manifest"));
        let path = dir.join(format!("{stem}.manifest"));
        let mut file = File::create(&temp)?;
        file.write_all(self.to_text().as_bytes())?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, &path)?;
        sync_dir(dir)
    }
}

/// Fsyncs a directory, so that the names created or renamed in it survive a
/// crash of the machine, not only their contents.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// C's `atoll`: the leading digits of `text` (0 if none).
fn leading_number(text: &str) -> u64 {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap_or(0)
}

/// A file name as Redis writes it into the manifest: as it is, or quoted
/// with escapes if it has spaces, quotes or unprintable bytes (`sdscatrepr`).
fn quote_if_needed(name: &str) -> String {
    let plain = name
        .bytes()
        .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\'' && b != b'\\');
    if plain {
        return name.to_string();
    }
    let mut out = String::from("\"");
    for b in name.bytes() {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            b' ' => out.push(' '),
            b if b.is_ascii_graphic() => out.push(b as char),
            b => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('"');
    out
}

/// Splits a line into words as Redis's `sdssplitargs` does: spaces between
/// words, and double-quoted words with escapes. `None`: unbalanced quotes.
fn split_args(line: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(&first) = chars.peek() else {
            return Some(words);
        };
        let mut word = String::new();
        if first == '"' || first == '\'' {
            chars.next();
            loop {
                match chars.next()? {
                    c if c == first => break,
                    '\\' if first == '"' => match chars.next()? {
                        'n' => word.push('\n'),
                        'r' => word.push('\r'),
                        't' => word.push('\t'),
                        'x' => {
                            let hex: String = [chars.next()?, chars.next()?].iter().collect();
                            word.push(u8::from_str_radix(&hex, 16).ok()? as char);
                        }
                        other => word.push(other),
                    },
                    c => word.push(c),
                }
            }
            // A closing quote must end the word.
            if chars.peek().is_some_and(|c| !c.is_whitespace()) {
                return None;
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                word.push(c);
                chars.next();
            }
        }
        words.push(word);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_as_it_was_written() {
        let text = "file appendonly.aof.2.base.rdb seq 2 type b\n\
                    file appendonly.aof.1.incr.aof seq 1 type h\n\
                    file appendonly.aof.3.incr.aof seq 3 type i\n";
        let manifest = Manifest::parse(text).unwrap();
        assert_eq!(
            manifest.base.as_ref().unwrap().name,
            "appendonly.aof.2.base.rdb"
        );
        assert_eq!(manifest.history.len(), 1);
        assert_eq!(manifest.incrs[0].seq, 3);
        assert_eq!(manifest.to_text(), text);
    }

    #[test]
    fn a_rewrite_turns_the_old_files_into_history() {
        let mut manifest = Manifest::default();
        assert_eq!(
            manifest.new_base("appendonly.aof", false),
            "appendonly.aof.1.base.aof"
        );
        assert_eq!(
            manifest.new_incr("appendonly.aof"),
            "appendonly.aof.1.incr.aof"
        );
        assert_eq!(
            manifest.new_incr("appendonly.aof"),
            "appendonly.aof.2.incr.aof"
        );
        manifest.new_base("appendonly.aof", true);
        manifest.incrs_to_history(true);
        assert_eq!(
            manifest.to_text(),
            "file appendonly.aof.2.base.rdb seq 2 type b\n\
             file appendonly.aof.1.incr.aof seq 1 type h\n\
             file appendonly.aof.1.base.aof seq 1 type h\n\
             file appendonly.aof.2.incr.aof seq 2 type i\n"
        );
    }

    #[test]
    fn bad_manifests_get_redis_reasons() {
        let reason = |text: &str| Manifest::parse(text).unwrap_err().reason;
        assert_eq!(reason(""), "Found an empty AOF manifest");
        assert_eq!(reason("file a seq 1\n"), "Invalid AOF manifest file format");
        assert_eq!(reason("\n"), "Invalid AOF manifest file format");
        assert_eq!(
            reason("file a/b seq 1 type b\n"),
            "File can't be a path, just a filename"
        );
        assert_eq!(reason("file a seq 1 type x\n"), "Unknown AOF file type");
        assert_eq!(
            reason("file a seq 1 type b\nfile b seq 2 type b\n"),
            "Found duplicate base file information"
        );
        assert_eq!(
            reason("file a seq 2 type i\nfile b seq 2 type i\n"),
            "Found a non-monotonic sequence number"
        );
        let long = format!("file {} seq 1 type b\n", "a".repeat(1100));
        assert_eq!(
            reason(&long),
            "The AOF manifest file contains too long line"
        );
        // Comments are skipped; quoted names are read with their escapes.
        let quoted = Manifest::parse("# note\nfile \"a b\" seq 1 type b\n").unwrap();
        assert_eq!(quoted.base.unwrap().name, "a b");
    }
}
