//! The demo storage in the real window, in each of the app's languages:
//! what a person sees before they have any account.

use qoima_tests::messages::message;
use qoima_tests::window::{AppWindow, output_dir};

const BUCKET: &str = "//*[@data-testid='bucket-list']//*[@role='row']";
const ROW: &str = "//*[@role='grid']//*[@role='row']";

#[tokio::test]
async fn the_demo_storage_in_kazakh_russian_and_english() {
    let shots = output_dir("e2e_demo");
    for (lang, locale) in [("kk", "kk_KZ.UTF-8"), ("ru", "ru_RU.UTF-8"), ("en", "en_US.UTF-8")] {
        let data_dir = tempfile::tempdir().unwrap();
        let mut window = AppWindow::launch_in(data_dir.path(), &shots, locale).await;
        let html_lang = window.client.execute("return document.documentElement.lang", vec![]).await.unwrap();
        assert_eq!(html_lang, lang, "the UI follows the OS language");
        window.wait_for_text("//button", &message(lang, "demo_button")).await.click().await.unwrap();
        window.wait_for_text("//*[@data-testid='demo-banner']", &message(lang, "demo_banner")).await;
        window.wait_for_text(BUCKET, "documents").await;
        window.shot(&format!("{lang}-demo-buckets")).await;
        window.wait_for_text(BUCKET, "documents").await.click().await.unwrap();
        window.wait_for_text(ROW, "reports").await.click().await.unwrap();
        window.wait_for_text(ROW, "Есеп 2026.txt").await;
        window.wait_for_text(ROW, "Отчёт за квартал.txt").await;
        window.shot(&format!("{lang}-demo-folder")).await;
        window.close().await;
    }
}

/// The switcher in Settings overrides the OS language, and the choice is
/// remembered across a restart.
#[tokio::test]
async fn the_language_chosen_in_settings_is_kept() {
    let shots = output_dir("e2e_language");
    let data_dir = tempfile::tempdir().unwrap();
    let mut window = AppWindow::launch_in(data_dir.path(), &shots, "en_US.UTF-8").await;
    window.wait_for_text("//button", &message("en", "nav_settings")).await.click().await.unwrap();
    window.wait_for("select[name=language]").await.select_by_value("ru").await.unwrap();
    window.wait_for_text("//h1", &message("ru", "settings_title")).await;
    window.shot("settings-russian").await;
    window.close().await;

    let mut window = AppWindow::launch_in(data_dir.path(), &shots, "en_US.UTF-8").await;
    window.wait_for_text("//button", &message("ru", "demo_button")).await;
    let html_lang = window.client.execute("return document.documentElement.lang", vec![]).await.unwrap();
    assert_eq!(html_lang, "ru", "the chosen language wins over the OS one");
    window.shot("restarted-russian").await;
    window.close().await;
}
