//! Every main screen, and the two dialogs a new person meets first, in the
//! real window, at 800×600 and at 1440×900, in Kazakh, Russian and English,
//! in the light and the dark theme: no text may be cut or pushed out of its
//! box. An element whose content is wider
//! than the element fails the test, unless it is a name shortened with an
//! ellipsis whose whole text is in its tooltip. Each screen is shot to
//! `$QOIMA_TEST_OUTPUT/e2e_layout/`.
//!
//! The theme is the desktop's, as a person's is: the window is started with
//! GTK's dark Adwaita for the dark run.

use std::ffi::OsStr;

use fantoccini::Locator;
use qoima_tests::eventually;
use qoima_tests::window::{AppWindow, SCREEN_DEADLINE, output_dir};

const LANGUAGES: [&str; 3] = ["kk", "ru", "en"];
const SIZES: [(u32, u32); 2] = [(800, 600), (1440, 900)];

/// A screen or a dialog: the button that opens it and what shows it is there.
struct Screen {
    name: &'static str,
    open: &'static str,
    shown: &'static str,
    /// How it is closed again after the check, when it sits over another screen.
    close: Option<Close>,
}

enum Close {
    Click(&'static str),
    Escape,
}

const ESCAPE: &str = "\u{E00C}";

const SCREENS: [Screen; 9] = [
    Screen { name: "buckets", open: "[data-testid=nav-buckets]", shown: "[data-testid=bucket-list]", close: None },
    Screen {
        name: "create-bucket",
        open: "[data-testid=create-bucket]",
        shown: "[data-testid=create-bucket-form]",
        close: Some(Close::Escape),
    },
    Screen {
        name: "browser",
        open: "li[data-bucket=documents] [data-cell=name]",
        shown: "[data-testid=upload-button]",
        close: None,
    },
    Screen {
        name: "transfers",
        open: "[data-testid=transfers-button]",
        shown: "#transfers-panel",
        close: Some(Close::Click("[data-testid=transfers-button]")),
    },
    Screen { name: "sync", open: "[data-testid=sync-button]", shown: "[data-testid=sync-screen]", close: None },
    Screen {
        name: "add-sync",
        open: "[data-testid=sync-add]",
        shown: "[data-testid=sync-add-form]",
        close: Some(Close::Escape),
    },
    Screen { name: "account", open: "[data-testid=usage-nav]", shown: "[data-testid=account-overview]", close: None },
    Screen { name: "help", open: "[data-testid=nav-help]", shown: "[data-testid=help]", close: None },
    Screen {
        name: "settings",
        open: "[data-testid=nav-settings]",
        shown: "[data-testid=settings-screen]",
        close: None,
    },
];

/// Lists what is cut: each element whose content is wider than its box.
const CUT_TEXT: &str = r#"
const cut = [];
const describe = (el) => {
  const id = el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : '';
  const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '';
  const text = (el.innerText || el.value || '').replace(/\s+/g, ' ').trim().slice(0, 60);
  return `<${el.tagName.toLowerCase()}${id}${cls}> ${el.scrollWidth}px in ${el.clientWidth}px: "${text}"`;
};
for (const el of document.querySelectorAll('body *')) {
  if (el.clientWidth === 0 || el.scrollWidth <= el.clientWidth + 1) continue;
  const style = getComputedStyle(el);
  if (style.visibility === 'hidden' || el.closest('.visually-hidden')) continue;
  // A long name shortened on purpose keeps its whole text a hover away.
  if (style.textOverflow === 'ellipsis' && el.closest('[title]')) continue;
  cut.push(describe(el));
}
if (document.documentElement.scrollWidth > window.innerWidth) {
  cut.push(`the page is ${document.documentElement.scrollWidth}px wide in a ${window.innerWidth}px window`);
}
return cut;
"#;

struct Layout {
    window: AppWindow,
    theme: &'static str,
    problems: Vec<String>,
    checked: u32,
}

impl Layout {
    async fn resize(&self, (width, height): (u32, u32)) {
        self.window.client.set_window_rect(0, 0, width, height).await.unwrap();
        let inner = "return [window.innerWidth, window.innerHeight];";
        let size = self.window.client.execute(inner, vec![]).await.unwrap();
        let size: (u32, u32) = serde_json::from_value(size).unwrap();
        assert!(size.0 <= width && size.0 + 40 >= width, "the window is {size:?} inside, asked for {width}×{height}");
    }

    async fn check(&mut self, screen: &str, lang: &str, (width, height): (u32, u32)) {
        let name = format!("{screen}-{lang}-{width}x{height}-{}", self.theme);
        let cut = self.window.client.execute(CUT_TEXT, vec![]).await.unwrap();
        let cut: Vec<String> = serde_json::from_value(cut).unwrap();
        self.problems.extend(cut.into_iter().map(|what| format!("{name}: {what}")));
        self.checked += 1;
        self.window.shot(&name).await;
    }

    /// The check itself can fail: a line planted too wide for its box is found.
    async fn check_finds_cut_text(&self) {
        let plant = "const box = document.createElement('div'); box.id = 'planted'; \
            box.style.cssText = 'width: 60px; white-space: nowrap; overflow: hidden'; \
            box.textContent = 'Бұл жол өз қорабынан кең'; document.body.appendChild(box);";
        self.window.client.execute(plant, vec![]).await.unwrap();
        let cut = self.window.client.execute(CUT_TEXT, vec![]).await.unwrap();
        self.window.client.execute("document.getElementById('planted').remove();", vec![]).await.unwrap();
        let cut: Vec<String> = serde_json::from_value(cut).unwrap();
        assert!(
            cut.iter().any(|what| what.contains("Бұл жол өз қорабынан кең")),
            "the planted line was not found: {cut:?}"
        );
    }
}

async fn closed(window: &AppWindow, css: &str) {
    eventually(SCREEN_DEADLINE, &format!("{css} to close"), async || {
        window.client.find(Locator::Css(css)).await.is_err().then_some(())
    })
    .await;
}

async fn choose_language(window: &AppWindow, lang: &str) {
    let choice = format!("[data-testid=language-choice] [data-language={lang}], select[name=language]");
    let element = window.wait_for(&choice).await;
    if element.tag_name().await.unwrap() == "select" {
        element.select_by_value(lang).await.unwrap();
    } else {
        element.click().await.unwrap();
    }
    window.wait_for(&format!("html[lang={lang}]")).await;
}

async fn lay_out_every_screen(theme: &'static str, gtk_theme: Option<&str>) -> Layout {
    let data_dir = tempfile::tempdir().unwrap();
    let shots = output_dir("e2e_layout");
    let env: Vec<(&str, &OsStr)> = gtk_theme.iter().map(|t| ("GTK_THEME", OsStr::new(*t))).collect();
    let window = AppWindow::launch_with(data_dir.path(), &shots, "en_US.UTF-8", &env).await;
    let mut layout = Layout { window, theme, problems: Vec::new(), checked: 0 };
    let dark: bool = serde_json::from_value(
        layout
            .window
            .client
            .execute("return matchMedia('(prefers-color-scheme: dark)').matches;", vec![])
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(dark, theme == "dark", "the window follows the desktop's theme");
    layout.check_finds_cut_text().await;

    for lang in LANGUAGES {
        choose_language(&layout.window, lang).await;
        for size in SIZES {
            layout.resize(size).await;
            layout.window.wait_for("[data-testid=welcome]").await;
            layout.check("welcome", lang, size).await;
        }
    }

    layout.window.click("[data-testid=demo-button]").await;
    layout.window.wait_for("[data-testid=bucket-list]").await;
    for lang in LANGUAGES {
        layout.window.click("[data-testid=nav-settings]").await;
        choose_language(&layout.window, lang).await;
        for size in SIZES {
            layout.resize(size).await;
            for screen in &SCREENS {
                layout.window.click(screen.open).await;
                layout.window.wait_for(screen.shown).await;
                layout.check(screen.name, lang, size).await;
                match screen.close {
                    Some(Close::Click(button)) => layout.window.click(button).await,
                    Some(Close::Escape) => {
                        layout.window.client.active_element().await.unwrap().send_keys(ESCAPE).await.unwrap();
                        closed(&layout.window, screen.shown).await;
                    }
                    None => {}
                }
            }
        }
    }
    layout
}

#[tokio::test]
async fn every_screen_fits_at_both_sizes_in_three_languages_and_both_themes() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for (theme, gtk_theme) in [("light", None), ("dark", Some("Adwaita:dark"))] {
        let layout = lay_out_every_screen(theme, gtk_theme).await;
        problems.extend(layout.problems);
        checked += layout.checked;
        layout.window.close().await;
    }
    let screens = (SCREENS.len() as u32 + 1) * (LANGUAGES.len() * SIZES.len() * 2) as u32;
    assert_eq!(checked, screens, "every screen was laid out");
    assert!(problems.is_empty(), "text is cut in {} places:\n{}", problems.len(), problems.join("\n"));
}
