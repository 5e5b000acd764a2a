//! Receiving webhooks: the Ed25519 signature, the timestamp and replays are checked before
//! an event is decoded (feature `webhooks`).
//!
//! The API signs every webhook with the account's Ed25519 key: the header
//! `telnyx-signature-ed25519` is the base64 signature of the bytes
//! `{telnyx-timestamp}|{raw body}`, and `telnyx-timestamp` is the Unix time in seconds when
//! it was sent. A [`WebhookVerifier`] holds the account's public key (base64, as the
//! portal shows it) and, for each request, checks in this order:
//!
//! 1. both headers are there, and the signature is 64 bytes of base64;
//! 2. the signature is valid for the timestamp and the exact body bytes (strict
//!    verification: no malleable or small-order forms);
//! 3. the timestamp is within the tolerance of the local clock, in both directions
//!    (5 minutes by default), so an old request cannot be sent again later;
//! 4. the body is JSON of the requested type;
//! 5. its event id (`data.id`; the signature for an event without one) was not accepted
//!    before within the tolerance window (a
//!    [`ReplayStore`]: in memory by default, or shared between instances, such as
//!    [`RedisReplayStore`] with the feature `redis`).
//!
//! Nothing is decoded before the signature is verified: the only way to read an event
//! without it is [`decode_unverified`], whose name says so. The event types have no
//! `Deserialize` of their own, so serde cannot skip the checks by accident:
//!
//! ```compile_fail,E0277
//! let event: telnyx_messaging::WebhookEvent = serde_json::from_slice(b"{}").unwrap();
//! ```
//!
//! ```compile_fail,E0277
//! let data: telnyx_messaging::WebhookEventData = serde_json::from_slice(b"{}").unwrap();
//! ```
//!
//! Nor can the decoding step be called directly: it takes a [`Token`] that only this
//! module makes.
//!
//! ```compile_fail,E0423
//! use telnyx_messaging::webhook::{Token, WebhookBody};
//! let event = telnyx_messaging::WebhookEvent::decode_verified(&serde_json::json!({}), Token(()));
//! ```
//!
//! Errors say which check failed and never quote the body.
//!
//! ```no_run
//! # async fn handle(body: &[u8], headers: &reqwest::header::HeaderMap) -> Result<(), Box<dyn std::error::Error>> {
//! use telnyx_messaging::WebhookEvent;
//! use telnyx_messaging::webhook::WebhookVerifier;
//!
//! // Once, at start-up: the public key from the portal.
//! let verifier = WebhookVerifier::new("KRbKh3tsvW2D5WRMNUGD2nnPz6VfOGDOBKFL7Hea0x4=")?;
//! // For each request: the raw body bytes and the headers, before anything else.
//! let event: WebhookEvent = verifier.verify_headers(body, headers).await?;
//! # let _ = event;
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, VerifyingKey};

#[cfg(feature = "redis")]
pub use crate::replay::RedisReplayStore;
pub use crate::replay::{MemoryReplayStore, ReplayStore, ReplayStoreError};

/// The header with the base64 Ed25519 signature.
pub const SIGNATURE_HEADER: &str = "telnyx-signature-ed25519";
/// The header with the Unix time (seconds) the webhook was sent at.
pub const TIMESTAMP_HEADER: &str = "telnyx-timestamp";
/// How far the timestamp may be from the local clock, either way, unless set otherwise.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);
/// The largest tolerance [`WebhookVerifier::tolerance`] takes: a day.
pub const MAX_TOLERANCE: Duration = Duration::from_secs(86_400);

/// Checks the signature, the age and the novelty of webhook requests, then decodes them.
///
/// Cheap to share: wrap it in an `Arc`, or clone it (the clones share the replay store
/// only if the store itself is shared, as [`RedisReplayStore`] is; each clone of a
/// [`MemoryReplayStore`] shares its memory too).
#[derive(Clone)]
pub struct WebhookVerifier<S = MemoryReplayStore> {
    key: VerifyingKey,
    tolerance: Duration,
    store: S,
}

impl<S> fmt::Debug for WebhookVerifier<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("tolerance", &self.tolerance)
            .finish_non_exhaustive()
    }
}

impl WebhookVerifier<MemoryReplayStore> {
    /// A verifier for the account's public key, given as base64 (as the portal shows it),
    /// remembering recent event ids in memory.
    ///
    /// # Errors
    ///
    /// [`WebhookError::BadKey`] when the text is not base64 of a 32-byte Ed25519 public
    /// key.
    pub fn new(public_key_base64: &str) -> Result<Self, WebhookError> {
        let bytes = STANDARD
            .decode(public_key_base64.trim())
            .map_err(|_| WebhookError::BadKey)?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| WebhookError::BadKey)?;
        let key = VerifyingKey::from_bytes(&bytes).map_err(|_| WebhookError::BadKey)?;
        // A small-order key verifies nothing under strict verification: a configuration
        // mistake, better found at start-up than as every webhook refused.
        if key.is_weak() {
            return Err(WebhookError::BadKey);
        }
        Ok(Self {
            key,
            tolerance: DEFAULT_TOLERANCE,
            store: MemoryReplayStore::default(),
        })
    }
}

impl<S: ReplayStore> WebhookVerifier<S> {
    /// How far a timestamp may be from the local clock, in either direction (default
    /// [`DEFAULT_TOLERANCE`], at most [`MAX_TOLERANCE`]; whole seconds, as the header).
    ///
    /// An accepted event id is remembered until its timestamp is out of the tolerance, so
    /// a replay is caught for as long as its timestamp would pass.
    #[must_use]
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance.min(MAX_TOLERANCE);
        self
    }

    /// Remembers event ids in `store` instead: one that several instances share, so that
    /// an event replayed to another instance is caught too.
    pub fn replay_store<T: ReplayStore>(self, store: T) -> WebhookVerifier<T> {
        WebhookVerifier {
            key: self.key,
            tolerance: self.tolerance,
            store,
        }
    }

    /// [`verify`](Self::verify) with the two headers taken from `headers`.
    ///
    /// # Errors
    ///
    /// As [`verify`](Self::verify).
    pub async fn verify_headers<T: WebhookBody>(
        &self,
        body: &[u8],
        headers: &reqwest::header::HeaderMap,
    ) -> Result<T, WebhookError> {
        // A header that is there but not text is refused by the check of its content.
        let header = |name: &'static str, not_text: WebhookError| -> Result<&str, WebhookError> {
            headers
                .get(name)
                .ok_or(WebhookError::MissingHeader(name))?
                .to_str()
                .map_err(|_| not_text)
        };
        let timestamp = header(TIMESTAMP_HEADER, WebhookError::BadTimestamp)?;
        let signature = header(SIGNATURE_HEADER, WebhookError::BadSignatureEncoding)?;
        self.verify(body, timestamp, signature).await
    }

    /// Verifies a webhook request from its raw body bytes and the values of its
    /// `telnyx-timestamp` and `telnyx-signature-ed25519` headers, then decodes the body.
    ///
    /// # Errors
    ///
    /// The first check that fails, in the order of the [module docs](self).
    pub async fn verify<T: WebhookBody>(
        &self,
        body: &[u8],
        timestamp: &str,
        signature: &str,
    ) -> Result<T, WebhookError> {
        self.verify_at(body, timestamp, signature, SystemTime::now())
            .await
    }

    /// [`verify`](Self::verify) with `now` as the local clock's time.
    ///
    /// # Errors
    ///
    /// As [`verify`](Self::verify).
    pub async fn verify_at<T: WebhookBody>(
        &self,
        body: &[u8],
        timestamp: &str,
        signature: &str,
        now: SystemTime,
    ) -> Result<T, WebhookError> {
        let (value, remember) = self.check_signature_and_age(body, timestamp, signature, now)?;
        let decoded = T::decode_verified(&value, Token(())).map_err(|e| WebhookError::Decode {
            reason: DecodeReason::of(&e),
        })?;
        // The event's id; an event without one is known by its signature, which stands
        // for its timestamp and body.
        let id = match value
            .pointer("/data/id")
            .and_then(serde_json::Value::as_str)
        {
            Some(id) => id.to_owned(),
            None => format!("signature:{}", signature.trim()),
        };
        if !self.store.first_seen(&id, remember).await? {
            return Err(WebhookError::Replayed { event_id: id });
        }
        Ok(decoded)
    }

    /// Forgets `event_id`, so that the API's next delivery of it is accepted: for a
    /// handler that failed after verifying and wants the API to deliver it again.
    ///
    /// # Errors
    ///
    /// When the store cannot be reached.
    pub async fn forget(&self, event_id: &str) -> Result<(), WebhookError> {
        Ok(self.store.forget(event_id).await?)
    }

    /// Steps 1 to 3 and the JSON parse of step 4; with how long the event's id must be
    /// remembered: until its timestamp is out of the tolerance (plus the second the
    /// header's whole seconds may hide).
    fn check_signature_and_age(
        &self,
        body: &[u8],
        timestamp: &str,
        signature: &str,
        now: SystemTime,
    ) -> Result<(serde_json::Value, Duration), WebhookError> {
        let signature = STANDARD
            .decode(signature.trim())
            .map_err(|_| WebhookError::BadSignatureEncoding)?;
        let signature =
            Signature::from_slice(&signature).map_err(|_| WebhookError::BadSignatureEncoding)?;
        // The signed bytes: the header's text as sent, a bar, the body.
        let mut signed = Vec::with_capacity(timestamp.len() + 1 + body.len());
        signed.extend_from_slice(timestamp.as_bytes());
        signed.push(b'|');
        signed.extend_from_slice(body);
        self.key
            .verify_strict(&signed, &signature)
            .map_err(|_| WebhookError::BadSignature)?;

        let sent: u64 = timestamp
            .trim()
            .parse()
            .map_err(|_| WebhookError::BadTimestamp)?;
        let now = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        if sent < now && now - sent > self.tolerance.as_secs() {
            return Err(WebhookError::TooOld {
                age: Duration::from_secs(now - sent),
            });
        }
        if sent > now && sent - now > self.tolerance.as_secs() {
            return Err(WebhookError::TooNew {
                ahead: Duration::from_secs(sent - now),
            });
        }
        let value = serde_json::from_slice(body).map_err(|e| WebhookError::NotJson {
            line: e.line(),
            column: e.column(),
        })?;
        let valid_until = sent
            .saturating_add(self.tolerance.as_secs())
            .saturating_add(2);
        Ok((
            value,
            Duration::from_secs(valid_until.saturating_sub(now).max(1)),
        ))
    }
}

/// Proof that a body passed the checks (or was decoded by [`decode_unverified`]): only
/// this module makes one, so nothing else can call [`WebhookBody::decode_verified`].
#[derive(Debug, Clone, Copy)]
pub struct Token(());

/// Decodes a webhook body without checking its signature, age or novelty.
///
/// Only for events whose origin was checked some other way (a test, a replay from your
/// own log of verified events): anyone can post anything to a webhook URL.
///
/// # Errors
///
/// [`WebhookError::NotJson`] or [`WebhookError::Decode`].
pub fn decode_unverified<T: WebhookBody>(body: &[u8]) -> Result<T, WebhookError> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| WebhookError::NotJson {
            line: e.line(),
            column: e.column(),
        })?;
    T::decode_verified(&value, Token(())).map_err(|e| WebhookError::Decode {
        reason: DecodeReason::of(&e),
    })
}

/// A type a webhook body decodes into: the spec's webhook events (which have no
/// `Deserialize` of their own, so that nothing decodes them by accident without the
/// checks) and [`serde_json::Value`].
pub trait WebhookBody: Sized {
    /// Decodes a body whose checks passed; only [`WebhookVerifier`] and
    /// [`decode_unverified`] can call it, as only they make a [`Token`].
    #[doc(hidden)]
    fn decode_verified(value: &serde_json::Value, token: Token) -> Result<Self, serde_json::Error>;
}

impl WebhookBody for serde_json::Value {
    fn decode_verified(value: &serde_json::Value, _: Token) -> Result<Self, serde_json::Error> {
        Ok(value.clone())
    }
}

/// How generated webhook types decode a field that holds another webhook type (which has
/// no `Deserialize`): through its `WebhookBody`, as the outer type was.
pub(crate) mod field {
    use serde::de::{Deserialize, Deserializer};

    use super::{Token, WebhookBody};

    fn decode<T: WebhookBody, E: serde::de::Error>(value: &serde_json::Value) -> Result<T, E> {
        T::decode_verified(value, Token(())).map_err(E::custom)
    }

    #[allow(dead_code)] // for specs whose webhook types hold others this way
    pub(crate) fn one<'de, D: Deserializer<'de>, T: WebhookBody>(d: D) -> Result<T, D::Error> {
        decode(&serde_json::Value::deserialize(d)?)
    }

    #[allow(dead_code)] // for specs whose webhook types hold others this way
    pub(crate) fn option<'de, D: Deserializer<'de>, T: WebhookBody>(
        d: D,
    ) -> Result<Option<T>, D::Error> {
        Option::<serde_json::Value>::deserialize(d)?
            .as_ref()
            .map(decode)
            .transpose()
    }

    #[allow(dead_code)] // for specs whose webhook types hold others this way
    pub(crate) fn vec<'de, D: Deserializer<'de>, T: WebhookBody>(d: D) -> Result<Vec<T>, D::Error> {
        Vec::<serde_json::Value>::deserialize(d)?
            .iter()
            .map(decode)
            .collect()
    }

    #[allow(dead_code)] // for specs whose webhook types hold others this way
    pub(crate) fn option_vec<'de, D: Deserializer<'de>, T: WebhookBody>(
        d: D,
    ) -> Result<Option<Vec<T>>, D::Error> {
        match Option::<Vec<serde_json::Value>>::deserialize(d)? {
            Some(items) => items.iter().map(decode).collect::<Result<_, _>>().map(Some),
            None => Ok(None),
        }
    }
}

/// Why a webhook request was refused: the check that failed.
///
/// None of them quotes the body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The public key given to [`WebhookVerifier::new`] is not base64 of a 32-byte Ed25519
    /// public key.
    #[error("the webhook public key is not base64 of a 32-byte Ed25519 public key")]
    BadKey,
    /// A header is missing (or is not text).
    #[error("the webhook request has no `{0}` header")]
    MissingHeader(&'static str),
    /// The signature header is not base64 of 64 bytes.
    #[error("the webhook signature is not base64 of a 64-byte Ed25519 signature")]
    BadSignatureEncoding,
    /// The signature does not match the timestamp and body for the account's key.
    #[error("the webhook signature does not match its timestamp and body")]
    BadSignature,
    /// The timestamp header is not a whole number of seconds.
    #[error("the webhook timestamp is not a Unix time in seconds")]
    BadTimestamp,
    /// The timestamp is further in the past than the tolerance.
    #[error("the webhook was sent {} s ago, more than the tolerance allows", age.as_secs())]
    TooOld {
        /// How long ago it was sent, by the local clock.
        age: Duration,
    },
    /// The timestamp is further in the future than the tolerance.
    #[error("the webhook is dated {} s ahead of the local clock, more than the tolerance allows", ahead.as_secs())]
    TooNew {
        /// How far ahead of the local clock it is dated.
        ahead: Duration,
    },
    /// The body is not JSON.
    #[error("the webhook body is not JSON (at line {line}, column {column})")]
    NotJson {
        /// Where the JSON broke.
        line: usize,
        /// Where the JSON broke.
        column: usize,
    },
    /// The body is JSON but not of the requested type.
    #[error("the webhook body does not decode: {reason}")]
    Decode {
        /// What kind of mismatch, without the value that caused it.
        reason: DecodeReason,
    },
    /// The event was accepted before, within the tolerance window.
    #[error("the webhook event {event_id} was accepted before (a replay)")]
    Replayed {
        /// The event's `data.id` (`signature:` and the signature for an event without
        /// one).
        event_id: String,
    },
    /// The replay store could not be reached: the event is neither accepted nor refused.
    #[error("the webhook replay store failed: {0}")]
    Store(#[from] ReplayStoreError),
}

/// What kind of mismatch made a JSON body fail to decode, without any of its values
/// (serde's own messages quote strings of the body, which hold phone numbers and text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeReason {
    /// A value of the wrong JSON type.
    WrongType,
    /// A required field is missing.
    MissingField,
    /// Anything else.
    Other,
}

impl DecodeReason {
    fn of(error: &serde_json::Error) -> Self {
        let text = error.to_string();
        if text.starts_with("invalid type") {
            DecodeReason::WrongType
        } else if text.starts_with("missing field") {
            DecodeReason::MissingField
        } else {
            DecodeReason::Other
        }
    }
}

impl fmt::Display for DecodeReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DecodeReason::WrongType => "a value of the wrong type",
            DecodeReason::MissingField => "a required field is missing",
            DecodeReason::Other => "the JSON does not fit the type",
        })
    }
}
