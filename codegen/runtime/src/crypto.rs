//! Signatures as AT Protocol uses them (feature `crypto`): the public keys
//! of accounts (`did:key:z…`, and the `#atproto` key of a DID document) and
//! ECDSA over SHA-256 on P-256 (`ES256`) and secp256k1 (`ES256K`), with
//! 64-byte compact signatures in low-S form only, as `@atproto/crypto`
//! verifies them. Repository commits are checked with it
//! ([`Repo::verify_signature`](super::repo::Repo::verify_signature)).
//!
//! ```ignore
//! let key = PublicKey::from_did_document(&did_doc)?;
//! repo.verify_signature(&key)?; // or repo.verify_with_document(&did_doc)
//! ```

mod base58;

use k256::ecdsa::signature::Verifier;
use std::fmt;
use std::str::FromStr;

/// Multicodec prefixes (unsigned varints) of compressed public keys.
const P256_PREFIX: [u8; 2] = [0x80, 0x24];
const K256_PREFIX: [u8; 2] = [0xe7, 0x01];
const DID_KEY: &str = "did:key:";

/// The two curves of the protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// NIST P-256 (`ES256`).
    P256,
    /// secp256k1 (`ES256K`).
    Secp256k1,
}

impl Algorithm {
    /// Its JWT `alg` name: `ES256` or `ES256K`.
    pub fn jwt_alg(self) -> &'static str {
        match self {
            Algorithm::P256 => "ES256",
            Algorithm::Secp256k1 => "ES256K",
        }
    }
}

/// A public key of either curve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// A P-256 key.
    P256(p256::ecdsa::VerifyingKey),
    /// A secp256k1 key.
    Secp256k1(k256::ecdsa::VerifyingKey),
}

/// Why a key could not be read or a signature did not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl Error {
    fn new(message: impl Into<String>) -> Self {
        Error(message.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl PublicKey {
    /// A key from its SEC1 bytes (compressed or not) on `algorithm`'s curve.
    ///
    /// # Errors
    ///
    /// Bytes that are not a point of the curve.
    pub fn from_sec1(algorithm: Algorithm, bytes: &[u8]) -> Result<Self, Error> {
        let bad = |_| Error::new(format!("not a {} public key", algorithm.jwt_alg()));
        Ok(match algorithm {
            Algorithm::P256 => {
                PublicKey::P256(p256::ecdsa::VerifyingKey::from_sec1_bytes(bytes).map_err(bad)?)
            }
            Algorithm::Secp256k1 => PublicKey::Secp256k1(
                k256::ecdsa::VerifyingKey::from_sec1_bytes(bytes).map_err(bad)?,
            ),
        })
    }

    /// A key from a `did:key` (`did:key:zDnae…` for P-256, `did:key:zQ3s…`
    /// for secp256k1).
    ///
    /// # Errors
    ///
    /// Not a `did:key`, or its multikey does not parse (see
    /// [`Self::from_multikey`]).
    pub fn from_did_key(did: &str) -> Result<Self, Error> {
        let multikey = did
            .strip_prefix(DID_KEY)
            .ok_or_else(|| Error::new(format!("not a did:key: {did:?}")))?;
        PublicKey::from_multikey(multikey)
    }

    /// A key from a multikey: `z` (base58btc) then the multicodec prefix of
    /// the curve and the key's SEC1 bytes.
    ///
    /// # Errors
    ///
    /// Another multibase, bad base58, an unknown key type, or bytes that
    /// are not a point of the curve.
    pub fn from_multikey(multikey: &str) -> Result<Self, Error> {
        let bytes = multibase58(multikey)?;
        if let Some(key) = bytes.strip_prefix(&P256_PREFIX) {
            PublicKey::from_sec1(Algorithm::P256, key)
        } else if let Some(key) = bytes.strip_prefix(&K256_PREFIX) {
            PublicKey::from_sec1(Algorithm::Secp256k1, key)
        } else {
            Err(Error::new(
                "unsupported key type (a multikey is P-256 or secp256k1)",
            ))
        }
    }

    /// The account's signing key in its DID document: the verification
    /// method `#atproto` (or `<id>#atproto`), read by
    /// [`Self::from_verification_method`].
    ///
    /// # Errors
    ///
    /// No such method, or one whose key does not parse.
    pub fn from_did_document(doc: &serde_json::Value) -> Result<Self, Error> {
        let method = crate::types::did_doc_items(doc, "verificationMethod", "#atproto")
            .next()
            .ok_or_else(|| Error::new("the DID document has no `#atproto` verification method"))?;
        let field = |name: &str| {
            method
                .get(name)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
        };
        PublicKey::from_verification_method(field("type"), field("publicKeyMultibase"))
    }

    /// A key from a DID document's verification method: its `type` and its
    /// `publicKeyMultibase`. `Multikey` is a multikey; the legacy types
    /// `EcdsaSecp256r1VerificationKey2019` and
    /// `EcdsaSecp256k1VerificationKey2019` hold the bare SEC1 key in
    /// base58btc.
    ///
    /// # Errors
    ///
    /// Another type, or a key that does not parse.
    pub fn from_verification_method(kind: &str, multibase: &str) -> Result<Self, Error> {
        match kind {
            "Multikey" => PublicKey::from_multikey(multibase),
            "EcdsaSecp256r1VerificationKey2019" => {
                PublicKey::from_sec1(Algorithm::P256, &multibase58(multibase)?)
            }
            "EcdsaSecp256k1VerificationKey2019" => {
                PublicKey::from_sec1(Algorithm::Secp256k1, &multibase58(multibase)?)
            }
            other => Err(Error::new(format!(
                "unsupported verification method type {other:?} (secp256k1 and P-256 only)"
            ))),
        }
    }

    /// Its curve.
    pub fn algorithm(&self) -> Algorithm {
        match self {
            PublicKey::P256(_) => Algorithm::P256,
            PublicKey::Secp256k1(_) => Algorithm::Secp256k1,
        }
    }

    /// Its compressed SEC1 bytes (33).
    pub fn to_sec1_compressed(&self) -> Vec<u8> {
        match self {
            PublicKey::P256(k) => k.to_encoded_point(true).as_bytes().to_vec(),
            PublicKey::Secp256k1(k) => k.to_encoded_point(true).as_bytes().to_vec(),
        }
    }

    /// Its multikey (`z…`), with the compressed key.
    pub fn to_multikey(&self) -> String {
        let prefix = match self {
            PublicKey::P256(_) => P256_PREFIX,
            PublicKey::Secp256k1(_) => K256_PREFIX,
        };
        let mut bytes = prefix.to_vec();
        bytes.extend(self.to_sec1_compressed());
        format!("z{}", base58::encode(&bytes))
    }

    /// Its `did:key`.
    pub fn to_did_key(&self) -> String {
        format!("{DID_KEY}{}", self.to_multikey())
    }

    /// Checks `signature` (64 bytes, `r` then `s`, low-S) over `message`,
    /// which is hashed with SHA-256 first.
    ///
    /// # Errors
    ///
    /// A signature of another length (DER is refused), a high-S signature
    /// (malleable: refused, as the protocol requires), or one that does not
    /// verify.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), Error> {
        if signature.len() != 64 {
            return Err(Error::new(format!(
                "a signature is 64 bytes (compact r, s), got {}",
                signature.len()
            )));
        }
        let invalid = |_| Error::new("the signature does not verify");
        let high_s = || Error::new("the signature is not in low-S form");
        match self {
            PublicKey::P256(key) => {
                let sig = p256::ecdsa::Signature::from_slice(signature).map_err(invalid)?;
                if sig.normalize_s().is_some() {
                    return Err(high_s());
                }
                key.verify(message, &sig).map_err(invalid)
            }
            PublicKey::Secp256k1(key) => {
                let sig = k256::ecdsa::Signature::from_slice(signature).map_err(invalid)?;
                if sig.normalize_s().is_some() {
                    return Err(high_s());
                }
                key.verify(message, &sig).map_err(invalid)
            }
        }
    }
}

/// `did:key:…`.
impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_did_key())
    }
}

/// From a `did:key`.
impl FromStr for PublicKey {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        PublicKey::from_did_key(s)
    }
}

/// The bytes of a base58btc multibase string (`z…`).
fn multibase58(s: &str) -> Result<Vec<u8>, Error> {
    let Some(rest) = s.strip_prefix('z') else {
        return Err(Error::new(format!(
            "{s:?}: only base58btc multibase (`z…`) is supported"
        )));
    };
    base58::decode(rest).ok_or_else(|| Error::new(format!("{s:?}: invalid base58btc")))
}

#[cfg(test)]
mod tests;
