//! The `waprice` command line on log files and standard input.

use super::*;

#[test]
fn command_line_prices_files_and_standard_input() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let exe = env!("CARGO_BIN_EXE_waprice");
    let fixture = |f: &str| format!("{}/tests/fixtures/logs/{f}", env!("CARGO_MANIFEST_DIR"));
    let engine = common::engine();
    let want = price(
        &engine,
        json!({ "whatIf": { "date": "2026-10-01" } }),
        EVENTS_CSV,
    );
    // Read on a second thread (the default) and on one: the same report.
    for threads in [&[][..], &["--single-thread"]] {
        let out = Command::new(exe)
            .args([
                "price",
                &fixture("events.csv"),
                "--date",
                "2026-10-01",
                "--json",
            ])
            .args(threads)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "no progress bar when standard error is not a terminal"
        );
        let got: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(got, to_value(&want), "{threads:?}");
    }

    // The command line's standard output for a log given on standard input; it must succeed.
    let from_stdin = |format: &str, log: &[u8]| {
        let mut child = Command::new(exe)
            .args(["price", "-", "--format", format])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(log).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let text = from_stdin("webhook", WEBHOOKS_JSONL);
    assert!(text.contains("9 compared, 8 agree, 1 disagree"), "{text}");
    assert!(text.contains("wamid.F1"), "{text}");

    // One of a thing is said in the singular; a log with nothing to price says so.
    let text = from_stdin("csv", b"at,user,kind\n");
    assert!(
        text.starts_with(
            "csv log: 1 line, 0 records; 0 customer messages, 0 business messages, 0 customers\n"
        ),
        "{text}"
    );
    assert!(text.contains("(0 messages: 0 charged"), "{text}");
    assert!(
        text.contains("warning empty_log: the log holds no message"),
        "{text}"
    );

    let out = Command::new(exe)
        .args([
            "price",
            &fixture("broken.csv"),
            "--on-error",
            "fail",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(err["error"]["code"], "unsupported_date");
    assert_eq!(err["error"]["path"], "at");
    assert_eq!(
        (&err["error"]["source"], &err["error"]["line"]),
        (&json!("log"), &json!(2))
    );
    assert!(err["error"].get("column").is_none(), "{err}");
    let out = Command::new(exe).args(["price"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "usage error");
}
