//! Format values made rather than parsed: the current time as a `Datetime`
//! or a `Tid`, an `AtUri` from its parts (and back), and the conversions
//! between formats that hold by construction. Every value made here is
//! valid by its format's rule without a check.

use super::super::types::CidLink;
use super::{AtIdentifier, AtUri, Cid, Datetime, Did, Handle, Nsid, RecordKey, Tid};
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

/// Microseconds since the Unix epoch (0 for a clock set before 1970).
fn now_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX))
}

/// `(year, month, day)` of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`, for the non-negative days a post-1970 clock gives).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

impl Datetime {
    /// The current UTC time with microseconds, e.g. `2026-11-30T00:05:01.123456Z`.
    #[must_use]
    pub fn now() -> Datetime {
        Datetime::from_unix_micros(now_micros())
    }

    /// The UTC time `micros` microseconds after the Unix epoch.
    #[must_use]
    pub fn from_unix_micros(micros: u64) -> Datetime {
        let secs = micros / 1_000_000;
        let (year, month, day) = civil_from_days(secs / 86_400);
        let rem = secs % 86_400;
        Datetime::from_valid(format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
            rem / 3600,
            rem / 60 % 60,
            rem % 60,
            micros % 1_000_000
        ))
    }
}

const SORTABLE_BASE32: &[u8; 32] = b"234567abcdefghijklmnopqrstuvwxyz";

/// The last timestamp handed out, so TIDs from this process only grow.
static LAST_TID_MICROS: AtomicU64 = AtomicU64::new(0);

/// This process's random 10-bit clock id. `RandomState` is seeded from the
/// OS's randomness, so no RNG dependency is needed.
fn clock_id() -> u64 {
    static ID: OnceLock<u64> = OnceLock::new();
    *ID.get_or_init(|| {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        h.finish() & 0x3ff
    })
}

impl Tid {
    /// A new TID per the spec: the current time in microseconds (53 bits)
    /// and a random 10-bit clock id, 13 sortable base32 chars. Strictly
    /// increasing within the process, even when the clock stalls or steps
    /// back.
    #[must_use]
    pub fn now() -> Tid {
        let now = now_micros() & ((1 << 53) - 1);
        let mut last = LAST_TID_MICROS.load(Ordering::Relaxed);
        let micros = loop {
            let next = now.max(last + 1);
            match LAST_TID_MICROS.compare_exchange_weak(
                last,
                next,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => break next,
                Err(seen) => last = seen,
            }
        };
        Tid::from_parts(micros, clock_id())
    }

    /// The TID of a timestamp (microseconds since the epoch, 53 bits kept)
    /// and a clock id (10 bits kept).
    #[must_use]
    pub fn from_parts(micros: u64, clock_id: u64) -> Tid {
        let n = ((micros & ((1 << 53) - 1)) << 10) | (clock_id & 0x3ff);
        let s = (0..13)
            .rev()
            .map(|i| char::from(SORTABLE_BASE32[((n >> (i * 5)) & 31) as usize]))
            .collect();
        Tid::from_valid(s)
    }

    /// The timestamp, in microseconds since the epoch.
    #[must_use]
    pub fn timestamp_micros(&self) -> u64 {
        self.decode() >> 10
    }

    /// The clock id.
    #[must_use]
    pub fn clock_id(&self) -> u64 {
        self.decode() & 0x3ff
    }

    fn decode(&self) -> u64 {
        self.as_str().bytes().fold(0, |n, c| {
            let digit = SORTABLE_BASE32.iter().position(|&b| b == c).unwrap_or(0);
            (n << 5) | digit as u64
        })
    }
}

impl Nsid {
    /// The id of a lexicon lexgen has already checked (a record type's
    /// collection, in generated code); use [`Nsid::new`] for anything else.
    #[doc(hidden)]
    #[must_use]
    pub fn of_lexicon(id: &'static str) -> Nsid {
        debug_assert!(super::check_nsid(id).is_ok(), "{id}");
        Nsid::from_valid(id.to_owned())
    }
}

/// A TID is a valid record key.
impl From<Tid> for RecordKey {
    fn from(tid: Tid) -> RecordKey {
        RecordKey::from_valid(tid.into_string())
    }
}

impl AtUri {
    /// `at://AUTHORITY/COLLECTION/RKEY`, the URI of a record (always valid:
    /// the parts' own limits keep it under the length cap).
    #[must_use]
    pub fn record(
        authority: impl Into<AtIdentifier>,
        collection: &Nsid,
        rkey: &RecordKey,
    ) -> AtUri {
        let authority = authority.into();
        AtUri::from_valid(format!("at://{}/{collection}/{rkey}", authority.as_str()))
    }

    /// The segments after `at://`: authority, then collection and record key if present.
    fn segments(&self) -> impl Iterator<Item = &str> {
        let rest = &self.as_str()["at://".len()..];
        rest.split('/')
    }

    /// The DID or handle the URI starts with.
    #[must_use]
    pub fn authority(&self) -> AtIdentifier {
        AtIdentifier::from_valid(self.segments().next().unwrap_or_default().to_owned())
    }

    /// The collection NSID, if the URI has one.
    #[must_use]
    pub fn collection(&self) -> Option<Nsid> {
        self.segments()
            .nth(1)
            .map(|s| Nsid::from_valid(s.to_owned()))
    }

    /// The record key, if the URI has one.
    #[must_use]
    pub fn rkey(&self) -> Option<RecordKey> {
        self.segments()
            .nth(2)
            .map(|s| RecordKey::from_valid(s.to_owned()))
    }
}

impl From<Did> for AtUri {
    /// `at://DID`, the URI of a repository.
    fn from(did: Did) -> AtUri {
        AtUri::from_valid(format!("at://{did}"))
    }
}

impl From<Handle> for AtUri {
    /// `at://HANDLE`, the URI of a repository.
    fn from(handle: Handle) -> AtUri {
        AtUri::from_valid(format!("at://{handle}"))
    }
}

impl From<Cid> for CidLink {
    fn from(cid: Cid) -> CidLink {
        CidLink(cid)
    }
}

impl From<CidLink> for Cid {
    fn from(link: CidLink) -> Cid {
        link.0
    }
}

impl AsRef<Cid> for CidLink {
    fn as_ref(&self) -> &Cid {
        &self.0
    }
}
