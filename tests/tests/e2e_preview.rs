//! The quick preview in the real window: an image and a text file of the
//! demo storage, read through the app's own `qoima-preview` scheme under the
//! strict CSP. Screenshots go to `$QOIMA_TEST_OUTPUT/e2e_preview/`.

use std::time::Duration;

use qoima_tests::eventually;
use qoima_tests::window::{AppWindow, output_dir};

const BUCKET: &str = "//*[@data-testid='bucket-list']//*[@role='row']";
const ROW: &str = "//*[@role='grid']//*[@role='row']";
const SPACE: &str = " ";
const ESCAPE: &str = "\u{E00C}";

async fn press(window: &AppWindow, key: &str) {
    window.client.active_element().await.unwrap().send_keys(key).await.unwrap();
}

#[tokio::test]
async fn images_and_text_preview_through_the_app() {
    let shots = output_dir("e2e_preview");
    let data_dir = tempfile::tempdir().unwrap();
    let mut window = AppWindow::launch(data_dir.path(), &shots).await;
    window.wait_for_text("//button", "Try the demo storage").await.click().await.unwrap();
    window.wait_for_text(BUCKET, "photos").await.click().await.unwrap();

    window.wait_for_text(ROW, "notes.txt").await.click().await.unwrap();
    press(&window, SPACE).await;
    window.wait_for_text("//*[@data-testid='preview-text']", "Photos from the trip.").await;
    window.shot("text-preview").await;
    press(&window, ESCAPE).await;

    window.wait_for_text(ROW, "almaty").await.click().await.unwrap();
    window.wait_for_text(ROW, "medeu.svg").await.click().await.unwrap();
    press(&window, SPACE).await;
    window.wait_for("[role=dialog] img").await;
    let width = eventually(Duration::from_secs(30), "the image drawn", async || {
        let width = window
            .client
            .execute(
                "const i = document.querySelector('[role=dialog] img'); return i && i.complete ? i.naturalWidth : 0",
                vec![],
            )
            .await
            .ok()?;
        width.as_u64().filter(|w| *w > 0)
    })
    .await;
    assert_eq!(width, 64, "the sample image is 64 px wide");
    window.shot("image-preview").await;
    window.close().await;
}
