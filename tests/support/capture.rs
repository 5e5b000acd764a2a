//! Recorders of everything logged, so tests can check what a call logs, and what it never
//! logs: a `tracing` subscriber for every span and event with all their fields, at every
//! level and from every crate, and a `log` logger for the HTTP stack (reqwest, rustls),
//! which logs through `log`.

use std::fmt::{self, Write as _};
use std::sync::{Arc, Mutex, PoisonError};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::DefaultGuard;
use tracing::{Event, Metadata, Subscriber};

/// One recorded span: its name and fields, later `record`s included.
#[derive(Clone, Debug, Default)]
pub struct SpanRecord {
    /// The span's name.
    pub name: String,
    /// `(field, value)` pairs in the order they were recorded; values use `Debug`, except
    /// strings, which are kept as they are.
    pub fields: Vec<(String, String)>,
}

impl SpanRecord {
    /// The last value recorded for `field`.
    pub fn field(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .rev()
            .find(|(name, _)| name == field)
            .map(|(_, value)| value.as_str())
    }
}

#[derive(Default)]
struct Log {
    spans: Vec<SpanRecord>,
    /// Every event as one line: target, level and fields.
    events: Vec<String>,
}

/// Records everything; install it for the current thread with [`Capture::install`].
#[derive(Clone, Default)]
pub struct Capture {
    log: Arc<Mutex<Log>>,
}

impl Capture {
    /// Installs the recorder as this thread's default subscriber until the guard drops.
    /// A `#[tokio::test]` runs on one thread, so the tasks the HTTP stack spawns are
    /// recorded too.
    pub fn install() -> (Capture, DefaultGuard) {
        let capture = Capture::default();
        let guard = tracing::subscriber::set_default(capture.clone());
        (capture, guard)
    }

    /// The spans named `name`, in creation order.
    pub fn spans(&self, name: &str) -> Vec<SpanRecord> {
        self.lock()
            .spans
            .iter()
            .filter(|span| span.name == name)
            .cloned()
            .collect()
    }

    /// The recorded events, one line each.
    pub fn events(&self) -> Vec<String> {
        self.lock().events.clone()
    }

    /// Everything recorded, as text: every span with its fields and every event.
    pub fn text(&self) -> String {
        let log = self.lock();
        let mut text = String::new();
        for span in &log.spans {
            let _ = writeln!(text, "span {} {:?}", span.name, span.fields);
        }
        for event in &log.events {
            let _ = writeln!(text, "event {event}");
        }
        text
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Log> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Collects fields as `(name, value)` pairs.
struct Fields<'a>(&'a mut Vec<(String, String)>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let mut span = SpanRecord {
            name: attributes.metadata().name().to_owned(),
            fields: Vec::new(),
        };
        attributes.record(&mut Fields(&mut span.fields));
        let mut log = self.lock();
        log.spans.push(span);
        // Ids start at 1; the index into `spans` is the id minus one.
        Id::from_u64(log.spans.len() as u64)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut log = self.lock();
        let index = usize::try_from(span.into_u64() - 1).unwrap_or(usize::MAX);
        if let Some(span) = log.spans.get_mut(index) {
            values.record(&mut Fields(&mut span.fields));
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Vec::new();
        event.record(&mut Fields(&mut fields));
        let metadata = event.metadata();
        let line = format!("{} {} {:?}", metadata.target(), metadata.level(), fields);
        self.lock().events.push(line);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// Every `log` record of the process, at every level, one line each.
static LOG_LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct LogRecorder;

impl log::Log for LogRecorder {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let line = format!("{} {} {}", record.target(), record.level(), record.args());
        LOG_LINES
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(line);
    }

    fn flush(&self) {}
}

/// Installs the process-wide `log` recorder (once; later calls do nothing) at the most
/// verbose level. The logger is global, so the lines come from every test in the binary.
pub fn record_log() {
    static RECORDER: LogRecorder = LogRecorder;
    if log::set_logger(&RECORDER).is_ok() {
        log::set_max_level(log::LevelFilter::Trace);
    }
}

/// The `log` lines recorded so far, by every test of the binary.
pub fn log_lines() -> Vec<String> {
    LOG_LINES
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone()
}
