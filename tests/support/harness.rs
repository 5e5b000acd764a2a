//! A small test runner for test binaries built with `harness = false`.
//!
//! Cases are async functions run one after another (never concurrently), each in its own
//! task so that a panic fails only that case. Each case is reported the way libtest does
//! (`test name ... ok` / `test name ... FAILED` followed by the panic message), and the run
//! ends with libtest's summary line, so the output reads like the other test binaries.
//!
//! [`Args`] understands the arguments `cargo test` passes along to test binaries: name
//! filters, `--exact`, `--skip NAME`, `--list` and `--ignored` (there are no ignored cases,
//! so it selects none). The other libtest flags (`--nocapture`, `--quiet`,
//! `--test-threads=N`, `--color auto`, ...) are accepted and ignored.

use std::any::Any;
use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Once, PoisonError};
use std::time::Duration;

/// The future a case runs.
pub type CaseFuture = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

type CaseFn<C> = Box<dyn FnOnce(Arc<C>) -> CaseFuture + Send>;

/// One named test case, run with a shared context `C` (servers, clients, ...).
pub struct Case<C> {
    name: String,
    run: CaseFn<C>,
}

impl<C> Case<C> {
    /// A case called `name` that runs `run`; it passes unless `run` panics or times out.
    pub fn new<F, Fut>(name: impl Into<String>, run: F) -> Self
    where
        F: FnOnce(Arc<C>) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        Self {
            name: name.into(),
            run: Box::new(move |ctx| Box::pin(run(ctx))),
        }
    }

    /// The case's name, as filters match it and reports print it.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// The command-line arguments of a test binary, as far as this runner uses them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args {
    filters: Vec<String>,
    skip: Vec<String>,
    exact: bool,
    list: bool,
    ignored_only: bool,
}

/// libtest options that take a value in the following argument (`--color auto`).
const OPTIONS_WITH_VALUE: &[&str] = &[
    "--test-threads",
    "--color",
    "--format",
    "--logfile",
    "--shuffle-seed",
    "-Z",
];

impl Args {
    /// Parses the arguments of the running process.
    pub fn from_env() -> Self {
        Self::parse(std::env::args().skip(1))
    }

    /// Parses `args` (without the program name).
    pub fn parse<I, S>(args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut parsed = Self::default();
        let mut args = args.into_iter().map(Into::into);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--exact" => parsed.exact = true,
                "--list" => parsed.list = true,
                "--ignored" => parsed.ignored_only = true,
                "--skip" => parsed.skip.extend(args.next()),
                option if OPTIONS_WITH_VALUE.contains(&option) => {
                    args.next();
                }
                option if option.starts_with("--skip=") => {
                    parsed.skip.push(option["--skip=".len()..].to_owned());
                }
                // --nocapture, --quiet, -q, --include-ignored, --test-threads=N, ...
                option if option.starts_with('-') => {}
                _ => parsed.filters.push(arg),
            }
        }
        parsed
    }

    /// Whether `--list` was given: print the case names instead of running them.
    pub fn list(&self) -> bool {
        self.list
    }

    /// Whether the case called `name` is to run.
    pub fn selects(&self, name: &str) -> bool {
        if self.ignored_only {
            return false;
        }
        let matches = |pattern: &String| {
            if self.exact {
                name == pattern
            } else {
                name.contains(pattern.as_str())
            }
        };
        (self.filters.is_empty() || self.filters.iter().any(matches))
            && !self.skip.iter().any(matches)
    }

    /// Splits `cases` into the selected ones and the number filtered out.
    pub fn select<C>(&self, cases: Vec<Case<C>>) -> (Vec<Case<C>>, usize) {
        let total = cases.len();
        let selected: Vec<Case<C>> = cases
            .into_iter()
            .filter(|case| self.selects(case.name()))
            .collect();
        let filtered_out = total - selected.len();
        (selected, filtered_out)
    }
}

/// Prints the cases the way `--list` does in libtest.
pub fn print_list<C>(cases: &[Case<C>]) {
    for case in cases {
        println!("{}: test", case.name());
    }
    println!();
    println!("{} tests, 0 benchmarks", cases.len());
}

/// The outcome of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// How many cases passed.
    pub passed: usize,
    /// The names of the cases that failed, with their messages.
    pub failed: Vec<(String, String)>,
    /// How many cases the arguments left out.
    pub filtered_out: usize,
}

impl Summary {
    /// Whether no case failed.
    pub fn success(&self) -> bool {
        self.failed.is_empty()
    }

    /// libtest's summary line:
    /// `test result: ok. N passed; M failed; 0 ignored; 0 measured; K filtered out`.
    pub fn result_line(&self) -> String {
        format!(
            "test result: {}. {} passed; {} failed; 0 ignored; 0 measured; {} filtered out",
            if self.success() { "ok" } else { "FAILED" },
            self.passed,
            self.failed.len(),
            self.filtered_out
        )
    }

    /// Prints the names of the failed cases (if any), then [`Self::result_line`].
    pub fn print(&self) {
        if !self.success() {
            println!();
            println!("failures:");
            for (name, _) in &self.failed {
                println!("    {name}");
            }
        }
        println!();
        println!("{}", self.result_line());
        println!();
    }
}

/// Prints libtest's `running N tests` header.
pub fn print_header(count: usize) {
    println!();
    println!("running {count} test{}", if count == 1 { "" } else { "s" });
}

/// Runs `cases` one after another with the shared `ctx`, printing a line per case, and
/// returns the counts. A case fails when it panics or runs longer than `timeout`.
pub async fn run<C: Send + Sync + 'static>(
    cases: Vec<Case<C>>,
    ctx: Arc<C>,
    filtered_out: usize,
    timeout: Duration,
) -> Summary {
    install_panic_hook();
    print_header(cases.len());
    let mut summary = Summary {
        filtered_out,
        ..Summary::default()
    };
    for case in cases {
        print!("test {} ... ", case.name);
        // A failed flush only delays the progress output; the result line still prints.
        let _ = std::io::stdout().flush();
        match run_one(case.run, Arc::clone(&ctx), timeout).await {
            Ok(()) => {
                println!("ok");
                summary.passed += 1;
            }
            Err(message) => {
                println!("FAILED");
                for line in message.lines() {
                    println!("    {line}");
                }
                summary.failed.push((case.name, message));
            }
        }
    }
    summary
}

async fn run_one<C: Send + Sync + 'static>(
    run: CaseFn<C>,
    ctx: Arc<C>,
    timeout: Duration,
) -> Result<(), String> {
    take_panic_message();
    CAPTURING.store(true, Ordering::SeqCst);
    let task = tokio::spawn(run(ctx));
    let abort = task.abort_handle();
    let outcome = match tokio::time::timeout(timeout, task).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) if error.is_panic() => {
            let payload = error.into_panic();
            Err(take_panic_message().unwrap_or_else(|| payload_message(payload.as_ref())))
        }
        Ok(Err(error)) => Err(format!("the case's task was cancelled: {error}")),
        Err(_) => {
            abort.abort();
            Err(format!("timed out after {} s", timeout.as_secs_f64()))
        }
    };
    CAPTURING.store(false, Ordering::SeqCst);
    outcome
}

/// Whether a case is running: its panics are recorded instead of printed.
static CAPTURING: AtomicBool = AtomicBool::new(false);
/// The first panic message (with its location) of the running case.
static PANIC_MESSAGE: Mutex<Option<String>> = Mutex::new(None);

fn take_panic_message() -> Option<String> {
    PANIC_MESSAGE
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take()
}

/// Records the panics of running cases (message and location) so the report can show
/// them under the case's `FAILED` line; other panics go to the default hook.
fn install_panic_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CAPTURING.load(Ordering::SeqCst) {
                let mut slot = PANIC_MESSAGE.lock().unwrap_or_else(PoisonError::into_inner);
                if slot.is_none() {
                    *slot = Some(info.to_string());
                }
            } else {
                default_hook(info);
            }
        }));
    });
}

fn payload_message(payload: &(dyn Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        (*message).to_owned()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "the case panicked with a non-text payload".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cargo_test_arguments() {
        let args = Args::parse([
            "--nocapture",
            "--test-threads",
            "1",
            "--quiet",
            "--color",
            "never",
            "static",
            "--skip",
            "group",
        ]);
        assert_eq!(args.filters, ["static"]);
        assert_eq!(args.skip, ["group"]);
        assert!(args.selects("static_example_send_message"));
        assert!(!args.selects("static_example_create_group_mms_message"));
        assert!(!args.selects("dynamic_send_message"));
        assert!(Args::parse(["--test-threads=4"]).selects("anything"));
        assert!(!Args::parse(["--ignored"]).selects("anything"));
        let exact = Args::parse(["--exact", "a"]);
        assert!(exact.selects("a"));
        assert!(!exact.selects("ab"));
    }

    #[test]
    fn result_line_matches_libtest() {
        let mut summary = Summary {
            passed: 3,
            ..Summary::default()
        };
        assert_eq!(
            summary.result_line(),
            "test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out"
        );
        summary.failed.push(("x".to_owned(), "boom".to_owned()));
        summary.filtered_out = 2;
        assert_eq!(
            summary.result_line(),
            "test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 2 filtered out"
        );
    }
}
