//! The `waprice` command line: every command's `--json` output against the library's result for
//! the same input, JSON and YAML inputs alike, standard input, tables, errors and exit codes.

use serde_json::{json, Value};
use std::io::Write;
use std::process::{Command, Output, Stdio};
use waprice::logs::{LogOptions, LogPricer, LogReport, RawLogOptions};
use waprice::Engine;

const EXE: &str = env!("CARGO_BIN_EXE_waprice");

fn fixture(f: &str) -> String {
    format!("{}/../tests/fixtures/{f}", env!("CARGO_MANIFEST_DIR"))
}

fn engine() -> Engine {
    Engine::new().expect("embedded data loads")
}

fn run(args: &[&str]) -> Output {
    Command::new(EXE).args(args).output().expect("runs")
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(EXE)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(input)
        .expect("writes");
    child.wait_with_output().expect("ends")
}

/// The JSON a successful run printed.
fn json_of(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

fn text_of(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("UTF-8")
}

fn scenario() -> waprice::scenario::Scenario {
    let text = std::fs::read(fixture("cli/scenario.json")).expect("fixture");
    waprice::input::from_json(&text, "").expect("scenario")
}

#[test]
fn estimate_prints_the_library_result_from_json_yaml_and_standard_input() {
    let want = serde_json::to_value(
        waprice::estimate::estimate(&engine(), &scenario(), None).expect("estimate"),
    )
    .expect("serialises");
    // The worked figures of tests/js/estimate.test.mjs: 6908.8 Meta + 160 reseller.
    assert_eq!(want["total"], "7068.8");
    let json = json_of(&run(&["estimate", &fixture("cli/scenario.json"), "--json"]));
    assert_eq!(json, want);
    let yaml = json_of(&run(&["estimate", &fixture("cli/scenario.yaml"), "--json"]));
    assert_eq!(yaml, want, "YAML reads as the same scenario");
    let stdin = std::fs::read(fixture("cli/scenario.yaml")).expect("fixture");
    let piped = json_of(&run_stdin(&["estimate", "-", "--json"], &stdin));
    assert_eq!(piped, want, "YAML on standard input");

    // YAML 1.2 booleans only: `NO` is Norway's code, as in the JSON twin.
    let yaml = b"audience: { contacts: 100, mix: [ { country: NO, share: 100 } ] }\njourneys: [ { preset: otp_login } ]\n";
    let json = br#"{"audience":{"contacts":100,"mix":[{"country":"NO","share":100}]},"journeys":[{"preset":"otp_login"}]}"#;
    assert_eq!(
        json_of(&run_stdin(&["estimate", "-", "--json"], yaml)),
        json_of(&run_stdin(&["estimate", "-", "--json"], json))
    );

    let text = text_of(&run(&["estimate", &fixture("cli/scenario.json")]));
    assert!(text.contains("total USD 7068.8"), "{text}");
    assert!(text.contains("cards: 2026-10-01 USD PMP"), "{text}");
    assert!(text.contains("market"), "a table of Meta charges: {text}");
}

/// An estimate that leaves charged messages unpriced says "at least" and names the lines (the data
/// has no INR rate for India authentication conversations on 2024-02-15; issue 20).
#[test]
fn an_incomplete_estimate_reads_at_least_and_names_the_unpriced_lines() {
    let s = br#"{"business":{"currency":"INR","date":"2024-02-15"},"audience":{"contacts":100000,"mix":[{"country":"IN","share":100}]},"journeys":[{"preset":"otp_login"}]}"#;
    let text = text_of(&run_stdin(&["estimate", "-"], s));
    assert!(text.contains("total at least INR 0"), "{text}");
    assert!(
        text.contains("1 market has no INR rate on the card of 2024-02-15"),
        "{text}"
    );
    assert!(
        text.contains("unpriced: India authentication, 100000 messages"),
        "{text}"
    );
    let json = json_of(&run_stdin(&["estimate", "-", "--json"], s));
    assert_eq!(json["complete"], serde_json::json!(false));
}

#[test]
fn compare_quote_rates_and_simulate_print_the_library_results() {
    let engine = engine();
    let s = scenario();
    let dates = [
        waprice::time::parse_date("2026-07-01", "").expect("date"),
        waprice::time::parse_date("2026-10-01", "").expect("date"),
    ];
    let want =
        serde_json::to_value(waprice::estimate::compare(&engine, &s, &dates).expect("compare"))
            .expect("serialises");
    let got = json_of(&run(&[
        "compare",
        &fixture("cli/scenario.json"),
        "--dates",
        "2026-07-01,2026-10-01",
        "--json",
    ]));
    assert_eq!(got, want);
    let repeated = json_of(&run(&[
        "compare",
        &fixture("cli/scenario.json"),
        "--dates",
        "2026-07-01",
        "--dates",
        "2026-10-01",
        "--json",
    ]));
    assert_eq!(repeated, want, "--dates repeated or comma-separated");

    let meta: waprice::quote::QuoteMeta = serde_json::from_value(json!({
        "seller": "Acme Messaging", "customer": "Shop Ltd", "issued": "2026-10-01", "validDays": 30
    }))
    .expect("meta");
    let want = serde_json::to_value(waprice::quote::quote(&engine, &s, &meta).expect("quote"))
        .expect("serialises");
    let got = json_of(&run(&[
        "quote",
        &fixture("cli/scenario.json"),
        "--meta",
        &fixture("cli/meta.yaml"),
        "--json",
    ]));
    assert_eq!(got, want);
    let inline = json_of(&run(&[
        "quote",
        &fixture("cli/scenario.yaml"),
        "--meta",
        r#"{"seller":"Acme Messaging","customer":"Shop Ltd","issued":"2026-10-01","validDays":30}"#,
        "--json",
    ]));
    assert_eq!(inline, want, "--meta inline");
    let text = text_of(&run(&[
        "quote",
        &fixture("cli/scenario.json"),
        "--meta",
        &fixture("cli/meta.yaml"),
    ]));
    assert!(text.contains("from Acme Messaging to Shop Ltd"), "{text}");

    // Rates: the whole card, and one market of it.
    let zone = waprice::time::Zone::UTC;
    let at = zone.midnight(waprice::time::parse_date("2026-10-05", "").expect("date"));
    let card = engine.rate_card(at, &zone, "USD").expect("card");
    let want = serde_json::to_value(&card).expect("serialises");
    let got = json_of(&run(&[
        "rates",
        "--date",
        "2026-10-05",
        "--currency",
        "USD",
        "--json",
    ]));
    assert_eq!(got, want);
    let india = json_of(&run(&[
        "rates",
        "--date",
        "2026-10-05",
        "--currency",
        "USD",
        "--market",
        "India",
        "--json",
    ]));
    let mut one = want.clone();
    one["markets"] = Value::Array(
        want["markets"]
            .as_array()
            .expect("markets")
            .iter()
            .filter(|m| m["market"] == "India")
            .cloned()
            .collect(),
    );
    one["missing"] = json!([]);
    assert_eq!(india, one);
    // The India marketing rate of the 2026-10-01 USD card (data/rates_per_message.csv).
    assert_eq!(india["markets"][0]["rates"]["marketing"]["rate"], "0.0118");
    let text = text_of(&run(&[
        "rates",
        "--date",
        "2026-10-05",
        "--currency",
        "USD",
        "--market",
        "India",
    ]));
    assert!(text.contains("India:"), "{text}");
    assert!(text.contains("marketing"), "{text}");

    // Simulate a YAML timeline from standard input.
    let yaml = std::fs::read(fixture("cli/timeline.yaml")).expect("fixture");
    let got = json_of(&run_stdin(&["simulate", "-", "--json"], &yaml));
    let request: waprice::input::RawRequest = serde_json::from_value(json!({
        "currency": "USD",
        "events": [
            { "at": "2026-10-05T10:00:00Z", "user": "+201001234567", "kind": "inbound" },
            { "at": "2026-10-05T10:05:00Z", "user": "+201001234567", "kind": "message" },
            { "at": "2026-10-05T11:00:00Z", "user": "+201001234567", "kind": "template", "category": "utility" },
            { "at": "2026-10-07T09:00:00Z", "user": "+919876543210", "kind": "template", "category": "marketing" }
        ]
    }))
    .expect("request");
    let sim = engine.simulate_raw(request).expect("simulates");
    let want =
        serde_json::to_value(waprice::report::simulation_lazy(&engine, &sim)).expect("serialises");
    assert_eq!(got, want);
    assert_eq!(got["messages"].as_array().map(Vec::len), Some(3));
    let text = text_of(&run(&["simulate", &fixture("cli/timeline.yaml")]));
    assert!(text.contains("+919876543210"), "{text}");
    assert!(text.contains("marketing"), "{text}");
}

#[test]
fn refused_inputs_exit_1_with_code_and_path_and_wrong_usage_exits_2() {
    let error = |out: &Output| -> Value {
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).expect("JSON error");
        v["error"].clone()
    };
    // An engine error keeps the path of the input, whether the input was JSON or YAML.
    let bad = br#"{"audience":{"contacts":10,"mix":[{"country":"XX","share":100}]},"journeys":[{"preset":"otp_login"}]}"#;
    let e = error(&run_stdin(&["estimate", "-", "--json"], bad));
    assert_eq!(e["code"], "unknown_country");
    assert_eq!(e["path"], "audience.mix[0].country");
    let bad_yaml = b"audience:\n  contacts: 10\n  mix:\n    - { country: XX, share: 100 }\njourneys:\n  - preset: otp_login\n";
    assert_eq!(
        error(&run_stdin(&["estimate", "-", "--json"], bad_yaml)),
        e,
        "the same error from YAML"
    );
    let e = error(&run_stdin(
        &["estimate", "-", "--json"],
        b"audience: [unclosed\n",
    ));
    assert_eq!(
        (e["code"].as_str(), e["path"].as_str()),
        (Some("invalid_input"), Some("scenario"))
    );
    let e = error(&run(&["estimate", "/nonexistent/scenario.json", "--json"]));
    assert_eq!(e["code"], "invalid_option");
    assert_eq!(e["path"], "scenario");
    let e = error(&run(&[
        "compare",
        &fixture("cli/scenario.json"),
        "--dates",
        "2026-07-01,2026-13-01",
        "--json",
    ]));
    assert_eq!(
        (e["code"].as_str(), e["path"].as_str()),
        (Some("invalid_date"), Some("dates[1]"))
    );
    let e = error(&run(&[
        "rates",
        "--date",
        "2026-10-05",
        "--currency",
        "USD",
        "--market",
        "Atlantis",
        "--json",
    ]));
    assert_eq!(
        (e["code"].as_str(), e["path"].as_str()),
        (Some("unknown_market"), Some("market"))
    );
    let e = error(&run(&[
        "rates",
        "--date",
        "2026-10-05",
        "--currency",
        "US",
        "--json",
    ]));
    assert_eq!(
        (e["code"].as_str(), e["path"].as_str()),
        (Some("invalid_currency"), Some("currency"))
    );
    // Without --json the error goes to standard error only, with its code and path.
    let out = run(&["rates", "--date", "2026-10-05", "--currency", "US"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("invalid_currency at currency"), "{stderr}");

    for usage in [
        &["estimate"][..],
        &["compare", "x.json"],
        &["rates", "--currency", "USD"],
        &["frobnicate"],
        &["price"],
    ] {
        assert_eq!(run(usage).status.code(), Some(2), "{usage:?}");
    }
}

fn price(o: Value, log: &[u8]) -> LogReport {
    let engine = engine();
    let raw: RawLogOptions = serde_json::from_value(o).expect("options shape");
    let opts = LogOptions::resolve(&raw, &engine).expect("options");
    let mut p = LogPricer::new(&engine, &opts).expect("pricer");
    p.push(log).expect("pushes");
    p.finish().expect("prices")
}

#[test]
fn command_line_prices_files_and_standard_input() {
    let events = std::fs::read(fixture("logs/events.csv")).expect("fixture");
    let webhooks = std::fs::read(fixture("logs/webhooks.jsonl")).expect("fixture");
    let want = serde_json::to_value(price(
        json!({ "whatIf": { "date": "2026-10-01" } }),
        &events,
    ))
    .expect("serialises");
    // Read on a second thread (the default) and on one: the same report.
    for threads in [&[][..], &["--single-thread"]] {
        let out = Command::new(EXE)
            .args([
                "price",
                &fixture("logs/events.csv"),
                "--date",
                "2026-10-01",
                "--json",
            ])
            .args(threads)
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "no progress bar when standard error is not a terminal"
        );
        let got: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(got, want, "{threads:?}");
    }

    // The command line's standard output for a log given on standard input; it must succeed.
    let from_stdin =
        |format: &str, log: &[u8]| text_of(&run_stdin(&["price", "-", "--format", format], log));
    let text = from_stdin("webhook", &webhooks);
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

    let out = run(&[
        "price",
        &fixture("logs/broken.csv"),
        "--on-error",
        "fail",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(err["error"]["code"], "unsupported_date");
    assert_eq!(err["error"]["path"], "at");
    assert_eq!(
        (&err["error"]["source"], &err["error"]["line"]),
        (&json!("log"), &json!(2))
    );
    assert!(err["error"].get("column").is_none(), "{err}");
    assert_eq!(run(&["price"]).status.code(), Some(2), "usage error");
}

/// `--rates`: Meta's GBP card file (tests/fixtures/cli/gbp.csv, in the layout of Meta's
/// downloadable rate cards) laid over the embedded data, on the log command and the others.
#[test]
fn rates_files_on_every_command() {
    let card = fixture("cli/gbp.csv");
    let dir = std::env::temp_dir().join(format!("waprice-cli-rates-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary folder");
    let log = dir.join("log.csv");
    std::fs::write(
        &log,
        "at,user,kind,category\n2026-10-05T08:00:00Z,+919812345678,template,marketing\n2026-10-05T09:00:00Z,+919812345679,template,marketing\n",
    )
    .expect("writes");
    let log = log.to_str().expect("UTF-8 path");
    // Two marketing templates to India on 2026-10-05 at the card's 0.0090 GBP: 0.018.
    let v = json_of(&run(&[
        "price",
        log,
        "--currency",
        "GBP",
        "--json",
        "--rates",
        &card,
    ]));
    assert_eq!(v["totals"]["amount"], "0.018");
    // The report names the file: its name, card date and the first 12 hex digits of its SHA-256
    // (`sha256sum tests/fixtures/cli/gbp.csv`).
    let sha = "0669de182e1f";
    assert_eq!(
        v["files"],
        json!([{ "name": "gbp.csv", "sha256": sha, "date": "2026-10-01", "currency": "GBP", "pricingModel": "PMP", "kind": "rates" }])
    );
    let text = text_of(&run(&["price", log, "--currency", "GBP", "--rates", &card]));
    assert!(
        text.contains(&format!(
            "rate-card file: gbp.csv (SHA-256 {sha}), rates 2026-10-01 GBP PMP"
        )),
        "{text}"
    );
    // Without the card GBP has no rate: the two messages are unpriced and the totals say so.
    let v = json_of(&run(&["price", log, "--currency", "GBP", "--json"]));
    assert_eq!(v["totals"]["complete"], json!(false));
    assert_eq!(
        v["totals"]["unpriced"],
        json!([{ "market": "India", "category": "marketing", "messages": 2 }])
    );
    let text = text_of(&run(&["price", log, "--currency", "GBP"]));
    assert!(text.contains("total at least GBP 0"), "{text}");

    // The same card for the rates and estimate commands.
    let india = json_of(&run(&[
        "rates",
        "--date",
        "2026-10-05",
        "--currency",
        "GBP",
        "--market",
        "India",
        "--json",
        "--rates",
        &card,
    ]));
    assert_eq!(india["markets"][0]["rates"]["marketing"]["rate"], "0.009");
    assert_eq!(
        india["markets"][0]["rates"]["marketing"]["source"],
        "custom"
    );
    let scenario = br#"{"business":{"currency":"GBP","date":"2026-10-01"},"audience":{"contacts":1000,"mix":[{"country":"IN","share":100}]},"journeys":[{"preset":"marketing_campaign"}]}"#;
    let e = json_of(&run_stdin(
        &["estimate", "-", "--json", "--rates", &card],
        scenario,
    ));
    assert_eq!(e["meta"]["total"], "9", "1000 × 0.0090 GBP");
    assert_eq!(e["cards"][0]["sources"], format!("gbp.csv (SHA-256 {sha})"));
    // Without the file no GBP card: the estimate is incomplete, the 1,000 messages unpriced.
    let e = json_of(&run_stdin(&["estimate", "-", "--json"], scenario));
    assert_eq!(e["complete"], json!(false), "no GBP card without the file");
    assert_eq!(
        e["unpriced"],
        json!([{ "market": "India", "category": "marketing", "messages": 1000 }])
    );

    // A bad card names the file; a missing one is an error about --rates.
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "Cost per message in GBP, effective October 1, 2026\nMarket,Marketing\nAtlantis,0.1\n",
    )
    .expect("writes");
    let out = run(&[
        "price",
        log,
        "--currency",
        "GBP",
        "--rates",
        bad.to_str().expect("UTF-8"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.csv") && err.contains("Atlantis"), "{err}");
    let out = run(&[
        "rates",
        "--date",
        "2026-10-05",
        "--currency",
        "USD",
        "--json",
        "--rates",
        "/nonexistent.csv",
    ]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON error");
    assert_eq!(
        (v["error"]["code"].as_str(), v["error"]["path"].as_str()),
        (Some("invalid_option"), Some("--rates"))
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--opening` takes the opening state of a log that starts mid-month from a YAML or JSON file
/// (or inline JSON): the report is the library's with the option `opening`; a bad one is refused
/// with its code and path. Expectations: Meta's pricing page (updated 2026-09-30), 1,000 free
/// service messages per number per month from 2026-10-01; Egypt utility tiers of the 2026-10-01
/// USD card (band 2 from the 100,001st message at 0.0034).
#[test]
fn price_takes_an_opening_state() {
    let dir = std::env::temp_dir().join(format!("waprice-opening-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let log = dir.join("log.csv");
    std::fs::write(
        &log,
        "at,user,kind,category,from\n\
         2026-10-20T09:00:00Z,+201001234567,inbound,,\n\
         2026-10-20T09:01:00Z,+201001234567,message,,+15550001111\n\
         2026-10-20T10:00:00Z,+201001234568,template,utility,+15550001111\n",
    )
    .expect("writes");
    let yaml = dir.join("opening.yaml");
    std::fs::write(
        &yaml,
        "service:\n  \"+15550001111\": 1000\ncharged:\n  Egypt:\n    utility: 100000\n",
    )
    .expect("writes");
    let log_path = log.to_str().expect("utf-8 path");
    let out = run(&[
        "price",
        log_path,
        "--opening",
        yaml.to_str().expect("utf-8"),
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let got: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let want = serde_json::to_value(price(
        json!({ "opening": { "service": { "+15550001111": 1000 }, "charged": { "Egypt": { "utility": 100_000 } } } }),
        &std::fs::read(&log).expect("reads"),
    ))
    .expect("serialises");
    assert_eq!(got, want);
    // The 1,001st service message at Egypt's service rate 0.0036, the 100,001st utility message
    // in band 2 at 0.0034.
    assert_eq!(got["totals"]["amount"], "0.007");
    let out = run(&[
        "price",
        log_path,
        "--opening",
        r#"{"charged":{"Egypt":{"marketing":3}}}"#,
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(err["error"]["code"], "invalid_category");
    assert_eq!(err["error"]["path"], "opening.charged.Egypt.marketing");
    let _ = std::fs::remove_dir_all(&dir);
}

/// An error's params (`--json` output) are exactly those its reason registers
/// (`waprice::reasons`, docs/errors.md).
fn assert_registered(e: &Value, reason: &str) {
    let code = e["code"].as_str().expect("a code");
    let params = e["params"].as_object().expect("params");
    assert_eq!(
        params.get("reason").and_then(Value::as_str).unwrap_or(""),
        reason,
        "{e}"
    );
    let entry = waprice::reasons::all()
        .find(|r| r.code.as_str() == code && r.reason == reason)
        .unwrap_or_else(|| panic!("{code}.{reason} is not registered"));
    let mut want: Vec<&str> = entry.params.iter().map(|(n, _)| *n).collect();
    let mut given: Vec<&str> = params
        .keys()
        .map(String::as_str)
        .filter(|n| *n != "reason")
        .collect();
    want.sort_unstable();
    given.sort_unstable();
    assert_eq!(given, want, "{e}");
}

#[test]
fn refused_arguments_have_a_reason_and_its_params() {
    let error = |out: &Output| -> Value {
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).expect("JSON error");
        v["error"].clone()
    };
    let dir = std::env::temp_dir().join(format!("waprice-cli-reasons-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let log = fixture("logs/events.csv");

    let e = error(&run(&["estimate", "/nonexistent/scenario.json", "--json"]));
    assert_registered(&e, "cli_file_unreadable");
    assert_eq!(e["params"]["value"], "/nonexistent/scenario.json");
    let e = error(&run(&["price", "/nonexistent/log.csv", "--json"]));
    assert_registered(&e, "cli_file_unreadable");

    let latin1 = dir.join("latin1.json");
    std::fs::write(&latin1, b"{\"x\": \"caf\xe9\"}").expect("writes");
    let e = error(&run(&[
        "estimate",
        latin1.to_str().expect("path"),
        "--json",
    ]));
    assert_registered(&e, "cli_file_not_utf8");
    assert_eq!(e["params"]["byte"], 10);

    let e = error(&run_stdin(
        &["estimate", "-", "--json"],
        b"audience: [unclosed\n",
    ));
    assert_registered(&e, "cli_yaml");

    let e = error(&run(&["price", &log, "--options", "{", "--json"]));
    assert_registered(&e, "cli_flag_json");
    assert_eq!(e["params"]["field"], "--options");

    let templates = dir.join("templates.csv");
    std::fs::write(&templates, "key,category\npromo,marketing\nbroken\n").expect("writes");
    let e = error(&run(&[
        "price",
        &log,
        "--templates",
        templates.to_str().expect("path"),
        "--json",
    ]));
    assert_registered(&e, "cli_templates_line");
    assert_eq!(e["params"]["line"], 3);

    let e = error(&run(&[
        "price",
        &log,
        "--disagreements-csv",
        dir.join("no/such/dir.csv").to_str().expect("path"),
        "--json",
    ]));
    assert_registered(&e, "cli_file_unwritable");

    let e = error(&run(&[
        "rates",
        "--date",
        "2026-10-05",
        "--currency",
        "USD",
        "--market",
        "Atlantis",
        "--json",
    ]));
    assert_registered(&e, "");
    assert_eq!(e["params"]["value"], "Atlantis");

    // A log import's own option, refused with its reason.
    let e = error(&run(&[
        "price",
        &log,
        "--options",
        r#"{"messages":"all"}"#,
        "--json",
    ]));
    assert_registered(&e, "log_messages_all");
    let _ = std::fs::remove_dir_all(&dir);
}
