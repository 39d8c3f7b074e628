//! `qoima-preview://localhost/?bucket=B&key=K`: an object's bytes for the
//! quick preview, streamed through the engine so the strict CSP stays and the
//! WebView never asks the storage itself. Objects above the engine's preview
//! bound are refused before any byte is read.

use qoima_engine::{Engine, ErrorCode};
use tauri::http::{Request, Response, StatusCode, header};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};

pub const SCHEME: &str = "qoima-preview";

/// The origin the app's pages load from; the text preview reads with fetch.
const APP_ORIGIN: &str = "tauri://localhost";

fn location(request: &Request<Vec<u8>>) -> Option<(String, String)> {
    let url = tauri::Url::parse(&request.uri().to_string()).ok()?;
    let pair = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    Some((pair("bucket")?, pair("key")?))
}

/// Images are served as what they are; everything else as plain text, so
/// nothing the storage holds is ever run as a page or a script.
fn served_type(content_type: &str) -> String {
    if content_type.starts_with("image/") { content_type.to_owned() } else { "text/plain; charset=utf-8".to_owned() }
}

fn respond(status: StatusCode, content_type: &str, body: Vec<u8>) -> Response<Vec<u8>> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CACHE_CONTROL, "no-store")
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, APP_ORIGIN)
        .body(body)
        .unwrap_or_default()
}

pub fn handle<R: Runtime>(ctx: UriSchemeContext<'_, R>, request: Request<Vec<u8>>, responder: UriSchemeResponder) {
    let app = ctx.app_handle().clone();
    tauri::async_runtime::spawn(async move {
        let Some((bucket, key)) = location(&request) else {
            responder.respond(respond(StatusCode::BAD_REQUEST, "text/plain", ErrorCode::InvalidInput.as_str().into()));
            return;
        };
        let engine = app.state::<Engine>();
        let response = match engine.preview(&bucket, &key).await {
            Ok(body) => respond(StatusCode::OK, &served_type(&body.content_type), body.bytes),
            Err(err) => {
                let status = match err.code {
                    ErrorCode::PreviewTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
                    ErrorCode::ObjectNotFound => StatusCode::NOT_FOUND,
                    _ => StatusCode::BAD_GATEWAY,
                };
                respond(status, "text/plain", err.code.as_str().into())
            }
        };
        responder.respond(response);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_images_keep_their_type() {
        assert_eq!(served_type("image/png"), "image/png");
        assert_eq!(served_type("text/html"), "text/plain; charset=utf-8");
        assert_eq!(served_type("application/javascript"), "text/plain; charset=utf-8");
    }

    #[test]
    fn reads_bucket_and_key_from_the_query() {
        let request = Request::builder()
            .uri("qoima-preview://localhost/?bucket=photos&key=2026%2F%D2%9B%D1%8B%D1%81%201.jpg")
            .body(Vec::new())
            .unwrap();
        assert_eq!(location(&request), Some(("photos".into(), "2026/қыс 1.jpg".into())));
    }
}
