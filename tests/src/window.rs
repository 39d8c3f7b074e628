//! The real app window, driven through tauri-driver and WebKitWebDriver
//! (under the Xvfb display `cargo xtask test` starts).

use std::ffi::OsStr;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// How long a screen may take to appear before the test fails.
pub const SCREEN_DEADLINE: Duration = Duration::from_secs(60);

pub struct AppWindow {
    pub client: Client,
    driver: Child,
    shots: PathBuf,
    step: u32,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn required(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: end-to-end tests run under `cargo xtask test`"))
}

/// Where a test's screenshots go: `$QOIMA_TEST_OUTPUT/<test>/`.
pub fn output_dir(test: &str) -> PathBuf {
    let dir = Path::new(&required("QOIMA_TEST_OUTPUT")).join(test);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

impl AppWindow {
    /// Starts the app with `data_dir` as its data folder and opens a
    /// WebDriver session on its window.
    pub async fn launch(data_dir: &Path, shots: &Path) -> Self {
        Self::launch_in(data_dir, shots, "en_US.UTF-8").await
    }

    /// As `launch`, with the OS language set to `locale` (e.g. `kk_KZ.UTF-8`).
    pub async fn launch_in(data_dir: &Path, shots: &Path, locale: &str) -> Self {
        Self::launch_with(data_dir, shots, locale, &[]).await
    }

    /// As `launch_in`, with more variables in the app's environment (a
    /// `HOME` of the test's own, for what the app writes there).
    pub async fn launch_with(data_dir: &Path, shots: &Path, locale: &str, env: &[(&str, &OsStr)]) -> Self {
        let app = required("QOIMA_TEST_APP");
        let driver_bin = required("QOIMA_TEST_TAURI_DRIVER");
        let port = free_port();
        let native_port = free_port();
        let ready = tempfile::NamedTempFile::new().unwrap().into_temp_path();
        std::fs::remove_file(&ready).unwrap();
        // Its own process group, so that tauri-driver, WebKitWebDriver and
        // the app all stop together even when a test fails half-way.
        let driver = Command::new(driver_bin)
            .process_group(0)
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("QOIMA_DATA_DIR", data_dir)
            .env("QOIMA_LOG", "info")
            .env("LANG", locale)
            .env("LC_ALL", locale)
            .env("LANGUAGE", &locale[..2])
            .env("QOIMA_READY_FILE", &ready)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tauri-driver starts");
        let mut caps = serde_json::Map::new();
        caps.insert("tauri:options".into(), json!({ "application": app }));
        let url = format!("http://127.0.0.1:{port}");
        let start = Instant::now();
        let client = loop {
            match ClientBuilder::rustls().expect("tls roots").capabilities(caps.clone()).connect(&url).await {
                Ok(client) => break client,
                Err(err) => {
                    assert!(start.elapsed() < SCREEN_DEADLINE, "no WebDriver session on the app: {err}");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
        };
        // The window is shown once its first screen has rendered; before
        // that nothing in it can be clicked.
        while !ready.exists() {
            assert!(start.elapsed() < SCREEN_DEADLINE, "the app never reported its first screen as rendered");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // Numbering continues across launches within one test's folder.
        let step = std::fs::read_dir(shots).map(|d| d.count() as u32).unwrap_or(0);
        Self { client, driver, shots: shots.to_path_buf(), step }
    }

    pub async fn wait_for(&self, css: &str) -> Element {
        match self.client.wait().at_most(SCREEN_DEADLINE).for_element(Locator::Css(css)).await {
            Ok(element) => element,
            Err(err) => self.fail(&format!("{css} did not appear: {err}")).await,
        }
    }

    /// Keeps what the window showed when a step failed, then fails the test.
    async fn fail(&self, why: &str) -> ! {
        capture_screen(&self.shots.join("failure.png")).await;
        let text = match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        panic!("{why}\nthe window showed:\n{text}");
    }

    /// Waits for an element matching the XPath `scope` whose text contains
    /// `text` (one WebDriver query a poll, so long lists stay fast).
    pub async fn wait_for_text(&self, scope: &str, text: &str) -> Element {
        assert!(!text.contains('\''), "the text is quoted with ' in XPath");
        let xpath = format!("{scope}[contains(normalize-space(.), '{text}')]");
        match self.client.wait().at_most(SCREEN_DEADLINE).for_element(Locator::XPath(&xpath)).await {
            Ok(element) => element,
            Err(err) => self.fail(&format!("nothing at {xpath}: {err}")).await,
        }
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.wait_for(css).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    /// Scrolls an element that is out of sight into view first, as a person
    /// scrolls to a button below the fold (WebKitWebDriver only scrolls the
    /// page itself, not an inner scrolling area); one in sight stays put, so
    /// an open menu is not scrolled away.
    pub async fn click(&self, css: &str) {
        let element = self.wait_for(css).await;
        let reference = serde_json::to_value(&element).unwrap();
        self.client.execute("arguments[0].scrollIntoView({ block: 'nearest' })", vec![reference]).await.unwrap();
        element.click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Saves what the screen shows as `NN-name.png`. The X screen, not
    /// WebDriver's snapshot: it is what a person sees, and WebKitWebDriver's
    /// snapshot can stall once the pointer rests on the page.
    pub async fn shot(&mut self, name: &str) {
        // What the DOM holds reaches the screen a frame or two later.
        let painted = "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done()));";
        let _ = tokio::time::timeout(Duration::from_secs(10), self.client.execute_async(painted, vec![])).await;
        self.step += 1;
        let path = self.shots.join(format!("{:02}-{name}.png", self.step));
        capture_screen(&path).await;
    }

    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

async fn capture_screen(path: &Path) {
    // Another `cargo xtask test` on the same checkout starts by emptying the output folder.
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let capture = tokio::process::Command::new("import").args(["-window", "root"]).arg(path).status();
    match tokio::time::timeout(Duration::from_secs(30), capture).await {
        Ok(Ok(status)) if status.success() => {}
        other => panic!("could not capture the screen to {}: {other:?}", path.display()),
    }
}

impl Drop for AppWindow {
    fn drop(&mut self) {
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.driver.wait();
    }
}
