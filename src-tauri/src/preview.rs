//! `qoima-preview://localhost/<bucket/key, URL-encoded>` (on Windows
//! `http://qoima-preview.localhost/…`, as `convertFileSrc` makes it): an
//! object's bytes for the quick preview, read through the engine so the
//! strict CSP stays and the WebView never asks the storage itself. Objects
//! above the engine's preview bound are refused before any byte is read.

use qoima_engine::{Engine, ErrorCode};
use tauri::http::{Request, Response, StatusCode, header};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};

pub const SCHEME: &str = "qoima-preview";

/// The origins the app's pages load from (Linux and macOS, Windows); the
/// text preview reads with fetch, so its origin must be allowed back.
const APP_ORIGINS: [&str; 2] = ["tauri://localhost", "http://tauri.localhost"];

/// Whatever a stored object holds, the preview response may run nothing.
const RESPONSE_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

fn location(request: &Request<Vec<u8>>) -> Option<(String, String)> {
    let path = request.uri().path().strip_prefix('/')?;
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().ok()?;
    let (bucket, key) = decoded.split_once('/')?;
    (!bucket.is_empty() && !key.is_empty()).then(|| (bucket.to_owned(), key.to_owned()))
}

fn allowed_origin(request: &Request<Vec<u8>>) -> Option<&'static str> {
    let origin = request.headers().get(header::ORIGIN)?.to_str().ok()?;
    APP_ORIGINS.into_iter().find(|allowed| *allowed == origin)
}

/// Images are served as what they are; everything else as plain text, so
/// nothing the storage holds is ever run as a page or a script.
fn served_type(content_type: &str) -> String {
    if content_type.starts_with("image/") { content_type.to_owned() } else { "text/plain; charset=utf-8".to_owned() }
}

fn respond(origin: Option<&str>, status: StatusCode, content_type: &str, body: Vec<u8>) -> Response<Vec<u8>> {
    let mut response = Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CACHE_CONTROL, "no-store")
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .header(header::CONTENT_SECURITY_POLICY, RESPONSE_CSP);
    if let Some(origin) = origin {
        response = response.header(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
    response.body(body).unwrap_or_default()
}

pub fn handle<R: Runtime>(ctx: UriSchemeContext<'_, R>, request: Request<Vec<u8>>, responder: UriSchemeResponder) {
    let app = ctx.app_handle().clone();
    tauri::async_runtime::spawn(async move {
        let origin = allowed_origin(&request);
        let Some((bucket, key)) = location(&request) else {
            let code = ErrorCode::InvalidInput.as_str().into();
            responder.respond(respond(origin, StatusCode::BAD_REQUEST, "text/plain", code));
            return;
        };
        let engine = app.state::<Engine>();
        let response = match engine.preview(&bucket, &key).await {
            Ok(body) => respond(origin, StatusCode::OK, &served_type(&body.content_type), body.bytes),
            Err(err) => {
                let status = match err.code {
                    ErrorCode::PreviewTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
                    ErrorCode::ObjectNotFound => StatusCode::NOT_FOUND,
                    _ => StatusCode::BAD_GATEWAY,
                };
                respond(origin, status, "text/plain", err.code.as_str().into())
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

    fn request(uri: &str, origin: Option<&str>) -> Request<Vec<u8>> {
        let mut builder = Request::builder().uri(uri);
        if let Some(origin) = origin {
            builder = builder.header(header::ORIGIN, origin);
        }
        builder.body(Vec::new()).unwrap()
    }

    #[test]
    fn reads_bucket_and_key_from_the_path_on_every_platform() {
        let encoded = "photos%2F2026%2F%D2%9B%D1%8B%D1%81%201.jpg";
        for base in ["qoima-preview://localhost", "http://qoima-preview.localhost"] {
            let found = location(&request(&format!("{base}/{encoded}"), None));
            assert_eq!(found, Some(("photos".into(), "2026/қыс 1.jpg".into())), "{base}");
        }
        assert_eq!(location(&request("qoima-preview://localhost/photos", None)), None);
    }

    #[test]
    fn only_the_app_may_read_a_preview() {
        assert_eq!(
            allowed_origin(&request("qoima-preview://localhost/b%2Fk", Some("tauri://localhost"))),
            Some("tauri://localhost")
        );
        assert_eq!(
            allowed_origin(&request("http://qoima-preview.localhost/b%2Fk", Some("http://tauri.localhost"))),
            Some("http://tauri.localhost")
        );
        assert_eq!(allowed_origin(&request("qoima-preview://localhost/b%2Fk", Some("https://evil.example"))), None);
        let response = respond(None, StatusCode::OK, "image/svg+xml", Vec::new());
        assert!(response.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains("sandbox"));
    }
}
