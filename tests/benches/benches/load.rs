//! Under load: our client against bare reqwest with the same settings, posting the same
//! bytes to the same local server (a process of its own, so that the CPU time measured is
//! the client's alone), in the same run, interleaved round by round.
//!
//! For each mode (one send at a time; 64 in flight) it reports sends per second, client
//! CPU time per send (getrusage) and p50/p99 latency, each as the median over the rounds,
//! and as a ratio to bare reqwest: the median over the rounds of each round's ratio.
//!
//! `cargo bench -p telnyx-messaging-benches --bench load` (`-- --rounds N` for more;
//! `-- --spread` prints every round's ratio; `-- --profile ours|bare` runs one side alone,
//! for a profiler; `-- --bare-vs-bare` puts bare reqwest on both sides, to see the
//! harness's own bias).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use telnyx_messaging::{Client, CreateMessageRequest};
use telnyx_messaging_benches::{bare_client, bare_send, cpu_time, request, serve};

/// Sends per measurement, one at a time.
const SEQUENTIAL: usize = 1_000;
/// Sends per measurement with [`IN_FLIGHT`] at once.
const CONCURRENT: usize = 25_600;
const IN_FLIGHT: usize = 64;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--serve") {
        return serve_forever();
    }
    // `--spread`: every round's ratio too, sorted, to see the noise.
    let spread = args.iter().any(|a| a == "--spread");
    let rounds = args
        .iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(5usize);

    // The server: this binary again, in its own process.
    let exe = std::env::current_exe().expect("the bench binary");
    let mut server = Command::new(exe)
        .arg("--serve")
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let mut line = String::new();
    BufReader::new(server.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the server names its port");
    let base_url = format!("http://127.0.0.1:{}", line.trim());

    // The client side: one runtime for both, the same worker count.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    // `--bare-vs-bare`: the client's side is bare reqwest too, so that the ratios show the
    // harness's own bias (they should all be 1.00 within the noise).
    let bare_vs_bare = args.iter().any(|a| a == "--bare-vs-bare");
    let ours_name = if bare_vs_bare {
        "bare reqwest, 2nd"
    } else {
        "telnyx-messaging"
    };
    let ours = Arc::new(if bare_vs_bare {
        Side::Bare {
            http: bare_client(IN_FLIGHT),
            url: reqwest::Url::parse(&format!("{base_url}/messages")).expect("a URL"),
        }
    } else {
        Side::Ours(
            Client::builder("KEY0123456789")
                .base_url(&base_url)
                .max_concurrent_requests(IN_FLIGHT)
                .build()
                .expect("the client builds"),
        )
    });
    let bare = Arc::new(Side::Bare {
        http: bare_client(IN_FLIGHT),
        url: reqwest::Url::parse(&format!("{base_url}/messages")).expect("a URL"),
    });
    let request = Arc::new(request());

    // `--profile ours|bare`: run one side only, 64 in flight, for a profiler.
    if let Some(side) = args
        .iter()
        .position(|a| a == "--profile")
        .and_then(|i| args.get(i + 1))
    {
        let side = if side == "bare" { &bare } else { &ours };
        for _ in 0..rounds {
            runtime.block_on(run(side, &request, CONCURRENT, IN_FLIGHT));
        }
        let _ = server.kill();
        let _ = server.wait();
        return;
    }
    // Warm both (connections, allocator) before measuring.
    for side in [&ours, &bare] {
        runtime.block_on(run(side, &request, 2_000, IN_FLIGHT));
    }
    let mut results: Vec<(&str, &str, Vec<Measure>)> = Vec::new();
    for (mode, total, in_flight) in [
        ("sequential", SEQUENTIAL, 1),
        ("64 in flight", CONCURRENT, IN_FLIGHT),
    ] {
        let mut ours_runs = Vec::new();
        let mut bare_runs = Vec::new();
        for round in 0..rounds {
            // Alternate which goes first, so that drift in the machine's state is shared.
            let order = if round % 2 == 0 {
                [&ours, &bare]
            } else {
                [&bare, &ours]
            };
            for side in order {
                let measure = runtime.block_on(run(side, &request, total, in_flight));
                if Arc::ptr_eq(side, &ours) {
                    ours_runs.push(measure);
                } else {
                    bare_runs.push(measure);
                }
            }
        }
        results.push((mode, ours_name, ours_runs));
        results.push((mode, "bare reqwest", bare_runs));
    }
    let _ = server.kill();
    let _ = server.wait();

    println!(
        "{rounds} interleaved rounds; medians; ratio = the median of each round's ours / bare \
         reqwest (both sides of a round ran back to back, so drift in the machine cancels)"
    );
    // What each call in flight (or queued) holds, not counting the connection's own state.
    if let (Side::Ours(client), Side::Bare { http, url }) = (&*ours, &*bare) {
        println!(
            "a call's future: {} bytes (`send_message`), {} bytes (the bare send)",
            std::mem::size_of_val(&client.send_message(&request)),
            std::mem::size_of_val(&bare_send(http, url, "KEY0123456789", &request)),
        );
    }
    println!(
        "{:<14} {:<17} {:>11} {:>13} {:>10} {:>10}",
        "mode", "client", "sends/s", "CPU µs/send", "p50 µs", "p99 µs"
    );
    for pair in results.chunks(2) {
        let [(mode, _, a), (_, _, b)] = pair else {
            continue;
        };
        let (ma, mb) = (median(a), median(b));
        for (name, m) in [(ours_name, &ma), ("bare reqwest", &mb)] {
            println!(
                "{:<14} {:<17} {:>11.0} {:>13.2} {:>10.1} {:>10.1}",
                mode, name, m.rate, m.cpu_us, m.p50_us, m.p99_us
            );
        }
        let paired = |f: fn(&Measure) -> f64| {
            let mut ratios: Vec<f64> = a.iter().zip(b).map(|(x, y)| f(x) / f(y)).collect();
            ratios.sort_by(f64::total_cmp);
            if spread {
                println!("  each round: {ratios:.3?}");
            }
            ratios[ratios.len() / 2]
        };
        println!(
            "{:<14} {:<17} {:>10.3}x {:>12.3}x {:>9.3}x {:>9.3}x",
            mode,
            "ratio",
            paired(|m| m.rate),
            paired(|m| m.cpu_us),
            paired(|m| m.p50_us),
            paired(|m| m.p99_us)
        );
    }
}

fn serve_forever() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        println!("{}", listener.local_addr().expect("an address").port());
        serve(listener).await;
    });
}

/// One side of the comparison.
enum Side {
    Ours(Client),
    Bare {
        http: reqwest::Client,
        url: reqwest::Url,
    },
}

impl Side {
    async fn send(&self, request: &CreateMessageRequest) {
        match self {
            Side::Ours(client) => {
                client.send_message(request).await.expect("sent");
            }
            Side::Bare { http, url } => {
                bare_send(http, url, "KEY0123456789", request).await;
            }
        }
    }
}

/// What one measurement saw.
struct Measure {
    rate: f64,
    cpu_us: f64,
    p50_us: f64,
    p99_us: f64,
}

/// `total` sends, `in_flight` at a time; every latency recorded.
async fn run(
    side: &Arc<Side>,
    request: &Arc<CreateMessageRequest>,
    total: usize,
    in_flight: usize,
) -> Measure {
    let cpu = cpu_time();
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..in_flight {
        let (side, request) = (Arc::clone(side), Arc::clone(request));
        let count = total / in_flight + usize::from(worker < total % in_flight);
        tasks.spawn(async move {
            let mut latencies = Vec::with_capacity(count);
            for _ in 0..count {
                let at = Instant::now();
                side.send(&request).await;
                latencies.push(at.elapsed());
            }
            latencies
        });
    }
    let mut latencies: Vec<Duration> = tasks.join_all().await.into_iter().flatten().collect();
    let wall = started.elapsed();
    let cpu = cpu_time().saturating_sub(cpu);
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    Measure {
        rate: total as f64 / wall.as_secs_f64(),
        cpu_us: cpu.as_secs_f64() * 1e6 / total as f64,
        p50_us: at(0.50).as_secs_f64() * 1e6,
        p99_us: at(0.99).as_secs_f64() * 1e6,
    }
}

/// The median of each figure over the rounds.
fn median(runs: &[Measure]) -> Measure {
    let pick = |f: fn(&Measure) -> f64| {
        let mut values: Vec<f64> = runs.iter().map(f).collect();
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    Measure {
        rate: pick(|m| m.rate),
        cpu_us: pick(|m| m.cpu_us),
        p50_us: pick(|m| m.p50_us),
        p99_us: pick(|m| m.p99_us),
    }
}
