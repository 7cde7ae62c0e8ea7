//! Who may use the server: Redis's ACL users, of which this server has
//! one, `default`, with every permission. What can change is whether it is
//! on, and which passwords open it (`requirepass` sets exactly one).
//!
//! A client starts authenticated if `default` needs no password when it
//! connects (Redis's `c->authenticated` at `createClient`); otherwise every
//! command but AUTH, HELLO and QUIT gets `-NOAUTH` until it authenticates.
//!
//! As in Redis, passwords are never kept: only their SHA-256, which is
//! also what ACL GETUSER and ACL LIST show. A password is checked by
//! hashing it and comparing the hashes in constant time, so the time a
//! wrong guess takes says nothing about how close it was.

use std::sync::{Mutex, PoisonError};

/// The one user's name.
pub const DEFAULT_USER: &str = "default";

/// The SHA-256 of a password.
pub type PasswordHash = [u8; 32];

/// The `default` user, as ACL SETUSER and CONFIG SET requirepass leave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// `on` (true) or `off`: a user that is off cannot log in.
    pub enabled: bool,
    /// `nopass`: any password (and none) will do.
    pub nopass: bool,
    /// The passwords that open it, hashed, in the order they were added.
    pub passwords: Vec<PasswordHash>,
}

/// The server's users, shared by every client thread.
#[derive(Debug)]
pub struct Users {
    default: Mutex<User>,
    /// What `requirepass` was last set to, which CONFIG GET reports (Redis
    /// keeps it apart from the user, so ACL SETUSER does not change it).
    requirepass: Mutex<Vec<u8>>,
}

impl Users {
    /// The users at start-up: `default`, with `requirepass` as its only
    /// password, or with `nopass`.
    pub fn new(requirepass: Option<&[u8]>) -> Users {
        let users = Users {
            default: Mutex::new(User {
                enabled: true,
                nopass: true,
                passwords: Vec::new(),
            }),
            requirepass: Mutex::new(Vec::new()),
        };
        users.set_requirepass(requirepass.unwrap_or_default());
        users
    }

    /// A copy of the `default` user as it is now.
    pub fn default_user(&self) -> User {
        self.default
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Whether a client must authenticate before anything else (Redis's
    /// `authRequired`, before it looks at the client).
    pub fn auth_required(&self) -> bool {
        let user = self.default_user();
        !user.nopass || !user.enabled
    }

    /// Whether `username` and `password` open a user that is on (Redis's
    /// `ACLCheckUserCredentials`).
    pub fn check(&self, username: &[u8], password: &[u8]) -> bool {
        if username != DEFAULT_USER.as_bytes() {
            return false;
        }
        let user = self.default_user();
        if !user.enabled {
            return false;
        }
        if user.nopass {
            return true;
        }
        let hashed = sha256(password);
        // Every stored hash is compared, each in constant time.
        user.passwords.iter().fold(false, |found, stored| {
            found | same_in_constant_time(stored, &hashed)
        })
    }

    /// `CONFIG SET requirepass`: the default user's passwords become this
    /// one, or none and `nopass` if it is empty (Redis's
    /// `ACLUpdateDefaultUserPassword`).
    pub fn set_requirepass(&self, password: &[u8]) {
        let mut user = self.default.lock().unwrap_or_else(PoisonError::into_inner);
        user.passwords.clear();
        user.nopass = password.is_empty();
        if !password.is_empty() {
            user.passwords.push(sha256(password));
        }
        *self
            .requirepass
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = password.to_vec();
    }

    /// What CONFIG GET requirepass says: the last value set, in clear, as Redis does.
    pub fn requirepass(&self) -> Vec<u8> {
        self.requirepass
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// `ACL SETUSER default rule ...`: all the rules apply, or (if one is
    /// wrong) none does.
    pub fn set_default_user(&self, rules: &[Vec<u8>]) -> Result<(), BadRule> {
        let mut user = self.default.lock().unwrap_or_else(PoisonError::into_inner);
        let mut changed = user.clone();
        for rule in rules {
            changed.apply(rule).map_err(|why| BadRule {
                rule: rule.clone(),
                why,
            })?;
        }
        *user = changed;
        Ok(())
    }
}

/// An ACL SETUSER rule that was refused, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRule {
    pub rule: Vec<u8>,
    pub why: RuleError,
}

/// Why an ACL SETUSER rule was refused, in Redis's words
/// (`ACLSetUserStringError`), or ours for the rules this server lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleError {
    Syntax,
    NoSuchPassword,
    BadHash,
    /// A rule Redis knows that would give `default` less than every
    /// permission: this server has no permission rules.
    Unsupported,
}

impl RuleError {
    pub fn text(self) -> &'static str {
        match self {
            RuleError::Syntax => "Syntax error",
            RuleError::NoSuchPassword => {
                "The password you are trying to remove from the user does not exist"
            }
            RuleError::BadHash => {
                "The password hash must be exactly 64 characters and contain only lowercase \
                 hexadecimal characters"
            }
            RuleError::Unsupported => "this server grants every command, key and channel",
        }
    }
}

/// Permission rules that leave a user with every permission, which the
/// default user already has: accepted, and nothing changes.
const FULL_PERMISSIONS: &[&str] = &[
    "+@all",
    "allcommands",
    "~*",
    "allkeys",
    "%RW~*",
    "&*",
    "allchannels",
    "sanitize-payload",
];

impl User {
    /// One rule of ACL SETUSER, as Redis's `ACLSetUser` reads it.
    fn apply(&mut self, rule: &[u8]) -> Result<(), RuleError> {
        let lower = rule.to_ascii_lowercase();
        match lower.as_slice() {
            b"" => {}
            b"on" => self.enabled = true,
            b"off" => self.enabled = false,
            b"nopass" => {
                self.nopass = true;
                self.passwords.clear();
            }
            b"resetpass" => {
                self.nopass = false;
                self.passwords.clear();
            }
            _ if rule[0] == b'>' || rule[0] == b'#' => {
                let hash = if rule[0] == b'>' {
                    sha256(&rule[1..])
                } else {
                    parse_hash(&rule[1..])?
                };
                if !self.passwords.contains(&hash) {
                    self.passwords.push(hash);
                }
                self.nopass = false;
            }
            _ if rule[0] == b'<' || rule[0] == b'!' => {
                let hash = if rule[0] == b'<' {
                    sha256(&rule[1..])
                } else {
                    parse_hash(&rule[1..])?
                };
                let at = self
                    .passwords
                    .iter()
                    .position(|stored| *stored == hash)
                    .ok_or(RuleError::NoSuchPassword)?;
                self.passwords.remove(at);
            }
            _ if FULL_PERMISSIONS.iter().any(|p| p.as_bytes() == lower) => {}
            _ if is_permission_rule(&lower) => return Err(RuleError::Unsupported),
            _ => return Err(RuleError::Syntax),
        }
        Ok(())
    }

    /// How ACL LIST describes it: `user default on nopass ~* &* +@all`.
    pub fn describe(&self) -> Vec<u8> {
        let mut out = format!("user {DEFAULT_USER} ").into_bytes();
        for flag in self.flags() {
            out.extend_from_slice(flag.as_bytes());
            out.push(b' ');
        }
        for hash in &self.passwords {
            out.push(b'#');
            out.extend_from_slice(hex(hash).as_bytes());
            out.push(b' ');
        }
        out.extend_from_slice(b"~* &* +@all");
        out
    }

    /// Its flags, in Redis's order.
    pub fn flags(&self) -> Vec<&'static str> {
        let mut flags = vec![if self.enabled { "on" } else { "off" }];
        if self.nopass {
            flags.push("nopass");
        }
        flags
    }
}

/// The shapes of Redis's key, channel, command and selector rules, which a
/// user that may do everything does not need here.
fn is_permission_rule(rule: &[u8]) -> bool {
    matches!(rule.first(), Some(b'+' | b'-' | b'~' | b'%' | b'&' | b'('))
        || [
            "nocommands",
            "resetkeys",
            "resetchannels",
            "reset",
            "clearselectors",
            "skip-sanitize-payload",
        ]
        .iter()
        .any(|name| name.as_bytes() == rule)
}

/// A `#<hash>` rule's hash: exactly 64 lowercase hexadecimal digits.
fn parse_hash(text: &[u8]) -> Result<PasswordHash, RuleError> {
    let digit = |b: u8| match b {
        b'0'..=b'9' => Ok(b - b'0'),
        b'a'..=b'f' => Ok(b - b'a' + 10),
        _ => Err(RuleError::BadHash),
    };
    if text.len() != 64 {
        return Err(RuleError::BadHash);
    }
    let mut hash = [0u8; 32];
    for (i, pair) in text.chunks(2).enumerate() {
        hash[i] = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Ok(hash)
}

/// A hash as ACL GETUSER shows it: 64 lowercase hexadecimal digits.
pub fn hex(hash: &PasswordHash) -> String {
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// Equal or not, found by looking at every byte whatever the first
/// difference, as Redis's `time_independent_strcmp` does.
fn same_in_constant_time(a: &PasswordHash, b: &PasswordHash) -> bool {
    a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// SHA-256 (FIPS 180-4), the hash Redis keeps of every password.
pub fn sha256(message: &[u8]) -> PasswordHash {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut state: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    // The message, a one bit, zeros, and its length in bits: whole 64-byte blocks.
    let mut padded = message.to_vec();
    padded.push(0x80);
    while padded.len() % 64 != 56 {
        padded.push(0);
    }
    padded.extend_from_slice(&((message.len() as u64) * 8).to_be_bytes());
    for block in padded.chunks(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = state;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let choice = (e & f) ^ (!e & g);
            let t1 = h
                .wrapping_add(s1)
                .wrapping_add(choice)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let majority = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(majority);
            (h, g, f, e, d, c, b, a) = (g, f, e, d.wrapping_add(t1), c, b, a, t1.wrapping_add(t2));
        }
        for (word, add) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
            *word = word.wrapping_add(add);
        }
    }
    let mut out = [0u8; 32];
    for (bytes, word) in out.chunks_mut(4).zip(state) {
        bytes.copy_from_slice(&word.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_strings() {
        // The hash Redis shows for the password "abc" (and FIPS 180-4's example).
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(&sha256(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        // Two blocks: the padding does not fit after 56 bytes.
        assert_eq!(
            hex(&sha256(&[b'a'; 64])),
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"
        );
    }

    #[test]
    fn requirepass_sets_one_password_and_empty_clears_it() {
        let users = Users::new(Some(b"s3cret"));
        assert!(users.auth_required());
        assert!(users.check(b"default", b"s3cret"));
        assert!(!users.check(b"default", b"s3cre"));
        assert!(!users.check(b"other", b"s3cret"));
        users.set_requirepass(b"");
        assert!(!users.auth_required());
        assert!(users.check(b"default", b"anything"));
    }

    #[test]
    fn setuser_rules_apply_all_or_none() {
        let users = Users::new(None);
        let rules = |words: &[&str]| {
            words
                .iter()
                .map(|w| w.as_bytes().to_vec())
                .collect::<Vec<_>>()
        };
        users.set_default_user(&rules(&[">a", ">b", "<a"])).unwrap();
        let user = users.default_user();
        assert_eq!(user.passwords, vec![sha256(b"b")]);
        assert!(!user.nopass);
        let err = users.set_default_user(&rules(&["off", "<zz"])).unwrap_err();
        assert!(matches!(
            err,
            BadRule {
                why: RuleError::NoSuchPassword,
                ..
            }
        ));
        assert!(users.default_user().enabled, "nothing applied");
        assert!(matches!(
            users.set_default_user(&rules(&["#ABC"])),
            Err(BadRule {
                why: RuleError::BadHash,
                ..
            })
        ));
        assert!(matches!(
            users.set_default_user(&rules(&["bogus"])),
            Err(BadRule {
                why: RuleError::Syntax,
                ..
            })
        ));
        users.set_default_user(&rules(&["off"])).unwrap();
        assert!(users.auth_required());
        assert!(!users.check(b"default", b"b"));
    }
}
