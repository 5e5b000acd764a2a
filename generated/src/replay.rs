//! Where a [`WebhookVerifier`](crate::webhook::WebhookVerifier) remembers the events it
//! accepted, so that the same event sent again within the tolerance window is refused.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Remembers accepted event ids for a while.
///
/// The verifier calls it only for events whose signature and timestamp are valid. A
/// store shared by every instance of a service behind a load balancer catches an event
/// replayed to another instance; [`RedisReplayStore`] is one (feature `redis`).
pub trait ReplayStore: Send + Sync {
    /// Records `event_id` for `window`: `Ok(true)` when it was not recorded (the event is
    /// new), `Ok(false)` when it was (a replay).
    ///
    /// Two calls racing on one id must not both get `true`.
    fn first_seen(
        &self,
        event_id: &str,
        window: Duration,
    ) -> impl Future<Output = Result<bool, ReplayStoreError>> + Send;

    /// Forgets `event_id`, so that it counts as new again.
    fn forget(&self, event_id: &str) -> impl Future<Output = Result<(), ReplayStoreError>> + Send;
}

/// A replay store that could not answer (a lost connection, say).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ReplayStoreError(pub String);

/// The default store: recent event ids in this process's memory, at most
/// [`MemoryReplayStore::DEFAULT_CAPACITY`] of them (the oldest go first when it is full,
/// before their window ends; size it for the events a window brings).
///
/// Clones share their memory. Instances of a service do not: give them a shared store.
#[derive(Debug, Clone)]
pub struct MemoryReplayStore {
    inner: Arc<Mutex<Seen>>,
}

#[derive(Debug)]
struct Seen {
    capacity: usize,
    /// Numbers the entries, so that a stale entry of `order` is never taken for the live
    /// one of the same id.
    next: u64,
    /// Event id -> (when it may be accepted again, its entry's number).
    until: HashMap<String, (Instant, u64)>,
    /// The same ids in the order they were recorded, to expire and evict the oldest.
    order: VecDeque<(Instant, u64, String)>,
}

impl MemoryReplayStore {
    /// How many ids the default store keeps.
    pub const DEFAULT_CAPACITY: usize = 100_000;

    /// A store of at most `capacity` ids (at least 1).
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            inner: Arc::new(Mutex::new(Seen {
                capacity: capacity.max(1),
                next: 0,
                until: HashMap::new(),
                order: VecDeque::new(),
            })),
        }
    }

    fn record(&self, event_id: &str, window: Duration, now: Instant) -> bool {
        // A poisoned lock only means another thread panicked while holding it; the map
        // is still whole (every change below is a single insert or remove).
        let mut seen = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let Seen {
            capacity,
            next,
            until,
            order,
        } = &mut *seen;
        // Expired entries go first: the ids whose window has passed.
        while order.front().is_some_and(|(end, _, _)| *end <= now) {
            if let Some((_, number, id)) = order.pop_front() {
                if until.get(&id).is_some_and(|(_, n)| *n == number) {
                    until.remove(&id);
                }
            }
        }
        if until.get(event_id).is_some_and(|(end, _)| *end > now) {
            return false;
        }
        // A window past what `Instant` can hold means "for as long as the process runs".
        let end = now
            .checked_add(window)
            .or_else(|| now.checked_add(Duration::from_secs(100 * 365 * 86_400)))
            .unwrap_or(now);
        *next += 1;
        until.insert(event_id.to_owned(), (end, *next));
        order.push_back((end, *next, event_id.to_owned()));
        let mut evicted_live = false;
        while until.len() > *capacity || order.len() > 2 * *capacity {
            match order.pop_front() {
                Some((_, number, id)) if until.get(&id).is_some_and(|(_, n)| *n == number) => {
                    until.remove(&id);
                    evicted_live = true;
                }
                Some(_) => {}
                None => break,
            }
        }
        if evicted_live {
            // An id forgotten inside its window could be replayed: worth a line in the
            // logs (without the id) so that the capacity can be raised.
            tracing::warn!(
                capacity = *capacity,
                "webhook replay store full: the oldest event id was forgotten before its window ended"
            );
        }
        true
    }

    fn remove(&self, event_id: &str) {
        let mut seen = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        seen.until.remove(event_id);
        seen.order.retain(|(_, _, id)| id != event_id);
    }
}

impl Default for MemoryReplayStore {
    fn default() -> Self {
        Self::with_capacity(Self::DEFAULT_CAPACITY)
    }
}

impl ReplayStore for MemoryReplayStore {
    fn first_seen(
        &self,
        event_id: &str,
        window: Duration,
    ) -> impl Future<Output = Result<bool, ReplayStoreError>> + Send {
        let first = self.record(event_id, window, Instant::now());
        async move { Ok(first) }
    }

    fn forget(&self, event_id: &str) -> impl Future<Output = Result<(), ReplayStoreError>> + Send {
        self.remove(event_id);
        async { Ok(()) }
    }
}

/// A store in Redis, shared by every instance that uses the same server: each id is a key
/// set with `SET key 1 NX PX window`, which Redis runs atomically, so of two instances
/// racing on one event exactly one sees it as new (feature `redis`).
#[cfg(feature = "redis")]
#[derive(Clone)]
pub struct RedisReplayStore {
    connection: redis::aio::ConnectionManager,
    prefix: String,
}

#[cfg(feature = "redis")]
impl std::fmt::Debug for RedisReplayStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisReplayStore")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "redis")]
impl RedisReplayStore {
    /// The key prefix unless set otherwise.
    pub const DEFAULT_PREFIX: &'static str = "telnyx-messaging:webhook:";

    /// How long a connection attempt or a command may take before the store reports an
    /// error (the webhook is then neither accepted nor refused).
    pub const DEFAULT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

    /// Connects to Redis at `url` (`redis://host:port/db`), with connection and command
    /// time limits of [`Self::DEFAULT_TIMEOUT`]; the connection is re-established on its
    /// own when it drops.
    ///
    /// # Errors
    ///
    /// When the URL is invalid or the server cannot be reached.
    pub async fn connect(url: &str) -> Result<Self, ReplayStoreError> {
        let client = redis::Client::open(url).map_err(store_error)?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Self::DEFAULT_TIMEOUT)
            .set_response_timeout(Self::DEFAULT_TIMEOUT);
        let connection = redis::aio::ConnectionManager::new_with_config(client, config)
            .await
            .map_err(store_error)?;
        Ok(Self::new(connection))
    }

    /// A store on a connection configured by the caller (TLS, other time limits, ...).
    pub fn new(connection: redis::aio::ConnectionManager) -> Self {
        Self {
            connection,
            prefix: Self::DEFAULT_PREFIX.to_owned(),
        }
    }

    /// Keys are `prefix` followed by the event id (default [`Self::DEFAULT_PREFIX`]).
    #[must_use]
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }
}

#[cfg(feature = "redis")]
fn store_error(error: redis::RedisError) -> ReplayStoreError {
    // The error names the server and the failure, never a key (event ids are not secret).
    ReplayStoreError(format!("redis: {error}"))
}

#[cfg(feature = "redis")]
impl ReplayStore for RedisReplayStore {
    fn first_seen(
        &self,
        event_id: &str,
        window: Duration,
    ) -> impl Future<Output = Result<bool, ReplayStoreError>> + Send {
        let mut connection = self.connection.clone();
        let key = format!("{}{event_id}", self.prefix);
        let millis = u64::try_from(window.as_millis()).unwrap_or(u64::MAX).max(1);
        async move {
            let set: Option<String> = redis::cmd("SET")
                .arg(&key)
                .arg(1)
                .arg("NX")
                .arg("PX")
                .arg(millis)
                .query_async(&mut connection)
                .await
                .map_err(store_error)?;
            Ok(set.is_some())
        }
    }

    fn forget(&self, event_id: &str) -> impl Future<Output = Result<(), ReplayStoreError>> + Send {
        let mut connection = self.connection.clone();
        let key = format!("{}{event_id}", self.prefix);
        async move {
            let _: i64 = redis::cmd("DEL")
                .arg(&key)
                .query_async(&mut connection)
                .await
                .map_err(store_error)?;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_new_once_within_its_window_and_again_after() {
        let store = MemoryReplayStore::default();
        let start = Instant::now();
        let window = Duration::from_secs(600);
        assert!(store.record("a", window, start));
        assert!(!store.record("a", window, start + Duration::from_secs(599)));
        assert!(store.record("b", window, start));
        assert!(store.record("a", window, start + Duration::from_secs(600)));
    }

    #[test]
    fn a_full_store_forgets_the_oldest_first() {
        let store = MemoryReplayStore::with_capacity(2);
        let now = Instant::now();
        let window = Duration::from_secs(600);
        assert!(store.record("a", window, now));
        assert!(store.record("b", window, now));
        assert!(store.record("c", window, now));
        assert!(!store.record("c", window, now));
        assert!(!store.record("b", window, now));
        assert!(store.record("a", window, now), "the oldest was evicted");
        let seen = store.inner.lock().expect("lock");
        assert!(seen.until.len() <= 2 && seen.order.len() <= 4, "{seen:?}");
    }

    #[test]
    fn forgetting_and_recording_again_stays_bounded() {
        let store = MemoryReplayStore::with_capacity(4);
        let now = Instant::now();
        let window = Duration::from_secs(600);
        for _ in 0..1_000 {
            assert!(store.record("a", window, now));
            assert!(!store.record("a", window, now));
            store.remove("a");
        }
        assert!(store.record("b", window, now));
        let seen = store.inner.lock().expect("lock");
        assert!(seen.order.len() <= 8 && seen.until.len() == 1, "{seen:?}");
    }

    #[test]
    fn a_window_past_what_instant_holds_never_expires() {
        let store = MemoryReplayStore::default();
        let now = Instant::now();
        assert!(store.record("a", Duration::MAX, now));
        assert!(!store.record("a", Duration::MAX, now + Duration::from_secs(86_400)));
    }
}
