//! What the end-to-end tests share: chromedriver and a browser session on the release build,
//! a lambda-emulator process, the browser console and DevTools commands.
#![allow(dead_code, unused_imports)] // Each test binary uses part of it.

use std::{
    io::{BufRead as _, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use futures::FutureExt as _;
use serde_json::{Value, json};

pub use powertune_tuner::fixtures::README_SAMPLE_HASH as README_HASH;
pub const EMULATOR_ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:image-resizer";
/// Whether the page would ask "leave this page?": a cancelled `beforeunload` event.
pub const ASKS_BEFORE_LEAVING: &str = "const e = new Event('beforeunload', {cancelable: true}); window.dispatchEvent(e); return e.defaultPrevented;";
/// Okabe–Ito blue and orange: the duration and cost series of a single run (src/chart_drawing.rs).
pub const DURATION_RGB: [u8; 3] = [0, 114, 178];
pub const COST_RGB: [u8; 3] = [230, 159, 0];

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Starts chromedriver on a port it picks itself (`--port=0`) and reads the port from its
/// "started successfully on port N." line. A start can fail on a loaded machine (the full suite
/// saw one, with nothing said): it is tried again, twice at most, and each failure is said with
/// chromedriver's exit status and its own words.
pub fn start_chromedriver() -> (Process, u16) {
    let mut failures = Vec::new();
    for _ in 0..3 {
        match try_start_chromedriver() {
            Ok(started) => return started,
            Err(why) => {
                eprintln!("chromedriver did not start: {why}");
                failures.push(why);
            }
        }
    }
    panic!(
        "chromedriver says which port it listens on: {}",
        failures.join("; ")
    );
}

fn try_start_chromedriver() -> Result<(Process, u16), String> {
    let mut child = Command::new("chromedriver")
        .arg("--port=0")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromedriver (Debian's chromium-driver; scripts/setup.sh installs it)");
    let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut stderr = child.stderr.take().expect("piped stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    // Reads on to the end, so that chromedriver never writes into a closed pipe.
    std::thread::spawn(move || {
        for line in stdout.lines().map_while(Result::ok) {
            if let Some(rest) = line.split("started successfully on port ").nth(1) {
                let _ = tx.send(rest.trim_end_matches('.').parse::<u16>().ok());
            }
        }
    });
    let (said_tx, said) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
        let _ = said_tx.send(text);
    });
    let mut process = Process(child);
    match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(Some(port)) => Ok((process, port)),
        outcome => {
            let what = match outcome {
                Ok(_) => "an unreadable port",
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => "no port in 20 s",
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => "no port before it exited",
            };
            let _ = process.0.kill();
            let status = process
                .0
                .wait()
                .map_or_else(|e| e.to_string(), |s| s.to_string());
            let words = said
                .recv_timeout(Duration::from_secs(5))
                .unwrap_or_default();
            Err(format!("{what} ({status}; stderr: {:?})", words.trim()))
        }
    }
}

/// chromedriver's log endpoint: the browser console since the last read.
#[derive(Debug)]
pub struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type": "browser"}"#.into()))
    }
}

/// A Chrome DevTools Protocol command through chromedriver (to emulate a colour scheme).
#[derive(Debug)]
pub struct Cdp(pub &'static str, pub Value);

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({"cmd": self.0, "params": self.1});
        (http::Method::POST, Some(body.to_string()))
    }
}

/// A child process killed on drop.
pub struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A running `lambda-emulator` (see powertune-testkit) as the browser tests use it.
pub struct Emulator(powertune_testkit::Emulator);

impl std::ops::Deref for Emulator {
    type Target = powertune_testkit::Emulator;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl Emulator {
    pub fn start(time_scale: &str) -> Self {
        Self(powertune_testkit::Emulator::start(&[
            "--seed",
            "5",
            "--time-scale",
            time_scale,
            "--update-ms",
            "50",
            // CloudWatch's Invocations metric for every function, as a month of traffic.
            "--cloudwatch-invocations",
            "12000000",
        ]))
    }

    /// The credentials as a person pastes them from a terminal.
    pub fn export_lines(&self) -> String {
        let c = &self.credentials;
        format!(
            "export AWS_ACCESS_KEY_ID={}\nexport AWS_SECRET_ACCESS_KEY={}\nexport AWS_SESSION_TOKEN={}\n",
            c["accessKeyId"].as_str().unwrap(),
            c["secretAccessKey"].as_str().unwrap(),
            c["sessionToken"].as_str().unwrap()
        )
    }

    pub fn secret(&self) -> &str {
        self.credentials["secretAccessKey"].as_str().unwrap()
    }

    /// Nothing a run created is left on image-resizer, and its memory and description are as
    /// `before`.
    pub fn assert_as_before(&self, before: &Value) {
        let now = self.function();
        assert_eq!(now["aliases"], json!([]), "aliases left: {now}");
        assert_eq!(now["versions"], json!([]), "versions left: {now}");
        assert_eq!(now["memory"], before["memory"], "memory restored: {now}");
        assert_eq!(now["description"], before["description"], "{now}");
    }

    /// image-resizer as the emulator holds it.
    pub fn function(&self) -> Value {
        self.0.function(EMULATOR_ARN)
    }

    /// How many functions the emulator holds (a copy for another architecture is one more).
    pub fn function_count(&self) -> usize {
        self.0.state()["functions"].as_array().map_or(0, Vec::len)
    }
}

/// The built app behind a static file server, a chromedriver, and a browser session.
pub struct Browser {
    pub site: String,
    pub client: Client,
    /// Where the browser saves downloads (its own directory, emptied when it opens).
    pub downloads: std::path::PathBuf,
    _driver: Process,
    _server: tokio::task::JoinHandle<()>,
}

/// How Chrome treats a hidden tab's timers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttling {
    /// As chromedriver sets it up: never throttled.
    Off,
    /// As a browser people use does, and sooner: chromedriver's switches that keep background
    /// tabs running are removed, and intensive wake-up throttling (one wake-up a minute for
    /// chained timers) starts 10 s after a page is hidden instead of 5 minutes.
    Forced,
}

impl Browser {
    pub async fn open(scale: f64) -> Self {
        Self::open_with(scale, Throttling::Off).await
    }

    pub async fn open_with(scale: f64, throttling: Throttling) -> Self {
        let dist = workspace().join("dist");
        assert!(
            dist.join("index.html").exists(),
            "{} has no build: run `trunk build --release` first (scripts/test.sh does)",
            dist.display()
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let site = format!("http://{}/app/", listener.local_addr().unwrap());
        // Under a sub-path, as on GitHub Pages: asset URLs must be relative.
        let app = axum::Router::new().nest_service(
            "/app",
            // As a static host with precompressed files serves it.
            tower_http::services::ServeDir::new(dist)
                .precompressed_br()
                .precompressed_gzip(),
        );
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });

        let (driver, port) = start_chromedriver();
        let args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--no-first-run".into(),
            "--disable-quic".into(),
            "--window-size=1280,1800".into(),
            format!("--force-device-scale-factor={scale}"),
        ];
        let downloads = std::env::temp_dir().join(format!(
            "powertune-e2e-downloads-{}-{port}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&downloads);
        std::fs::create_dir_all(&downloads).unwrap();
        let mut chrome = json!({
            "binary": "/usr/bin/chromium",
            "args": args,
            "prefs": {
                "download.default_directory": downloads,
                "download.prompt_for_download": false,
            },
        });
        if throttling == Throttling::Forced {
            chrome["excludeSwitches"] = json!([
                "disable-background-timer-throttling",
                "disable-backgrounding-occluded-windows"
            ]);
            chrome["args"].as_array_mut().unwrap().push(json!(
                "--enable-features=IntensiveWakeUpThrottling:grace_period_seconds/10,QuickIntensiveWakeUpThrottlingAfterLoading:grace_period_seconds_loaded/10"
            ));
        }
        let capabilities = json!({
            "goog:chromeOptions": chrome,
            // A reload mid-run answers the "leave the page?" prompt with "leave".
            "unhandledPromptBehavior": "accept",
            // The console (errors, CSP violations, failed loads), read by console_problems().
            "goog:loggingPrefs": {"browser": "ALL"},
        });
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities.as_object().unwrap().clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session in headless Chromium");
        Self {
            site,
            client,
            downloads,
            _driver: driver,
            _server: server,
        }
    }

    pub async fn goto(&self, hash: &str) {
        // about:blank first, so a link opens in a fresh page even if only the hash differs.
        self.client.goto("about:blank").await.unwrap();
        self.client
            .goto(&format!("{}{hash}", self.site))
            .await
            .unwrap();
    }

    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} never appeared: {e}"))
    }

    pub async fn exists(&self, css: &str) -> bool {
        !self
            .client
            .find_all(Locator::Css(css))
            .await
            .unwrap()
            .is_empty()
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap()
    }

    /// The attribute `name` of the element at `css`, which must have it.
    pub async fn attr(&self, css: &str, name: &str) -> String {
        let element = self.find(css).await;
        let value = element.attr(name).await.unwrap();
        value.unwrap_or_else(|| panic!("{css} has no {name}"))
    }

    /// The text of the file the browser downloaded as `name`, once it is complete (at most 30 s).
    pub async fn downloaded(&self, name: &str) -> String {
        let path = self.downloads.join(name);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(text) = std::fs::read_to_string(&path) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "{name} was never downloaded into {}",
                self.downloads.display()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    pub async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap()
    }

    /// Replaces the text of an input or textarea, typing it as a person would.
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    /// The share panel's link (the whole address).
    pub async fn share_link(&self) -> String {
        self.find("#share-link")
            .await
            .prop("value")
            .await
            .unwrap()
            .expect("the share link has a value")
    }

    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap();
    }

    /// Waits until `css` exists and its text contains `needle`; returns the text.
    pub async fn wait_text(&self, css: &str, needle: &str, seconds: u64) -> String {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await
                && let Ok(text) = el.text().await
                && text.contains(needle)
            {
                return text;
            }
            if Instant::now() >= deadline {
                let console = self.console_problems().await;
                panic!("{css} did not come to contain {needle:?}; console problems: {console:#?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The results table: (memory, average duration, average cost) per row.
    pub async fn rows(&self) -> Vec<(String, String, String)> {
        let rows = self
            .js(r#"return [...document.querySelectorAll("table.results tbody tr")].map(r => [...r.cells].slice(0, 3).map(c => c.textContent));"#)
            .await;
        rows.as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let cell = |i: usize| r[i].as_str().unwrap().to_owned();
                (cell(0), cell(1), cell(2))
            })
            .collect()
    }

    /// Pixels of `canvas` within a small distance of `rgb`, and its buffer and CSS widths.
    pub async fn canvas_pixels(&self, canvas: &str, rgb: [u8; 3]) -> (u64, u64, u64) {
        let script = format!(
            r#"const c = document.querySelector("{canvas}");
               const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
               let n = 0;
               for (let i = 0; i < d.length; i += 4) {{
                 if (d[i + 3] > 200 && Math.abs(d[i] - {r}) < 12 && Math.abs(d[i + 1] - {g}) < 12 && Math.abs(d[i + 2] - {b}) < 12) n++;
               }}
               return [n, c.width, c.clientWidth];"#,
            r = rgb[0],
            g = rgb[1],
            b = rgb[2]
        );
        let v = self.js(&script).await;
        let at = |i: usize| v[i].as_u64().unwrap();
        (at(0), at(1), at(2))
    }

    /// Console errors and Content-Security-Policy reports since the last call.
    pub async fn console_problems(&self) -> Vec<String> {
        let log = self
            .client
            .issue_cmd(BrowserLog)
            .await
            .expect("the browser log");
        log.as_array()
            .into_iter()
            .flatten()
            .filter(|e| {
                let message = e["message"].as_str().unwrap_or_default();
                e["level"] == "SEVERE" || message.contains("Content Security Policy")
            })
            .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// Fails on any console error or CSP violation so far.
    pub async fn assert_console_clean(&self) {
        let problems = self.console_problems().await;
        assert!(
            problems.is_empty(),
            "the console has problems: {problems:#?}"
        );
    }

    /// Saves a screenshot as `test-output/e2e/<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        let dir = workspace().join("test-output/e2e");
        std::fs::create_dir_all(&dir).unwrap();
        if let Ok(png) = self.client.screenshot().await {
            std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
        }
    }

    /// Opens the app and starts a 30-invocation run on `emulator` (slow enough to interrupt),
    /// returning once invocations are under way.
    pub async fn start_long_run(&self, emulator: &Emulator) {
        self.goto("").await;
        self.use_emulator(emulator).await;
        self.fill("#num", "30").await;
        self.click("#start").await;
        self.wait_text(".sizes", "/30", 60).await;
    }

    /// Pastes `emulator`'s credentials and points the app at it.
    pub async fn use_emulator(&self, emulator: &Emulator) {
        self.click("#mode-aws").await;
        self.fill("#credentials", &emulator.export_lines()).await;
        self.click("#use-credentials").await;
        self.wait_text("#credentials-status", "Recognised", 10)
            .await;
        self.fill("#endpoint", &emulator.endpoint).await;
        self.fill("#lambda-arn", EMULATOR_ARN).await;
    }
}

/// What an end-to-end test needs and this machine lacks: the release build in `dist/`, or
/// chromedriver on the PATH; `None` when both are there.
fn missing_prerequisite() -> Option<String> {
    let dist = workspace().join("dist");
    if !dist.join("index.html").exists() {
        return Some(format!(
            "{} has no build: run `trunk build --release` first (scripts/test.sh does)",
            dist.display()
        ));
    }
    let on_path = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|d| d.join("chromedriver").exists()));
    (!on_path).then(|| {
        "chromedriver is not on the PATH: Debian's chromium-driver (scripts/setup.sh test installs it)"
            .to_owned()
    })
}

/// Runs `body` in a fresh browser, then saves the screenshot `name` whether it passed or not.
/// Without the release build or chromedriver the test says so and passes, so that plain
/// `cargo test` works on a fresh clone, unless `POWERTUNE_E2E_REQUIRED` is set
/// (`scripts/test.sh` sets it): then it fails.
pub async fn with_browser<F>(name: &str, scale: f64, body: F)
where
    F: AsyncFnOnce(&Browser),
{
    with_browser_throttled(name, scale, Throttling::Off, body).await;
}

/// [`with_browser`], with hidden tabs throttled as `throttling` says.
pub async fn with_browser_throttled<F>(name: &str, scale: f64, throttling: Throttling, body: F)
where
    F: AsyncFnOnce(&Browser),
{
    if let Some(why) = missing_prerequisite() {
        assert!(
            std::env::var_os("POWERTUNE_E2E_REQUIRED").is_none(),
            "end-to-end test {name}: {why}"
        );
        eprintln!("skipped end-to-end test {name}: {why}");
        return;
    }
    let browser = Browser::open_with(scale, throttling).await;
    // A failed assertion still leaves its screenshot.
    let outcome = std::panic::AssertUnwindSafe(body(&browser))
        .catch_unwind()
        .await;
    browser.screenshot(name).await;
    let Browser { client, .. } = browser;
    let _ = client.close().await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}
