//! The §6 rules of `cid`, `uri`, `nsid` and `language`, and the §2 rules of
//! `$bytes`, tested from the rule text: every boundary length and every
//! ASCII character class at each position where the rule differs.

use atproto_types::formats::{decode_cid, Cid, Format};
use atproto_types::types::{base64_decode, base64_encode, Bytes};

fn ok(format: Format, s: &str) -> bool {
    format.check(s).is_ok()
}

#[track_caller]
fn valid(format: Format, s: &str) {
    if let Err(e) = format.check(s) {
        panic!("{format} {s:?} should be valid: {e}");
    }
}

#[track_caller]
fn invalid(format: Format, s: &str) {
    assert!(format.check(s).is_err(), "{format} {s:?} should be invalid");
}

fn ascii() -> impl Iterator<Item = char> {
    (0u8..128).map(char::from)
}

// ---------------------------------------------------------------------------
// cid
// ---------------------------------------------------------------------------

#[test]
fn cid_length_is_8_to_256() {
    for len in 0..300 {
        let s = format!("b{}", "a".repeat(len.max(1) - 1));
        let s = &s[..len];
        assert_eq!(ok(Format::Cid, s), (8..=256).contains(&len), "length {len}");
    }
}

#[test]
fn cid_characters_are_letters_digits_plus_and_equals() {
    for c in ascii().chain(['é', '\u{a0}']) {
        let s = format!("bafyrei{c}aaaa");
        let allowed = c.is_ascii_alphanumeric() || c == '+' || c == '=';
        assert_eq!(ok(Format::Cid, &s), allowed, "{c:?}");
    }
}

#[test]
fn cid_is_a_syntax_check_not_a_decode() {
    // Any multibase prefix, undecodable data, padding anywhere: syntax only.
    for s in [
        "zzzzzzzz",
        "12345678",
        "========",
        "++++++++",
        "bafyreiXYZ",
        "QM345678",
    ] {
        valid(Format::Cid, s);
        assert!(decode_cid(s).is_err(), "{s:?} does not decode");
    }
}

#[test]
fn cid_v0_is_rejected() {
    let v0 = "QmdRR57tzSqDTWezUPsE2t9xc3DwpGxw6L3m3g2Jw1JC6p";
    invalid(Format::Cid, v0);
    assert!(Format::Cid.check(v0).unwrap_err().rule().contains("CIDv0"));
    invalid(Format::Cid, "Qm345678");
    // Only the `Qm` prefix is CIDv0.
    valid(
        Format::Cid,
        "qmdRR57tzSqDTWezUPsE2t9xc3DwpGxw6L3m3g2Jw1JC6p",
    );
    // The strict decode still reads it, for code that needs the bytes.
    assert_eq!(decode_cid(v0).unwrap().version, 0);
}

#[test]
fn cid_decode_gives_the_parts() {
    let cid = Cid::new("bafkreihac7e2smbvmcovut7ygoosq4vynkxj4mjr5kox726xjfxujqp6au").unwrap();
    let parts = cid.decode().unwrap();
    assert_eq!((parts.version, parts.codec, parts.hash), (1, 0x55, 0x12));
    assert_eq!(parts.digest.len(), 32);
    assert!(Cid::new("bafyreiaaaaaaaaaa").unwrap().decode().is_err());
}

// ---------------------------------------------------------------------------
// uri
// ---------------------------------------------------------------------------

#[test]
fn uri_scheme_starts_with_a_lowercase_letter() {
    for c in ascii() {
        let s = format!("{c}x:y");
        assert_eq!(ok(Format::Uri, &s), c.is_ascii_lowercase(), "{s:?}");
    }
}

#[test]
fn uri_scheme_continues_with_rfc_3986_characters() {
    for c in ascii() {
        let s = format!("a{c}:y");
        // ':' ends the scheme early ("a" then ":y"), which is fine.
        let allowed = c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.' | ':');
        assert_eq!(ok(Format::Uri, &s), allowed, "{s:?}");
    }
    for s in [
        "content-type:text/plain",
        "microsoft.windows.camera:x",
        "git+ssh://h",
        "a1:x",
    ] {
        valid(Format::Uri, s);
    }
}

#[test]
fn uri_rest_is_non_blank_printable_ascii() {
    for c in ascii().chain(['é']) {
        let s = format!("a:{c}");
        assert_eq!(ok(Format::Uri, &s), c.is_ascii_graphic(), "{s:?}");
    }
    invalid(Format::Uri, "a:");
    invalid(Format::Uri, ":a");
    valid(Format::Uri, "a:/");
    valid(Format::Uri, "https:///x");
}

#[test]
fn uri_length_is_at_most_8_kib() {
    let max = format!("a:{}", "b".repeat(8190));
    valid(Format::Uri, &max);
    invalid(Format::Uri, &format!("{max}b"));
}

// ---------------------------------------------------------------------------
// nsid
// ---------------------------------------------------------------------------

#[test]
fn nsid_total_is_317_with_no_authority_cap() {
    // Many short authority segments: 300+ chars of authority is fine.
    for len in 300..=320 {
        // "a.a.a...." authority then ".b" + name padding to reach `len`.
        let segments = (len - 6) / 2;
        let authority = vec!["a"; segments].join(".");
        let name_len = len - authority.len() - 1;
        let s = format!("{authority}.{}", "n".repeat(name_len));
        assert_eq!(s.len(), len);
        let name_ok = name_len <= 63;
        assert_eq!(ok(Format::Nsid, &s), len <= 317 && name_ok, "length {len}");
    }
}

#[test]
fn nsid_segments_are_1_to_63() {
    for len in 0..=65 {
        let seg = "a".repeat(len);
        let (domain, name) = (format!("com.{seg}.foo"), format!("com.example.{seg}"));
        assert_eq!(
            ok(Format::Nsid, &domain),
            (1..=63).contains(&len),
            "domain {len}"
        );
        assert_eq!(
            ok(Format::Nsid, &name),
            (1..=63).contains(&len),
            "name {len}"
        );
    }
}

#[test]
fn nsid_character_classes_per_segment() {
    for c in ascii() {
        let domain = format!("com.ex{c}mple.foo");
        let name = format!("com.example.fo{c}o");
        let first = format!("{c}om.example.foo");
        let dot = c == '.';
        assert_eq!(
            ok(Format::Nsid, &domain),
            c.is_ascii_alphanumeric() || c == '-' || dot,
            "{domain:?}"
        );
        assert_eq!(
            ok(Format::Nsid, &name),
            c.is_ascii_alphanumeric() || dot,
            "{name:?}"
        );
        assert_eq!(
            ok(Format::Nsid, &first),
            c.is_ascii_alphabetic(),
            "{first:?}"
        );
    }
    // Digits: a middle segment may start with one; the first and the name not.
    valid(Format::Nsid, "com.1example.foo");
    invalid(Format::Nsid, "1com.example.foo");
    invalid(Format::Nsid, "com.example.1foo");
    // Hyphens: not at either end of a domain segment, never in the name.
    invalid(Format::Nsid, "com.-example.foo");
    invalid(Format::Nsid, "com.example-.foo");
    valid(Format::Nsid, "com.ex-ample.foo");
    invalid(Format::Nsid, "com.example.fo-o");
    // Two segments are not enough; the glob form is not an NSID.
    invalid(Format::Nsid, "com.example");
    invalid(Format::Nsid, "com.example.*");
}

// ---------------------------------------------------------------------------
// language
// ---------------------------------------------------------------------------

#[test]
fn language_primary_subtag_is_2_to_3_letters() {
    for len in 1..=9 {
        let tag = "q".repeat(len);
        assert_eq!(
            ok(Format::Language, &tag),
            (2..=3).contains(&len),
            "{tag:?}"
        );
        let with_region = format!("{tag}-US");
        assert_eq!(
            ok(Format::Language, &with_region),
            (2..=3).contains(&len),
            "{with_region:?}"
        );
    }
}

#[test]
fn language_single_letter_primary_only_for_x_and_grandfathered_i() {
    for c in ascii().filter(char::is_ascii_alphanumeric) {
        let tag = format!("{c}-default");
        let allowed = matches!(c, 'x' | 'X' | 'i' | 'I');
        assert_eq!(ok(Format::Language, &tag), allowed, "{tag:?}");
    }
    valid(Format::Language, "i-klingon");
    invalid(Format::Language, "i-foo");
    valid(Format::Language, "x-foo");
}

#[test]
fn language_primary_characters() {
    for c in ascii() {
        let tag = format!("e{c}-US");
        assert_eq!(
            ok(Format::Language, &tag),
            c.is_ascii_lowercase(),
            "{tag:?}"
        );
    }
}

// ---------------------------------------------------------------------------
// $bytes (§2)
// ---------------------------------------------------------------------------

#[test]
fn bytes_padding_is_optional() {
    for (text, bytes) in [
        ("", &[][..]),
        ("AA", &[0][..]),
        ("AA==", &[0][..]),
        ("AAA", &[0, 0][..]),
        ("AAA=", &[0, 0][..]),
        ("AAAA", &[0, 0, 0][..]),
    ] {
        assert_eq!(base64_decode(text).as_deref(), Some(bytes), "{text:?}");
    }
    // Padding, when written, is complete; a lone character is no base64.
    for text in ["A", "AA=", "AAAA=", "A===", "====", "AA=A"] {
        assert_eq!(base64_decode(text), None, "{text:?}");
    }
}

#[test]
fn bytes_non_zero_trailing_bits_are_accepted_on_read() {
    // "AB": 12 bits, the last 4 (0001) are not part of the byte.
    assert_eq!(base64_decode("AB"), Some(vec![0]));
    assert_eq!(base64_decode("AB=="), Some(vec![0]));
    assert_eq!(base64_decode("AAB"), Some(vec![0, 0]));
    assert_eq!(base64_decode("//"), Some(vec![0xff]));
}

#[test]
fn bytes_are_written_canonical_and_unpadded() {
    for text in ["AB", "AB==", "AA=="] {
        let b: Bytes = serde_json::from_str(&format!(r#"{{"$bytes": "{text}"}}"#)).unwrap();
        assert_eq!(serde_json::to_string(&b).unwrap(), r#"{"$bytes":"AA"}"#);
    }
    assert_eq!(base64_encode(&[0xff, 0xfe]), "//4");
    // Standard alphabet only.
    assert_eq!(base64_decode("-_"), None);
}
