//! `lambda-emulator`: a Lambda-compatible HTTP server over powertune's simulated Lambda service.
//!
//! ```sh
//! cargo run -p lambda-emulator -- --port 9001
//! ```
//!
//! It listens on 127.0.0.1 only, checks the SigV4 signature of every request against the
//! temporary credentials it issues (printed as one JSON line on stdout, with the endpoint),
//! answers CORS like AWS, and stops cleanly on Ctrl-C or SIGTERM. Functions and faults come from
//! flags or a JSON config file (see `--help`).

use std::{net::SocketAddr, path::PathBuf, sync::Arc};

use anyhow::Context as _;
use clap::Parser;
use lambda_emulator::{
    actor::SimHandle,
    config::ConfigFile,
    routes::{self, AppState},
    sigv4::IssuedCredentials,
};
use powertune_tuner::sim;

/// A Lambda-compatible HTTP server over a simulated account with sample functions.
#[derive(Debug, Parser)]
#[command(version)]
struct Opts {
    /// Port on 127.0.0.1; 0 picks a free one (printed on stdout).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// JSON config: {"seed", "faults": {…}, "functions": [{"name", "memoryMb", "cpuMs", …}]}.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Seed of the simulation's noise.
    #[arg(long)]
    seed: Option<u64>,
    /// Real time per simulated time (1 = invocations take as long as they report).
    #[arg(long)]
    time_scale: Option<f64>,
    /// How long a configuration update stays InProgress, in ms.
    #[arg(long)]
    update_ms: Option<u64>,
    /// Access key id to accept (default: generated).
    #[arg(long, requires_all = ["secret_access_key", "session_token"])]
    access_key_id: Option<String>,
    /// Secret access key to accept.
    #[arg(long)]
    secret_access_key: Option<String>,
    /// Session token to accept.
    #[arg(long)]
    session_token: Option<String>,
    /// Accept unsigned requests (no SigV4 check).
    #[arg(long)]
    no_auth: bool,
    /// CloudWatch's Invocations metric: this many a month for every function (none without).
    #[arg(long)]
    cloudwatch_invocations: Option<u64>,
}

fn generated_credentials() -> IssuedCredentials {
    let mut rng = fastrand::Rng::new();
    let pick = |rng: &mut fastrand::Rng, alphabet: &[u8], n: usize| -> String {
        (0..n)
            .map(|_| alphabet[rng.usize(..alphabet.len())] as char)
            .collect()
    };
    const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    const SECRET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    IssuedCredentials {
        access_key_id: format!("ASIA{}", pick(&mut rng, UPPER, 16)),
        secret_access_key: pick(&mut rng, SECRET, 40),
        session_token: format!("IQoJb3JpZ2luX2VjE{}", pick(&mut rng, SECRET, 120)),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let opts = Opts::parse();
    let config: ConfigFile = match &opts.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("while reading {}", path.display()))?;
            serde_json::from_str(&text)
                .with_context(|| format!("while parsing {}", path.display()))?
        }
        None => ConfigFile::default(),
    };
    let mut faults = config.faults.to_faults();
    if let Some(scale) = opts.time_scale {
        faults.time_scale = scale;
    }
    if let Some(ms) = opts.update_ms {
        faults.update_duration = std::time::Duration::from_millis(ms);
    }
    let mut functions = if config.samples.unwrap_or(true) {
        sim::sample_functions("us-east-1")
    } else {
        Vec::new()
    };
    let mut layers = Vec::new();
    for f in config.functions {
        let spec = f.layers.clone();
        let function = f.into_spec()?;
        let arn = format!(
            "arn:aws:lambda:{}:{}:function:{}",
            function.region,
            sim::DEMO_ACCOUNT,
            function.name
        );
        layers.extend(spec.into_iter().map(|l| (arn.clone(), l)));
        functions.push(function);
    }
    let seed = opts.seed.or(config.seed).unwrap_or(1);
    let credentials = match (
        opts.access_key_id,
        opts.secret_access_key,
        opts.session_token,
    ) {
        (Some(access_key_id), Some(secret_access_key), Some(session_token)) => IssuedCredentials {
            access_key_id,
            secret_access_key,
            session_token,
        },
        _ => generated_credentials(),
    };
    let state = AppState {
        sim: SimHandle::start(functions, seed, faults),
        credentials: Arc::new(if opts.no_auth {
            Vec::new()
        } else {
            vec![credentials.clone()]
        }),
        cloudwatch_invocations: opts.cloudwatch_invocations,
    };
    for (function, layer) in layers {
        let function: powertune_tuner::FunctionArn = function.parse()?;
        state
            .sim
            .call(move |sim| async move {
                sim.attach_layer(&function, &layer.arn, &layer.compatible_architectures);
            })
            .await;
    }
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], opts.port)))
        .await
        .with_context(|| format!("while binding 127.0.0.1:{}", opts.port))?;
    let endpoint = format!("http://{}", listener.local_addr()?);
    // One line for scripts and tests: where to connect, and with what.
    println!(
        "{}",
        serde_json::json!({
            "endpoint": endpoint,
            "region": "us-east-1",
            "accessKeyId": credentials.access_key_id,
            "secretAccessKey": credentials.secret_access_key,
            "sessionToken": credentials.session_token,
        })
    );
    eprintln!("lambda-emulator listening on {endpoint} (Ctrl-C to stop)");
    axum::serve(listener, routes::app(state))
        .with_graceful_shutdown(shutdown())
        .await
        .context("while serving")?;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
