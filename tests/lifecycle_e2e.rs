//! End to end: publish lexicons to the reference PDS, resolve them the
//! spec's way (a `_lexicon` TXT record served by a DNS server this test
//! starts on 127.0.0.1, the DID through the dev-env PLC directory, the
//! record from the PDS) and install them into a fresh directory; then
//! republish one with a breaking change and catch it with `install --ci`
//! and `breaking`. Run by `tests/e2e/pds.sh` (which sets `LEXGEN_PDS_URL`
//! and `LEXGEN_PLC_URL`); skipped without it.

use atproto_lexgen::Config;
use lexgen_tests::fake_net::FakeDns;
use lexgen_tests::lexgen;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

const PASSWORD: &str = "lexgen-lifecycle-password";

/// The published set: a record, its defs, a query, and a def under another
/// authority. Properties and defs are in sorted order: a published record
/// is DAG-CBOR, which keeps no key order, so installed files come back
/// sorted, and lexgen emits fields in file order.
fn originals() -> BTreeMap<&'static str, Value> {
    BTreeMap::from([
        (
            "com.example.e2e.post",
            json!({"lexicon": 1, "id": "com.example.e2e.post", "defs": {"main": {
                "type": "record", "key": "tid", "description": "A short post.",
                "record": {"type": "object", "required": ["createdAt", "text"], "properties": {
                    "createdAt": {"type": "string", "format": "datetime"},
                    "label": {"type": "ref", "ref": "org.example.shared.label"},
                    "tags": {"type": "array", "maxLength": 8, "items": {"type": "ref", "ref": "com.example.e2e.defs#tag"}},
                    "text": {"type": "string", "maxLength": 3000, "maxGraphemes": 300}
                }}
            }}}),
        ),
        (
            "com.example.e2e.defs",
            json!({"lexicon": 1, "id": "com.example.e2e.defs", "defs": {
                "tag": {"type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": 64}
                }},
                "view": {"type": "object", "required": ["text", "uri"], "properties": {
                    "likes": {"type": "integer", "minimum": 0},
                    "text": {"type": "string"},
                    "uri": {"type": "string", "format": "at-uri"}
                }}
            }}),
        ),
        (
            "com.example.e2e.getPost",
            json!({"lexicon": 1, "id": "com.example.e2e.getPost", "defs": {"main": {
                "type": "query",
                "parameters": {"type": "params", "required": ["uri"], "properties": {
                    "uri": {"type": "string", "format": "at-uri"}
                }},
                "output": {"encoding": "application/json", "schema": {"type": "ref", "ref": "com.example.e2e.defs#view"}},
                "errors": [{"name": "NotFound"}]
            }}}),
        ),
        (
            "org.example.shared.label",
            json!({"lexicon": 1, "id": "org.example.shared.label", "defs": {"main": {
                "type": "object", "required": ["val"], "properties": {
                    "val": {"type": "string", "maxLength": 128, "knownValues": ["spoiler", "nsfw"]}
                }
            }}}),
        ),
    ])
}

fn write_lexicons(dir: &Path, lexicons: &BTreeMap<&str, Value>) {
    for (nsid, doc) in lexicons {
        let path = dir.join(format!("{}.json", nsid.replace('.', "/")));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, serde_json::to_string_pretty(doc).unwrap()).unwrap();
    }
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn run_suffix() -> String {
    let mut n = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    (0..8)
        .map(|_| {
            let c = b"0123456789abcdefghijklmnopqrstuvwxyz"[(n % 36) as usize];
            n /= 36;
            char::from(c)
        })
        .collect()
}

/// `createAccount` on the PDS; the new account's DID.
fn create_account(pds: &str, handle: &str) -> String {
    use atproto_types::client_blocking::ureq;
    let body =
        json!({"handle": handle, "email": format!("{handle}@example.com"), "password": PASSWORD});
    let mut response = ureq::Agent::new_with_defaults()
        .post(&format!("{pds}/xrpc/com.atproto.server.createAccount"))
        .header("Content-Type", "application/json")
        .send(body.to_string().as_bytes())
        .expect("createAccount");
    let text = response.body_mut().read_to_string().unwrap();
    let session: Value = serde_json::from_str(&text).unwrap();
    session["did"].as_str().expect("a DID").to_owned()
}

/// `lexgen …`, asserting the exit code; its stdout.
fn ok(args: &[&str], expected: i32) -> (String, String) {
    let (code, out, err) = lexgen(args);
    assert_eq!(
        code, expected,
        "lexgen {args:?}\nstdout:\n{out}\nstderr:\n{err}"
    );
    (out, err)
}

/// `NSID CID URI` lines of `publish`/`install` output.
fn cids(stdout: &str) -> BTreeMap<String, String> {
    stdout
        .lines()
        .filter(|l| !l.starts_with("lexgen:"))
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            Some((w.next()?.to_owned(), w.next()?.to_owned()))
        })
        .collect()
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=lexgen",
            "-c",
            "user.email=lexgen@example.com",
        ])
        .args(args)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// Runs the reference tool, `@atproto/lex`'s `lex install --ci`, in `dir`
/// (it reads `lexicons/` and `lexicons.json` there, offline when every
/// file is present) with the harness's Node 22; checks that it accepts
/// (or rejects) what lexgen installed. Skipped without `LEXGEN_E2E_NODE`.
fn atproto_lex_ci(dir: &Path, accepted: bool) {
    let Some(node) = std::env::var_os("LEXGEN_E2E_NODE") else {
        println!("lifecycle_e2e: LEXGEN_E2E_NODE not set; @atproto/lex check skipped");
        return;
    };
    let lex = e2e_dir().join("node_modules/@atproto/lex/bin/lex");
    let out = Command::new(node)
        .arg(&lex)
        .args(["install", "--ci"])
        .current_dir(dir)
        .output()
        .expect("node runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!(
        "lifecycle_e2e: @atproto/lex install --ci: exit {:?}",
        out.status.code()
    );
    assert_eq!(
        out.status.success(),
        accepted,
        "@atproto/lex install --ci:\n{text}"
    );
    if !accepted {
        assert!(text.contains("Lexicons manifest is out of date"), "{text}");
    }
}

/// Installs the four lexicons into `dir` with `@atproto/lex`'s installer
/// (by `at://` URI: it resolves NSIDs only through the system's DNS), then
/// checks that both tools wrote the same lexicons (as JSON values) and
/// pins, and that `lexgen install --ci` accepts its directory and lockfile. Skipped without
/// `LEXGEN_E2E_NODE`.
fn atproto_lex_install(dir: &Path, plc: &str, did: &str, lexgen_dir: &Path, lexgen_lock: &Value) {
    let Some(node) = std::env::var_os("LEXGEN_E2E_NODE") else {
        println!("lifecycle_e2e: LEXGEN_E2E_NODE not set; @atproto/lex install skipped");
        return;
    };
    // ESM resolves imports beside the script: run it from the e2e dir.
    let script = e2e_dir().join("lexgen-lex-install.mjs");
    std::fs::copy(
        lexgen_tests::repo_path("tests/e2e/lex-install.mjs"),
        &script,
    )
    .unwrap();
    let (lexicons, manifest) = (dir.join("lexicons"), dir.join("lexicons.json"));
    let uris: Vec<String> = originals()
        .keys()
        .map(|nsid| format!("at://{did}/com.atproto.lexicon.schema/{nsid}"))
        .collect();
    let out = Command::new(node)
        .arg(&script)
        .arg(&lexicons)
        .arg(&manifest)
        .arg(plc)
        .args(&uris)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "@atproto/lex install:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs = read_json(&manifest);
    assert_eq!(
        theirs["resolutions"], lexgen_lock["resolutions"],
        "same pins"
    );
    for nsid in originals().keys() {
        let rel = format!("{}.json", nsid.replace('.', "/"));
        assert_eq!(
            read_json(&lexicons.join(&rel)),
            read_json(&lexgen_dir.join(&rel)),
            "{nsid}: both tools wrote the same JSON value"
        );
    }
    let (out, _) = ok(
        &[
            "install",
            "--ci",
            "--lexicons",
            lexicons.to_str().unwrap(),
            "--manifest",
            manifest.to_str().unwrap(),
        ],
        0,
    );
    println!("lifecycle_e2e: lexgen install --ci on @atproto/lex's install: {out}");
}

#[test]
fn publish_install_and_catch_a_breaking_change() {
    let Ok(pds) = std::env::var("LEXGEN_PDS_URL") else {
        eprintln!("lifecycle_e2e: LEXGEN_PDS_URL not set; skipped (run tests/e2e/pds.sh)");
        return;
    };
    let plc = std::env::var("LEXGEN_PLC_URL").unwrap_or_else(|_| "http://localhost:2582".into());
    let tmp = tempfile::tempdir().unwrap();
    let (source, fresh) = (tmp.path().join("source"), tmp.path().join("fresh"));
    let originals = originals();
    write_lexicons(&source, &originals);
    let source_str = source.to_str().unwrap();

    // An account publishes the set.
    let handle = format!("lx{}.test", run_suffix());
    let did = create_account(&pds, &handle);
    std::env::set_var("LEXGEN_PASSWORD", PASSWORD);
    let (out, _) = ok(
        &[
            "publish",
            "--lexicons",
            source_str,
            "--pds",
            &pds,
            "--identifier",
            &handle,
        ],
        0,
    );
    println!("lifecycle_e2e: publish\n{out}");
    let published = cids(&out);
    assert_eq!(published.len(), originals.len(), "{out}");

    // DNS: both authorities point at the account.
    let dns = FakeDns::start();
    let txt = format!("did={did}");
    dns.set_txt("_lexicon.e2e.example.com", &[&txt]);
    dns.set_txt("_lexicon.shared.example.org", &[&txt]);
    let dns_addr = dns.addr.to_string();
    let lexicons = fresh.join("lexicons");
    let manifest = fresh.join("lexicons.json");
    let (lex_str, man_str) = (lexicons.to_str().unwrap(), manifest.to_str().unwrap());
    let net = ["--dns", &dns_addr, "--plc", &plc];
    let install = |extra: &[&str], code: i32| {
        let mut args = vec!["install", "--lexicons", lex_str, "--manifest", man_str];
        args.extend_from_slice(&net);
        args.extend_from_slice(extra);
        ok(&args, code)
    };

    // Install the record and the query: the closure comes along.
    let (out, _) = install(&["com.example.e2e.post", "com.example.e2e.getPost"], 0);
    println!("lifecycle_e2e: install\n{out}");
    assert_eq!(
        cids(&out),
        published,
        "installed CIDs = the CIDs the PDS returned"
    );
    // Each file is the record: the original lexicon plus the record's
    // `$type`, as `@atproto/lex` writes it.
    for (nsid, doc) in &originals {
        let file = lexicons.join(format!("{}.json", nsid.replace('.', "/")));
        let mut installed = read_json(&file);
        assert_eq!(
            installed["$type"],
            json!("com.atproto.lexicon.schema"),
            "{nsid}"
        );
        installed.as_object_mut().unwrap().remove("$type");
        assert_eq!(&installed, doc, "{nsid}: same lexicon as JSON values");
    }
    let lock: Value = read_json(&manifest);
    assert_eq!(lock["version"], 1);
    assert_eq!(
        lock["lexicons"],
        json!(["com.example.e2e.getPost", "com.example.e2e.post"])
    );
    for (nsid, cid) in &published {
        assert_eq!(lock["resolutions"][nsid]["cid"], json!(cid), "{nsid}");
        assert_eq!(
            lock["resolutions"][nsid]["uri"],
            json!(format!("at://{did}/com.atproto.lexicon.schema/{nsid}"))
        );
    }
    let queried = dns.queries();
    assert!(
        queried.contains(&"_lexicon.shared.example.org".to_owned()),
        "{queried:?}"
    );

    // Generated code: identical to generating from the originals.
    let render = |dir: &Path| {
        Config::new()
            .lexicons(dir)
            .crate_name("lexgen-e2e-types")
            .render()
            .expect("generates")
    };
    let (from_source, from_installed) = (render(&source), render(&lexicons));
    assert_eq!(from_source.len(), from_installed.len());
    // The manifest's fingerprint hashes the lexicon files' bytes, which an
    // install rewrites (sorted keys); everything else must be identical.
    let unfingerprinted = |text: &str| {
        text.lines()
            .filter(|l| !l.starts_with("# fingerprint:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    for (a, b) in from_source.iter().zip(&from_installed) {
        assert_eq!(a.path, b.path);
        let same = if a.path == ".lexgen-manifest" {
            unfingerprinted(&a.contents) == unfingerprinted(&b.contents)
        } else {
            a.contents == b.contents
        };
        assert!(same, "{} differs", a.path);
    }
    println!(
        "lifecycle_e2e: {} generated files identical",
        from_source.len()
    );

    // The other way round: what `@atproto/lex` installs, lexgen accepts.
    atproto_lex_install(
        &tmp.path().join("by-atproto-lex"),
        &plc,
        &did,
        &lexicons,
        &lock,
    );

    // Reserved namespaces fail without a DNS query.
    let before = dns.queries().len();
    let (code, _, err) = lexgen([
        "install",
        "--lexicons",
        lex_str,
        "--manifest",
        man_str,
        "--dns",
        &dns_addr,
        "local.app.thing",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("reserved top-level domain"), "{err}");
    assert_eq!(dns.queries().len(), before, "no DNS query for a local NSID");

    // The lockfile holds, for lexgen and for `@atproto/lex` itself; a
    // second install needs no network.
    ok(
        &[
            "install",
            "--ci",
            "--lexicons",
            lex_str,
            "--manifest",
            man_str,
        ],
        0,
    );
    atproto_lex_ci(&fresh, true);
    let (out, _) = install(&[], 0);
    assert!(
        out.lines()
            .filter(|l| !l.starts_with("lexgen:"))
            .all(|l| l.ends_with("(up to date)")),
        "{out}"
    );
    assert_eq!(
        dns.queries().len(),
        before,
        "a reinstall from the lockfile asks no DNS"
    );

    // The publisher makes `text` shorter: breaking for a stored record.
    git(&fresh, &["init", "-q"]);
    git(&fresh, &["add", "-A"]);
    git(&fresh, &["commit", "-q", "-m", "lexicons as pinned"]);
    let mut changed = originals.clone();
    changed.get_mut("com.example.e2e.post").unwrap()["defs"]["main"]["record"]["properties"]
        ["text"]["maxLength"] = json!(1000);
    write_lexicons(&source, &changed);

    // Before publishing, the publisher compares the change with what is
    // published now (fetched into a scratch directory): it is breaking.
    let published_dir = tmp.path().join("published");
    let (pub_lex, pub_man) = (
        published_dir.join("lexicons"),
        published_dir.join("lexicons.json"),
    );
    let mut args = vec![
        "install",
        "--lexicons",
        pub_lex.to_str().unwrap(),
        "--manifest",
        pub_man.to_str().unwrap(),
    ];
    args.extend_from_slice(&net);
    args.extend(originals.keys().copied());
    ok(&args, 0);
    let (out, _) = ok(
        &[
            "breaking",
            "--against",
            pub_lex.to_str().unwrap(),
            "--lexicons",
            source_str,
        ],
        1,
    );
    println!("lifecycle_e2e: breaking against the published versions\n{out}");
    assert!(out.contains("breaking[string-length]"), "{out}");

    let (out, _) = ok(
        &[
            "publish",
            "com.example.e2e.post",
            "--lexicons",
            source_str,
            "--pds",
            &pds,
            "--identifier",
            &handle,
            "--check-dns",
            "--dns",
            &dns_addr,
        ],
        0,
    );
    println!("lifecycle_e2e: republish\n{out}");
    assert!(
        out.contains(&format!(
            "dns: _lexicon.e2e.example.com -> {did} (this account)"
        )),
        "{out}"
    );
    let new_cid = cids(&out)["com.example.e2e.post"].clone();
    assert_ne!(new_cid, published["com.example.e2e.post"]);

    // Installing from the lockfile keeps the pinned version; fetching it
    // again without --update refuses the new one.
    install(&[], 0);
    std::fs::remove_file(lexicons.join("com/example/e2e/post.json")).unwrap();
    let (_, err) = install(&[], 2);
    assert!(
        err.contains("changed since it was pinned") && err.contains(&new_cid),
        "{err}"
    );
    git(&fresh, &["checkout", "-q", "--", "lexicons"]);

    // Someone pulls the new version without updating the lockfile.
    let (out, _) = install(&["--update", "--no-save"], 0);
    println!("lifecycle_e2e: install --update --no-save\n{out}");
    let (out, _) = ok(
        &[
            "install",
            "--ci",
            "--lexicons",
            lex_str,
            "--manifest",
            man_str,
        ],
        1,
    );
    println!("lifecycle_e2e: install --ci\n{out}");
    assert!(
        out.contains("mismatch: com.example.e2e.post") && out.contains(&new_cid),
        "{out}"
    );
    assert_eq!(out.matches("mismatch:").count(), 1, "{out}");
    atproto_lex_ci(&fresh, false);

    // `breaking` against the pinned version (the commit) names the change.
    let (out, _) = ok(&["breaking", "--against", "HEAD", "--lexicons", lex_str], 1);
    println!("lifecycle_e2e: breaking --against HEAD\n{out}");
    assert!(
        out.contains("breaking[string-length]") && out.contains("properties.text.maxLength"),
        "{out}"
    );
}

/// Where `pds.sh` installed the harness (`LEXGEN_E2E_DIR`, else `target/e2e`).
fn e2e_dir() -> std::path::PathBuf {
    std::env::var_os("LEXGEN_E2E_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| lexgen_tests::repo_path("target/e2e"))
}
