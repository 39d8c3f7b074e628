#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use qoima_engine::{Engine, paths, time};

fn main() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        // WebKitGTK's DMA-BUF renderer shows a blank window on many drivers
        // and on virtual displays. Set before any thread exists.
        unsafe { std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1") };
    }
    let data_dir = paths::data_dir();
    let _logs = qoima_engine::logs::init(&data_dir);
    let engine = match Engine::open(&data_dir, time::system_clock()) {
        Ok(engine) => engine,
        Err(err) => {
            eprintln!("Qoima cannot start: {}", err.one_line());
            std::process::exit(1);
        }
    };
    qoima::run(engine, &data_dir);
}
