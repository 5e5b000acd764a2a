//! Runs a [Prism](https://github.com/stoplightio/prism) mock server of the spec.
//!
//! [`Prism::start`] launches `prism mock` on a free loopback port with its standard output
//! and error captured, and waits until it accepts connections and logs requests.
//! [`PrismHandle::request_count`] counts the requests Prism has logged as
//! `Request received`; [`Prism::stop`] kills the process by its id and returns everything
//! it printed.
//!
//! Prism is installed by `npm ci` in `tests/` (which `cargo xtask test` runs); see
//! [`default_binary`] and [`default_spec`] for where it and the spec are looked up.
//!
//! ```no_run
//! # async fn run() -> Result<(), telnyx_messaging_tests::prism::PrismError> {
//! use std::time::Duration;
//! use telnyx_messaging_tests::prism::{self, Prism};
//!
//! let prism = Prism::start(&prism::default_binary(), &prism::default_spec(), Duration::from_secs(60)).await?;
//! let base_url = prism.base_url().to_owned(); // http://127.0.0.1:PORT
//! let before = prism.handle().request_count().await?;
//! // ... send requests to base_url ...
//! let output = prism.stop().await?;
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// The text of the line Prism logs for every request it receives.
pub const REQUEST_RECEIVED: &str = "Request received";

/// Path prefix of the synchronisation requests of [`PrismHandle::sync`]; Prism answers them
/// 404, and [`PrismHandle::request_count`] leaves them out.
const SYNC_PATH_PREFIX: &str = "/__prism_sync_";

/// How long [`PrismHandle::sync`] waits for Prism to log its request.
const SYNC_TIMEOUT: Duration = Duration::from_secs(10);

/// How long [`Prism::stop`] waits for the process to end once killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// How long to wait for the output readers once the process has ended.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// How many free ports to try when another process takes the chosen one first.
const START_ATTEMPTS: usize = 3;

/// The Prism executable `npm ci` installs in `tests/node_modules/.bin/`.
pub fn default_binary() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/.bin/prism")
}

/// The spec the client is generated from, `spec/messaging.yaml`.
pub fn default_spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/messaging.yaml")
}

/// Why Prism could not be started, queried or stopped.
#[derive(Debug)]
#[non_exhaustive]
pub enum PrismError {
    /// The Prism executable is missing.
    NotInstalled {
        /// Where it was looked for.
        binary: PathBuf,
    },
    /// The spec file is missing.
    SpecMissing {
        /// Where it was looked for.
        spec: PathBuf,
        /// Why it could not be opened.
        source: io::Error,
    },
    /// An operating-system call failed.
    Io {
        /// What was being done.
        action: String,
        /// The failure.
        source: io::Error,
    },
    /// Prism ended before it was ready.
    Exited {
        /// Its exit status.
        status: ExitStatus,
        /// Everything it printed.
        output: String,
    },
    /// Prism did not accept connections in time.
    StartTimeout {
        /// The port it was told to listen on.
        port: u16,
        /// How long it was given.
        waited: Duration,
        /// Everything it printed.
        output: String,
    },
    /// Prism did not log a synchronisation request (see [`PrismHandle::sync`]).
    Sync {
        /// What went wrong.
        reason: String,
        /// Everything it printed so far.
        output: String,
    },
}

impl fmt::Display for PrismError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const INSTALL_HINT: &str = "run `cargo xtask test` (it runs `npm ci` in tests/)";
        match self {
            PrismError::NotInstalled { binary } => write!(
                f,
                "Prism is not installed ({} is missing): {INSTALL_HINT}",
                binary.display()
            ),
            PrismError::SpecMissing { spec, source } => {
                write!(f, "cannot open the spec {}: {source}", spec.display())
            }
            PrismError::Io { action, source } => write!(f, "cannot {action}: {source}"),
            PrismError::Exited { status, output } => write!(
                f,
                "Prism exited before it was ready ({status}); if it is not installed properly, \
                 {INSTALL_HINT}. Its output:\n{output}"
            ),
            PrismError::StartTimeout {
                port,
                waited,
                output,
            } => write!(
                f,
                "Prism did not accept connections on 127.0.0.1:{port} within {} s. Its output:\n{output}",
                waited.as_secs_f64()
            ),
            PrismError::Sync { reason, output } => {
                write!(
                    f,
                    "Prism did not log a synchronisation request: {reason}. Its output:\n{output}"
                )
            }
        }
    }
}

impl std::error::Error for PrismError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PrismError::SpecMissing { source, .. } | PrismError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Prism's output lines (standard output and error), in the order each stream produced
/// them, without terminal colour codes.
#[derive(Default)]
struct Log {
    lines: Mutex<Vec<String>>,
    changed: Notify,
}

impl Log {
    fn push(&self, line: String) {
        self.lines
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(line);
        self.changed.notify_waiters();
    }

    fn with_lines<R>(&self, f: impl FnOnce(&[String]) -> R) -> R {
        f(&self.lines.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn text(&self) -> String {
        self.with_lines(|lines| {
            let mut text = lines.join("\n");
            text.push('\n');
            text
        })
    }
}

/// A running Prism mock server. Dropping it kills the process; [`Prism::stop`] also waits
/// for it to end and returns its output.
pub struct Prism {
    child: Child,
    handle: PrismHandle,
    readers: Vec<JoinHandle<()>>,
}

impl fmt::Debug for Prism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Prism")
            .field("pid", &self.child.id())
            .field("base_url", &self.handle.base_url)
            .finish()
    }
}

impl Prism {
    /// Starts `binary mock -h 127.0.0.1 -p PORT SPEC` on a free port and waits (at most
    /// `timeout`) until it accepts connections and logs a first request.
    ///
    /// # Errors
    ///
    /// [`PrismError::NotInstalled`] when `binary` does not exist, and the other variants
    /// when Prism cannot be run, exits early, or does not come up in time; those carry its
    /// output.
    pub async fn start(binary: &Path, spec: &Path, timeout: Duration) -> Result<Self, PrismError> {
        if !binary.is_file() {
            return Err(PrismError::NotInstalled {
                binary: binary.to_owned(),
            });
        }
        let spec = spec
            .canonicalize()
            .map_err(|source| PrismError::SpecMissing {
                spec: spec.to_owned(),
                source,
            })?;
        let mut attempt = 1;
        loop {
            match Self::start_once(binary, &spec, timeout).await {
                // Another process took the port between choosing it and Prism binding it.
                Err(PrismError::Exited { output, .. })
                    if output.contains("EADDRINUSE") && attempt < START_ATTEMPTS =>
                {
                    attempt += 1;
                }
                outcome => return outcome,
            }
        }
    }

    async fn start_once(binary: &Path, spec: &Path, timeout: Duration) -> Result<Self, PrismError> {
        let port = free_port()?;
        let mut child = Command::new(binary)
            .arg("mock")
            .arg("-h")
            .arg("127.0.0.1")
            .arg("-p")
            .arg(port.to_string())
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env("NO_COLOR", "1")
            .env("FORCE_COLOR", "0")
            .kill_on_drop(true)
            .spawn()
            .map_err(|source| PrismError::Io {
                action: format!("run {}", binary.display()),
                source,
            })?;
        let log = Arc::new(Log::default());
        let mut readers = Vec::new();
        if let Some(stdout) = child.stdout.take() {
            readers.push(tokio::spawn(read_lines(stdout, Arc::clone(&log))));
        }
        if let Some(stderr) = child.stderr.take() {
            readers.push(tokio::spawn(read_lines(stderr, Arc::clone(&log))));
        }
        let http = reqwest::Client::builder()
            .timeout(SYNC_TIMEOUT)
            .build()
            .map_err(|e| PrismError::Io {
                action: "set up an HTTP client".to_owned(),
                source: io::Error::other(e),
            })?;
        let mut prism = Prism {
            child,
            handle: PrismHandle {
                base_url: format!("http://127.0.0.1:{port}"),
                log,
                http,
                next_sync: Arc::new(AtomicU64::new(0)),
            },
            readers,
        };
        let deadline = Instant::now() + timeout;
        loop {
            let exited = prism.child.try_wait().map_err(|source| PrismError::Io {
                action: "check whether Prism is running".to_owned(),
                source,
            })?;
            if let Some(status) = exited {
                prism.drain().await;
                return Err(PrismError::Exited {
                    status,
                    output: prism.handle.output(),
                });
            }
            let connect = TcpStream::connect(SocketAddr::from((Ipv4Addr::LOCALHOST, port)));
            if let Ok(Ok(_)) = tokio::time::timeout(Duration::from_secs(1), connect).await {
                break;
            }
            if Instant::now() >= deadline {
                let output = prism.stop().await.unwrap_or_else(|e| e.to_string());
                return Err(PrismError::StartTimeout {
                    port,
                    waited: timeout,
                    output,
                });
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // Proves that the server on the port is this Prism and that its log is read.
        if let Err(error) = prism.handle.sync().await {
            // The kill's outcome does not matter: the sync error is the one to report.
            let _ = prism.stop().await;
            return Err(error);
        }
        Ok(prism)
    }

    /// A cheap, clonable handle for sending requests to Prism and reading its log.
    pub fn handle(&self) -> PrismHandle {
        self.handle.clone()
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.handle.base_url
    }

    /// The process id, while the process runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// Kills Prism by its process id, waits for it to end, and returns everything it
    /// printed.
    ///
    /// # Errors
    ///
    /// [`PrismError::Io`] when the process cannot be killed or does not end in time.
    pub async fn stop(mut self) -> Result<String, PrismError> {
        let running = self
            .child
            .try_wait()
            .map_err(|source| PrismError::Io {
                action: "check whether Prism is running".to_owned(),
                source,
            })?
            .is_none();
        if running {
            self.child.start_kill().map_err(|source| PrismError::Io {
                action: format!("kill Prism (pid {:?})", self.child.id()),
                source,
            })?;
            match tokio::time::timeout(STOP_TIMEOUT, self.child.wait()).await {
                Ok(Ok(_)) => {}
                Ok(Err(source)) => {
                    return Err(PrismError::Io {
                        action: "wait for Prism to end".to_owned(),
                        source,
                    });
                }
                Err(_) => {
                    return Err(PrismError::Io {
                        action: "stop Prism".to_owned(),
                        source: io::Error::new(
                            io::ErrorKind::TimedOut,
                            format!(
                                "still running {} s after it was killed",
                                STOP_TIMEOUT.as_secs()
                            ),
                        ),
                    });
                }
            }
        }
        self.drain().await;
        Ok(self.handle.output())
    }

    /// Waits for the output readers to reach the end of the streams.
    async fn drain(&mut self) {
        for reader in self.readers.drain(..) {
            let abort = reader.abort_handle();
            if tokio::time::timeout(DRAIN_TIMEOUT, reader).await.is_err() {
                // A process that inherited the pipes keeps them open; stop reading.
                abort.abort();
            }
        }
    }
}

/// Sends requests to a running [`Prism`] and reads its log.
#[derive(Clone)]
pub struct PrismHandle {
    base_url: String,
    log: Arc<Log>,
    http: reqwest::Client,
    next_sync: Arc<AtomicU64>,
}

impl fmt::Debug for PrismHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrismHandle")
            .field("base_url", &self.base_url)
            .finish()
    }
}

impl PrismHandle {
    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Everything Prism has printed so far.
    pub fn output(&self) -> String {
        self.log.text()
    }

    /// The number of requests Prism has received (its `Request received` log lines),
    /// leaving out the synchronisation requests. Calls [`Self::sync`] first, so every
    /// request answered before this call is counted.
    ///
    /// # Errors
    ///
    /// See [`Self::sync`].
    pub async fn request_count(&self) -> Result<usize, PrismError> {
        self.sync().await?;
        Ok(self.log.with_lines(|lines| {
            lines
                .iter()
                .filter(|line| line.contains(REQUEST_RECEIVED) && !line.contains(SYNC_PATH_PREFIX))
                .count()
        }))
    }

    /// Sends a request to a path of its own and waits until Prism's log line for it has
    /// been read. Prism logs requests in the order it receives them, so afterwards the log
    /// holds the line of every request answered before.
    ///
    /// # Errors
    ///
    /// [`PrismError::Sync`] when the request fails or its line does not show up within
    /// 10 s.
    pub async fn sync(&self) -> Result<(), PrismError> {
        let n = self.next_sync.fetch_add(1, Ordering::SeqCst);
        let path = format!("{SYNC_PATH_PREFIX}{n:08}");
        let deadline = Instant::now() + SYNC_TIMEOUT;
        let url = format!("{}{path}", self.base_url);
        // Prism answers 404 (no such path); only its log line matters.
        self.http
            .get(&url)
            .send()
            .await
            .map_err(|e| PrismError::Sync {
                reason: format!("GET {url} failed: {e}"),
                output: self.output(),
            })?;
        let mut scanned = 0;
        loop {
            let changed = self.log.changed.notified();
            tokio::pin!(changed);
            // Registers for the next notification before looking, so none is missed.
            changed.as_mut().enable();
            let found = self.log.with_lines(|lines| {
                let found = lines[scanned..]
                    .iter()
                    .any(|line| line.contains(REQUEST_RECEIVED) && line.contains(&path));
                scanned = lines.len();
                found
            });
            if found {
                return Ok(());
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                return Err(PrismError::Sync {
                    reason: format!(
                        "no `{REQUEST_RECEIVED}` line for GET {path} within {} s",
                        SYNC_TIMEOUT.as_secs()
                    ),
                    output: self.output(),
                });
            }
        }
    }
}

/// A port that was free a moment ago: bind port 0 on loopback, note the port, release it.
fn free_port() -> Result<u16, PrismError> {
    let listener =
        TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(|source| PrismError::Io {
            action: "find a free port on 127.0.0.1".to_owned(),
            source,
        })?;
    listener
        .local_addr()
        .map(|addr| addr.port())
        .map_err(|source| PrismError::Io {
            action: "read the address of a loopback socket".to_owned(),
            source,
        })
}

/// Appends the lines of `stream` to `log` until it ends.
async fn read_lines(stream: impl AsyncRead + Unpin, log: Arc<Log>) {
    let mut reader = BufReader::new(stream);
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line).await {
            Ok(0) => break,
            Ok(_) => {
                let text = strip_ansi(&String::from_utf8_lossy(&line));
                log.push(text.trim_end().to_owned());
            }
            Err(error) => {
                log.push(format!("[cannot read Prism's output: {error}]"));
                break;
            }
        }
    }
}

/// Removes terminal escape sequences (`ESC [ ... letter`), should Prism colour its output.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_colour_codes() {
        assert_eq!(
            strip_ansi("\u{1b}[90m[8:00 AM]\u{1b}[39m post /messages Request received"),
            "[8:00 AM] post /messages Request received"
        );
        assert_eq!(strip_ansi("plain ℹ text"), "plain ℹ text");
    }

    #[tokio::test]
    async fn a_missing_binary_says_how_to_install_prism() {
        let missing = Path::new(env!("CARGO_MANIFEST_DIR")).join("no-such-dir/prism");
        let error = Prism::start(&missing, &default_spec(), Duration::from_secs(1))
            .await
            .expect_err("there is no such binary");
        assert!(
            matches!(error, PrismError::NotInstalled { .. }),
            "{error:?}"
        );
        assert!(error.to_string().contains("cargo xtask test"), "{error}");
    }

    /// Writes an executable shell script standing in for Prism.
    #[cfg(unix)]
    fn fake_prism(name: &str, script: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
        std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).expect("write the script");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .expect("make the script executable");
        path
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn an_early_exit_reports_the_output() {
        let binary = fake_prism("prism-exits", "echo 'cannot load the spec' >&2; exit 3");
        let error = Prism::start(&binary, &default_spec(), Duration::from_secs(10))
            .await
            .expect_err("the script exits at once");
        std::fs::remove_file(&binary).ok();
        assert!(matches!(error, PrismError::Exited { .. }), "{error:?}");
        assert!(
            error.to_string().contains("cannot load the spec"),
            "{error}"
        );
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_server_that_never_listens_times_out_and_is_killed() {
        let binary = fake_prism("prism-hangs", "echo starting; exec sleep 30");
        let started = Instant::now();
        let error = Prism::start(&binary, &default_spec(), Duration::from_millis(500))
            .await
            .expect_err("the script never listens");
        std::fs::remove_file(&binary).ok();
        assert!(
            matches!(error, PrismError::StartTimeout { .. }),
            "{error:?}"
        );
        assert!(error.to_string().contains("starting"), "{error}");
        // The sleeping process was killed rather than waited for.
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}
