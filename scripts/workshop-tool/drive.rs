//! Driving a learner's server the way a learner does: `redis-cli`,
//! `redis-cli --pipe` and `nc`, at the stages where the server first
//! answers (steps 3, 4 and 5). The server must answer what is written so
//! far, and nothing may panic: a later step's gap must degrade, never trip.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// The stages `verify` drives: steps 1 to N written.
pub const DRIVEN_STAGES: [u8; 3] = [3, 4, 5];

/// One thing a learner does, from the stage on which it must work.
struct Probe {
    from_stage: u8,
    what: &'static str,
    /// `redis-cli` arguments, or `None` for raw bytes through `nc`.
    cli: Option<&'static [&'static str]>,
    input: Vec<u8>,
    /// What the output must contain; `None`: anything, so long as nothing panics.
    expect: Option<&'static str>,
}

fn cli(from_stage: u8, args: &'static [&'static str], expect: Option<&'static str>) -> Probe {
    Probe {
        from_stage,
        what: args.first().copied().unwrap_or(""),
        cli: Some(args),
        input: Vec::new(),
        expect,
    }
}

fn nc(from_stage: u8, what: &'static str, input: &[u8], expect: &'static str) -> Probe {
    Probe {
        from_stage,
        what,
        cli: None,
        input: input.to_vec(),
        expect: Some(expect),
    }
}

/// RESP for `count` commands made by `command(i)`, as a learner writes a
/// file for `redis-cli --pipe`.
fn resp_file(count: usize, command: impl Fn(usize) -> Vec<String>) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..count {
        let words = command(i);
        out.extend_from_slice(format!("*{}\r\n", words.len()).as_bytes());
        for word in words {
            out.extend_from_slice(format!("${}\r\n{word}\r\n", word.len()).as_bytes());
        }
    }
    out
}

fn probes() -> Vec<Probe> {
    let sets = resp_file(1000, |i| {
        vec!["SET".into(), format!("key:{i}"), "piped".into()]
    });
    let expiring = resp_file(2000, |i| match i % 2 {
        0 => vec!["SET".into(), format!("ttl:{}", i / 2), "v".into()],
        _ => vec!["EXPIRE".into(), format!("ttl:{}", i / 2), "1".into()],
    });
    vec![
        cli(3, &["PING"], Some("PONG")),
        cli(3, &["SET", "greeting", "hello"], Some("OK")),
        cli(3, &["GET", "greeting"], Some("hello")),
        cli(3, &["INCR", "visits"], Some("1")),
        cli(
            3,
            &["INCR", "greeting"],
            Some("ERR value is not an integer"),
        ),
        cli(3, &["ECHO", "two words"], Some("two words")),
        cli(3, &["FOO", "bar"], Some("ERR unknown command 'FOO'")),
        // Step 5's options, tried early: an error until then, never a panic.
        cli(3, &["SET", "session", "alice", "EX", "60"], None),
        Probe {
            from_stage: 3,
            what: "--pipe",
            cli: Some(&["--pipe"]),
            input: sets,
            expect: Some("errors: 0, replies: 1000"),
        },
        cli(3, &["GET", "key:999"], Some("piped")),
        nc(3, "an array through nc", b"*1\r\n$4\r\nPING\r\n", "+PONG"),
        // Inline commands are step 5's; before it, a plain line still works.
        nc(3, "an inline PING through nc", b"PING\r\n", "+PONG"),
        nc(3, "an empty line through nc", b"\r\n\r\nPING\r\n", "+PONG"),
        cli(4, &["EXPIRE", "greeting", "100"], Some("1")),
        cli(4, &["TTL", "greeting"], Some("100")),
        cli(4, &["EXPIRE", "greeting", "50", "GT"], Some("0")),
        Probe {
            from_stage: 4,
            what: "--pipe with EXPIRE",
            cli: Some(&["--pipe"]),
            input: expiring,
            expect: Some("errors: 0, replies: 2000"),
        },
        cli(5, &["SET", "a", "1", "PX", "100000", "NX"], Some("OK")),
        cli(5, &["DEL", "a", "visits", "missing"], Some("2")),
        nc(
            5,
            "inline commands with quotes through nc",
            b"SET msg \"hello world\"\r\nGET msg\n",
            "+OK\r\n$11\r\nhello world\r\n",
        ),
    ]
}

/// A server started from the exercise's binary, with its log collected.
struct Running {
    child: Child,
    port: u16,
    log: Arc<Mutex<Vec<String>>>,
}

impl Running {
    fn start(binary: &Path) -> Result<Running, String> {
        let mut child = Command::new(binary)
            .args(["--port", "0"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let stderr = child.stderr.take().expect("stderr is piped");
        let mut lines = BufReader::new(stderr).lines();
        let log = Arc::new(Mutex::new(Vec::new()));
        let mut port = None;
        for line in lines.by_ref().map_while(Result::ok) {
            log.lock().unwrap().push(line.clone());
            if let Some((_, address)) = line.split_once("Ready to accept connections at ") {
                port = address
                    .rsplit(':')
                    .next()
                    .and_then(|p| p.trim().parse().ok());
                break;
            }
        }
        let Some(port) = port else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "the server never became ready:\n{}",
                log.lock().unwrap().join("\n")
            ));
        };
        let sink = Arc::clone(&log);
        thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        Ok(Running { child, port, log })
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn installed(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs `program args` with `input` on stdin and returns what it printed.
fn run(program: &str, args: &[String], input: &[u8]) -> Result<String, String> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = input.to_vec();
    let writer = thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let output = child
        .wait_with_output()
        .map_err(|e| format!("{program}: {e}"))?;
    let _ = writer.join();
    Ok(String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr))
}

/// Drives the server built in `target_dir` for the exercise with steps
/// 1..`stage` written. Prints one line; returns whether all went well.
pub fn drive(target_dir: &Path, stage: u8) -> bool {
    let missing: Vec<&str> = ["redis-cli", "nc"]
        .into_iter()
        .filter(|p| !installed(p))
        .collect();
    if !missing.is_empty() {
        let warning = format!("{} not installed", missing.join(" and "));
        if std::env::var_os("CI").is_some() {
            say!("  the server at this stage: NOT DRIVEN, {warning} (it must be under CI)");
            return false;
        }
        say!("  the server at this stage: skipped, {warning}");
        return true;
    }
    let server = match Running::start(&target_dir.join("debug").join("mini-redis")) {
        Ok(server) => server,
        Err(err) => {
            say!("  the server at this stage: {err}");
            return false;
        }
    };
    let port = server.port.to_string();
    let mut problems = Vec::new();
    let mut count = 0;
    for probe in probes().into_iter().filter(|p| p.from_stage <= stage) {
        count += 1;
        let output = match probe.cli {
            Some(args) => {
                let mut all = vec!["-p".to_string(), port.clone()];
                all.extend(args.iter().map(|a| a.to_string()));
                run("redis-cli", &all, &probe.input)
            }
            None => run(
                "nc",
                &["-q".into(), "1".into(), "127.0.0.1".into(), port.clone()],
                &probe.input,
            ),
        };
        match (output, probe.expect) {
            (Err(err), _) => problems.push(format!("{}: {err}", probe.what)),
            (Ok(out), Some(expected)) if !out.contains(expected) => problems.push(format!(
                "{}: expected {expected:?}, got {:?}",
                probe.what,
                out.trim_end()
            )),
            _ => {}
        }
    }
    if stage >= 4 {
        // The keys given one second by `--pipe` above: the reaper takes them.
        thread::sleep(Duration::from_millis(2500));
        count += 1;
        let info = ["-p".into(), port.clone(), "INFO".into(), "stats".into()];
        match run("redis-cli", &info, b"") {
            Ok(out) if out.lines().any(|l| l.trim() == "expired_keys:1000") => {}
            Ok(out) => {
                problems.push(format!(
                "the reaper: 2.5 s after 1000 keys expired, INFO says {:?}, not expired_keys:1000",
                out.lines().find(|l| l.starts_with("expired_keys")).unwrap_or("nothing")
            ))
            }
            Err(err) => problems.push(err),
        }
    }
    thread::sleep(Duration::from_millis(100)); // let the log's last lines in
    let log = server.log.lock().unwrap().join("\n");
    if log.contains("panicked") {
        problems.push(format!("the server panicked; its log:\n{log}"));
    }
    if problems.is_empty() {
        say!("  the server at this stage: {count} things a learner does with redis-cli, --pipe and nc, no panic");
        true
    } else {
        say!("  the server at this stage: WRONG");
        for problem in problems {
            say!("    {problem}");
        }
        false
    }
}
