//! `cid`: the string format is a syntax check (8-256 chars of `[A-Za-z0-9+=]`,
//! no CIDv0); decoding a CID into its parts is a separate, stricter operation
//! ([`decode_cid`]), for code that needs the bytes.

use super::*;

// ---------------------------------------------------------------------------
// cid
// ---------------------------------------------------------------------------

/// The longest decoded CID accepted: a 1-byte version, up to three 9-byte
/// varints, up to 128 digest bytes (plus slack for non-minimal varints).
pub(super) const MAX_CID_BYTES: usize = 4 * 9 + 128;

/// Sanity bound on the length of a CID string.
pub(super) const MAX_CID_CHARS: usize = 512;

/// Builds a byte -> digit lookup table (`0xFF` for bytes not in `alphabet`).
/// Alphabets have at most 64 characters, so the index cast cannot truncate.
#[allow(clippy::cast_possible_truncation)]
pub(super) const fn alphabet_table(alphabet: &[u8]) -> [u8; 256] {
    let mut table = [0xFF_u8; 256];
    let mut i = 0;
    while i < alphabet.len() {
        table[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    table
}

pub(super) static BASE2: [u8; 256] = alphabet_table(b"01");
pub(super) static BASE8: [u8; 256] = alphabet_table(b"01234567");
pub(super) static BASE10: [u8; 256] = alphabet_table(b"0123456789");
pub(super) static BASE16: [u8; 256] = alphabet_table(b"0123456789abcdef");
pub(super) static BASE16_UPPER: [u8; 256] = alphabet_table(b"0123456789ABCDEF");
pub(super) static BASE32: [u8; 256] = alphabet_table(b"abcdefghijklmnopqrstuvwxyz234567");
pub(super) static BASE32_UPPER: [u8; 256] = alphabet_table(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
pub(super) static BASE32_HEX: [u8; 256] = alphabet_table(b"0123456789abcdefghijklmnopqrstuv");
pub(super) static BASE32_HEX_UPPER: [u8; 256] = alphabet_table(b"0123456789ABCDEFGHIJKLMNOPQRSTUV");
pub(super) static BASE32_Z: [u8; 256] = alphabet_table(b"ybndrfg8ejkmcpqxot1uwisza345h769");
pub(super) static BASE36: [u8; 256] = alphabet_table(b"0123456789abcdefghijklmnopqrstuvwxyz");
pub(super) static BASE36_UPPER: [u8; 256] = alphabet_table(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");
pub(super) static BASE58_BTC: [u8; 256] =
    alphabet_table(b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz");
pub(super) static BASE58_FLICKR: [u8; 256] =
    alphabet_table(b"123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ");
pub(super) static BASE64: [u8; 256] =
    alphabet_table(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
pub(super) static BASE64_URL: [u8; 256] =
    alphabet_table(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

/// How a multibase encodes bytes.
#[derive(Clone, Copy)]
pub(super) enum BaseKind {
    /// RFC 4648 style bit packing with this many bits per character;
    /// `true` if `=` padding is required.
    Bits(u32, bool),
    /// Big-number positional encoding in this radix (base-x style).
    Radix(u32),
}

/// A multibase: its name, alphabet table and encoding kind.
pub(super) type Multibase = (&'static str, &'static [u8; 256], BaseKind);

pub(super) fn multibase(prefix: u8) -> Option<Multibase> {
    use BaseKind::{Bits, Radix};
    Some(match prefix {
        b'0' => ("base2 ('0')", &BASE2, Bits(1, false)),
        b'7' => ("base8 ('7')", &BASE8, Bits(3, false)),
        b'9' => ("base10 ('9')", &BASE10, Radix(10)),
        b'f' => ("base16 ('f')", &BASE16, Bits(4, false)),
        b'F' => ("base16upper ('F')", &BASE16_UPPER, Bits(4, false)),
        b'b' => ("base32 ('b')", &BASE32, Bits(5, false)),
        b'B' => ("base32upper ('B')", &BASE32_UPPER, Bits(5, false)),
        b'c' => ("base32pad ('c')", &BASE32, Bits(5, true)),
        b'C' => ("base32padupper ('C')", &BASE32_UPPER, Bits(5, true)),
        b'v' => ("base32hex ('v')", &BASE32_HEX, Bits(5, false)),
        b'V' => ("base32hexupper ('V')", &BASE32_HEX_UPPER, Bits(5, false)),
        b't' => ("base32hexpad ('t')", &BASE32_HEX, Bits(5, true)),
        b'T' => ("base32hexpadupper ('T')", &BASE32_HEX_UPPER, Bits(5, true)),
        b'h' => ("base32z ('h')", &BASE32_Z, Bits(5, false)),
        b'k' => ("base36 ('k')", &BASE36, Radix(36)),
        b'K' => ("base36upper ('K')", &BASE36_UPPER, Radix(36)),
        b'z' => ("base58btc ('z')", &BASE58_BTC, Radix(58)),
        b'Z' => ("base58flickr ('Z')", &BASE58_FLICKR, Radix(58)),
        b'm' => ("base64 ('m')", &BASE64, Bits(6, false)),
        b'M' => ("base64pad ('M')", &BASE64, Bits(6, true)),
        b'u' => ("base64url ('u')", &BASE64_URL, Bits(6, false)),
        b'U' => ("base64urlpad ('U')", &BASE64_URL, Bits(6, true)),
        _ => return None,
    })
}

pub(super) fn cid_too_long() -> Rule {
    format!("the decoded CID is longer than any valid CID ({MAX_CID_BYTES} bytes)").into()
}

pub(super) fn base_char_error(c: u8, at: usize, name: &str) -> Rule {
    if c == b'=' {
        format!("padding '=' at byte {at} is not allowed in {name}").into()
    } else {
        format!(
            "character {:?} at byte {at} is not in the {name} alphabet",
            char::from(c)
        )
        .into()
    }
}

/// Decodes RFC 4648 style data (`offset` = byte position of `data` in the
/// whole string, for messages) into `out`, returning the decoded length.
pub(super) fn decode_bits(
    data: &[u8],
    offset: usize,
    (name, table, bits, padded): (&str, &[u8; 256], u32, bool),
    out: &mut [u8],
) -> Result<usize, Rule> {
    let mut body = data;
    if padded {
        let pad = data.iter().rev().take_while(|&&c| c == b'=').count();
        body = data.get(..data.len() - pad).unwrap_or_default();
        let quantum = if bits == 5 { 8 } else { 4 };
        let rem = body.len() % quantum;
        let need = if rem == 0 { 0 } else { quantum - rem };
        if pad != need {
            return Err(format!(
                "{name} needs exactly {need} '=' padding characters here; found {pad}"
            )
            .into());
        }
    }
    let mut acc: u32 = 0;
    let mut nbits: u32 = 0;
    let mut n = 0;
    for (k, &c) in body.iter().enumerate() {
        let v = table[usize::from(c)];
        if v == 0xFF {
            return Err(base_char_error(c, offset + k, name));
        }
        acc = (acc << bits) | u32::from(v);
        nbits += bits;
        if nbits >= 8 {
            nbits -= 8;
            let slot = out.get_mut(n).ok_or_else(cid_too_long)?;
            *slot = ((acc >> nbits) & 0xFF) as u8;
            n += 1;
            acc &= (1 << nbits) - 1;
        }
    }
    if nbits >= bits {
        return Err(format!(
            "{name} data of {} characters (after the prefix) has an impossible length",
            body.len()
        )
        .into());
    }
    if acc != 0 {
        return Err(
            format!("{name} data has non-zero trailing bits (not canonically encoded)").into(),
        );
    }
    Ok(n)
}

/// Decodes base-x (big number) data into `out`, returning the decoded length.
pub(super) fn decode_radix(
    data: &[u8],
    offset: usize,
    (name, table, radix): (&str, &[u8; 256], u32),
    out: &mut [u8],
) -> Result<usize, Rule> {
    // Leading zero digits stand for leading zero bytes (base-x convention).
    let zeros = data
        .iter()
        .take_while(|&&c| table[usize::from(c)] == 0)
        .count();
    // The number itself, in little-endian 32-bit limbs. Digits are folded in
    // groups whose multiplier radix^group still fits in a u32.
    let radix = u64::from(radix);
    let mut group: usize = 1;
    let mut power = radix;
    while u32::try_from(power * radix).is_ok() {
        power *= radix;
        group += 1;
    }
    let mut limbs = [0u32; MAX_CID_BYTES / 4 + 1];
    let mut used = 0;
    for (chunk_index, chunk) in data.chunks(group).enumerate() {
        let mut multiplier: u64 = 1;
        let mut carry: u64 = 0;
        for (k, &c) in chunk.iter().enumerate() {
            let digit = table[usize::from(c)];
            if digit == 0xFF {
                let at = offset + chunk_index * group + k;
                return Err(base_char_error(c, at, name));
            }
            multiplier *= radix;
            carry = carry * radix + u64::from(digit);
        }
        // limbs = limbs * multiplier + carry; both factors are below 2^32,
        // so every intermediate value fits in a u64.
        for limb in limbs.iter_mut().take(used) {
            let t = u64::from(*limb) * multiplier + carry;
            *limb = (t & 0xFFFF_FFFF) as u32;
            carry = t >> 32;
        }
        if carry > 0 {
            let slot = limbs.get_mut(used).ok_or_else(cid_too_long)?;
            *slot = (carry & 0xFFFF_FFFF) as u32;
            used += 1;
        }
    }
    // Big-endian bytes of the number, without leading zero bytes.
    let top = limbs.get(..used).unwrap_or_default();
    let bytes = top
        .iter()
        .rev()
        .flat_map(|limb| limb.to_be_bytes())
        .skip_while(|&byte| byte == 0);
    let mut len = zeros;
    for byte in bytes {
        let slot = out.get_mut(len).ok_or_else(cid_too_long)?;
        *slot = byte;
        len += 1;
    }
    if let Some(prefix) = out.get_mut(..zeros) {
        prefix.fill(0);
    } else {
        return Err(cid_too_long());
    }
    Ok(len)
}

/// Reads an unsigned varint (at most 9 bytes) at `*pos`.
pub(super) fn read_varint(bytes: &[u8], pos: &mut usize, what: &str) -> Result<u64, Rule> {
    let mut value: u64 = 0;
    for k in 0..9 {
        let Some(&b) = bytes.get(*pos) else {
            return Err(format!("the decoded CID ends inside the {what} varint").into());
        };
        *pos += 1;
        value |= u64::from(b & 0x7F) << (7 * k);
        if b & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err(format!("the {what} varint is longer than 9 bytes").into())
}

/// The parts of a decoded CID (see [`decode_cid`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CidParts {
    /// CID version: 0 (a bare base58btc `Qm...` string) or 1.
    pub version: u64,
    /// Content codec (multicodec), e.g. `0x71` dag-cbor, `0x55` raw; `0x70`
    /// (dag-pb) for version 0.
    pub codec: u64,
    /// Multihash function code, e.g. `0x12` sha2-256.
    pub hash: u64,
    /// The digest bytes.
    pub digest: Vec<u8>,
    /// The whole binary CID (for version 0: the bare multihash).
    pub bytes: Vec<u8>,
}

/// Parses decoded `CIDv1` bytes: version 1, codec, multihash.
pub(super) fn cid_v1_bytes(bytes: &[u8]) -> Result<CidParts, Rule> {
    let mut pos = 0;
    match read_varint(bytes, &mut pos, "version")? {
        1 => {}
        0 => {
            return Err(
                "CID version 0 is only valid as a bare base58btc \"Qm...\" string, not in multibase form"
                    .into(),
            );
        }
        0x12 => {
            return Err(
                "the decoded bytes are a bare sha2-256 multihash (CIDv0); in multibase form a CID must be version 1"
                    .into(),
            );
        }
        v => {
            return Err(format!("unsupported CID version {v}; only version 1 is valid").into());
        }
    }
    let codec = read_varint(bytes, &mut pos, "codec")?;
    let hash = read_varint(bytes, &mut pos, "multihash code")?;
    let digest_len = read_varint(bytes, &mut pos, "digest length")?;
    if digest_len == 0 {
        return Err("the multihash digest length is 0".into());
    }
    if digest_len > 128 {
        return Err(format!("the multihash digest length {digest_len} exceeds 128 bytes").into());
    }
    let remaining = bytes.len().saturating_sub(pos) as u64;
    if remaining < digest_len {
        return Err(format!(
            "the multihash digest is truncated: expected {digest_len} bytes, found {remaining}"
        )
        .into());
    }
    if remaining > digest_len {
        return Err(format!(
            "{} unexpected trailing bytes after the {digest_len}-byte multihash digest",
            remaining - digest_len
        )
        .into());
    }
    Ok(CidParts {
        version: 1,
        codec,
        hash,
        digest: bytes.get(pos..).unwrap_or_default().to_vec(),
        bytes: bytes.to_vec(),
    })
}

/// The characters of the `cid` string format, for messages.
const CID_CHARS: &str = "ASCII letters, digits, '+' and '='";

/// The `cid` string format: a syntax check only (no decoding).
pub(super) fn cid_rule(s: &str) -> RuleResult {
    if s.is_empty() {
        return Err("CID is empty".into());
    }
    no_outer_space(s)?;
    for (i, &c) in s.as_bytes().iter().enumerate() {
        if !(c.is_ascii_alphanumeric() || c == b'+' || c == b'=') {
            return Err(match c {
                b':' => {
                    format!("':' at byte {i} is not allowed: a CID has no scheme (such as ipfs://)")
                        .into()
                }
                _ => bad_char(s, i, CID_CHARS),
            });
        }
    }
    if s.len() < 8 {
        return Err(format!("CID is {} characters long; the minimum is 8", s.len()).into());
    }
    if s.len() > 256 {
        return Err(format!("CID is {} characters long; the maximum is 256", s.len()).into());
    }
    if s.starts_with("Qm") {
        return Err(
            "a CIDv0 (\"Qm...\") is not allowed in this version of atproto; use CIDv1 (\"b...\")"
                .into(),
        );
    }
    Ok(())
}

/// Decodes a CID string into its parts.
pub(super) fn cid_decode_rule(s: &str) -> Result<CidParts, Rule> {
    basic(s, "CID", MAX_CID_CHARS)?;
    // Every value with whitespace, non-ASCII or ':' also fails decoding;
    // looking for them only on failure keeps the success path short.
    cid_structure(s).map_err(|rule| cid_char_problem(s).unwrap_or(rule))
}

/// Names the first whitespace, control, non-ASCII or ':' character.
#[cold]
pub(super) fn cid_char_problem(s: &str) -> Option<Rule> {
    if let Err(rule) = printable_ascii(s) {
        return Some(rule);
    }
    s.bytes().position(|c| c == b':').map(|i| {
        format!("':' at byte {i} is not allowed: a CID has no scheme (such as ipfs://)").into()
    })
}

pub(super) fn cid_structure(s: &str) -> Result<CidParts, Rule> {
    let b = s.as_bytes();
    let mut buf = [0u8; MAX_CID_BYTES];
    let Some((&prefix, data)) = b.split_first() else {
        return Err("CID is empty".into());
    };
    if prefix == b'Q' {
        if b.len() != 46 {
            return Err(format!(
                "a CIDv0 (\"Qm...\") must be exactly 46 characters long; found {}",
                b.len()
            )
            .into());
        }
        if b.get(1) != Some(&b'm') {
            return Err("a CIDv0 must start with \"Qm\"".into());
        }
        let n = decode_radix(b, 0, ("base58btc", &BASE58_BTC, 58), &mut buf)?;
        return match buf.get(..n) {
            Some(multihash @ [0x12, 0x20, digest @ ..]) if digest.len() == 32 => Ok(CidParts {
                version: 0,
                codec: 0x70,
                hash: 0x12,
                digest: digest.to_vec(),
                bytes: multihash.to_vec(),
            }),
            _ => Err(
                "a CIDv0 must decode to a sha2-256 multihash (0x12 0x20 and 32 digest bytes)"
                    .into(),
            ),
        };
    }
    let Some((name, table, kind)) = multibase(prefix) else {
        return Err(if prefix == b'/' {
            "a CID must not be a path (such as /ipfs/...)".into()
        } else {
            format!(
                "unknown multibase prefix {:?}; expected e.g. 'b' (base32) or 'z' (base58btc), or a CIDv0 \"Qm...\"",
                char::from(prefix)
            )
            .into()
        });
    };
    if data.is_empty() {
        return Err(format!("no data after the {name} multibase prefix").into());
    }
    let n = match kind {
        BaseKind::Bits(bits, padded) => {
            decode_bits(data, 1, (name, table, bits, padded), &mut buf)?
        }
        BaseKind::Radix(radix) => decode_radix(data, 1, (name, table, radix), &mut buf)?,
    };
    cid_v1_bytes(buf.get(..n).unwrap_or_default())
}

/// Checks the `cid` string format, a **syntax** check (it does not decode):
/// 8-256 chars of `[A-Za-z0-9+=]`, not starting with `Qm` (a `CIDv0` is not
/// allowed in this version of atproto). Any multibase prefix passes; use
/// [`decode_cid`] when the codec and digest matter.
///
/// # Errors
///
/// Returns a [`FormatError`] naming the broken rule.
pub fn check_cid(s: &str) -> Result<(), FormatError> {
    cid_rule(s).map_err(|r| FormatError::new(Format::Cid, r, s))
}

/// Decodes a CID string strictly: a `CIDv0` (`Qm` + 44 base58btc chars, a
/// sha2-256 multihash) or a multibase-encoded `CIDv1` (prefixes `0 7 9 f F b
/// B c C v V t T h k K z Z m M u U`) whose bytes are version 1, a codec, and
/// a multihash with a digest of 1-128 bytes and no trailing bytes; canonical
/// encoding (zero trailing bits, exact padding where the base has it). At
/// most 512 chars.
///
/// # Errors
///
/// Returns a [`FormatError`] (format `cid`) naming the broken rule.
pub fn decode_cid(s: &str) -> Result<CidParts, FormatError> {
    cid_decode_rule(s).map_err(|r| FormatError::new(Format::Cid, r, s))
}
