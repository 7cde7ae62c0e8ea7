//! Glob patterns for KEYS, as Redis's `stringmatchlen` reads them:
//! `*` any run of bytes, `?` any one byte, `[abc]`, `[^abc]` and `[a-z]`
//! classes, and `\` to take the next byte literally.

/// Whether `text` matches `pattern`.
///
/// A `*` that fails is retried one byte further on; only the latest `*` needs
/// retrying, so this runs in O(pattern × text) without recursion.
pub fn matches(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    // Where to resume after the latest `*`: (pattern after it, text it covers up to).
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        if pattern.get(p) == Some(&b'*') {
            p += 1;
            backtrack = Some((p, t));
            continue;
        }
        if let Some(width) = match_one(&pattern[p..], text[t]) {
            p += width;
            t += 1;
            continue;
        }
        match backtrack {
            Some((after_star, covered)) => {
                p = after_star;
                t = covered + 1;
                backtrack = Some((after_star, covered + 1));
            }
            None => return false,
        }
    }
    pattern[p..].iter().all(|&b| b == b'*')
}

/// If the pattern element at the start of `pattern` matches `byte`, returns
/// how many pattern bytes that element took.
fn match_one(pattern: &[u8], byte: u8) -> Option<usize> {
    match pattern {
        [] => None,
        [b'?', ..] => Some(1),
        [b'\\', escaped, ..] => (*escaped == byte).then_some(2),
        [b'[', class @ ..] => match_class(class, byte).map(|width| width + 1),
        [literal, ..] => (*literal == byte).then_some(1),
    }
}

/// A `[...]` class, given what follows the `[`. An unclosed class runs to the
/// end of the pattern, as in Redis.
fn match_class(class: &[u8], byte: u8) -> Option<usize> {
    let negated = class.first() == Some(&b'^');
    let mut i = usize::from(negated);
    let mut found = false;
    loop {
        match class[i..] {
            [] => break,
            [b']', ..] => {
                i += 1;
                break;
            }
            [b'\\', escaped, ..] => {
                found |= escaped == byte;
                i += 2;
            }
            [start, b'-', end, ..] => {
                let (low, high) = if start <= end {
                    (start, end)
                } else {
                    (end, start)
                };
                found |= (low..=high).contains(&byte);
                i += 3;
            }
            [single, ..] => {
                found |= single == byte;
                i += 1;
            }
        }
    }
    (found != negated).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn stars_and_question_marks() {
        assert!(matches(b"*", b""));
        assert!(matches(b"*", b"anything"));
        assert!(matches(b"h?llo", b"hello"));
        assert!(!matches(b"h?llo", b"hllo"));
        assert!(matches(b"h*llo", b"heeeello"));
        assert!(matches(b"*o*o*", b"foo boo"));
        assert!(!matches(b"*x", b"abc"));
        assert!(matches(b"user:*:name", b"user:42:name"));
    }

    #[test]
    fn classes_ranges_and_escapes() {
        assert!(matches(b"h[ae]llo", b"hallo"));
        assert!(!matches(b"h[ae]llo", b"hillo"));
        assert!(matches(b"h[^e]llo", b"hallo"));
        assert!(!matches(b"h[^e]llo", b"hello"));
        assert!(matches(b"h[a-b]llo", b"hbllo"));
        assert!(
            matches(b"h[z-a]llo", b"hmllo"),
            "reversed ranges are swapped"
        );
        assert!(matches(b"a\\*b", b"a*b"));
        assert!(!matches(b"a\\*b", b"axb"));
        assert!(matches(b"[\\]]", b"]"));
        assert!(
            matches(b"ab[c", b"abc"),
            "an unclosed class runs to the end"
        );
    }
}
