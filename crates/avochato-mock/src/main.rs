//! `avochato-mock --port PORT --auth-id ID --auth-secret SECRET [--subdomain NAME] [--rate-limit N]`

use std::io::Write;

use clap::Parser;

/// A stateful local stand-in of the Avochato API.
#[derive(Parser, Debug)]
#[command(name = "avochato-mock", version, about)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Owner credential id to seed (default: test-auth-id).
    #[arg(long)]
    auth_id: Option<String>,
    /// Owner credential secret to seed (default: test-auth-secret).
    #[arg(long)]
    auth_secret: Option<String>,
    /// The default inbox's subdomain.
    #[arg(long, default_value = "test-account")]
    subdomain: String,
    /// Requests per second per credential; over it: 429 with Retry-After.
    #[arg(long)]
    rate_limit: Option<f64>,
    /// Do not record requests (for load tests and benchmarks).
    #[arg(long)]
    no_record: bool,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let defaults = avochato_mock::Seed::default();
    let printed_defaults = args.auth_id.is_none() && args.auth_secret.is_none();
    let seed = avochato_mock::Seed {
        auth_id: args.auth_id.unwrap_or(defaults.auth_id),
        auth_secret: args.auth_secret.unwrap_or(defaults.auth_secret),
        subdomain: args.subdomain,
    };
    let config = avochato_mock::MockConfig {
        port: args.port,
        seed: seed.clone(),
        rate_limit: args.rate_limit,
        record: !args.no_record,
    };
    let server = avochato_mock::spawn(config).await?;
    // Nobody has to read stdout after the first line: write errors (a closed pipe) are ignored.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on {}", server.url());
    if printed_defaults {
        let _ = writeln!(out, "auth_id: {}", seed.auth_id);
        let _ = writeln!(out, "auth_secret: {}", seed.auth_secret);
    }
    let _ = writeln!(out, "subdomain: {}", seed.subdomain);
    let _ = out.flush();
    drop(out);
    shutdown_signal().await;
    server.stop().await;
    Ok(())
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            (Ok(mut term), Ok(mut int)) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
