//! Qoima's engine: everything the app does, free of Tauri so the desktop shell,
//! the CLI and the tests drive the same code.

pub mod account;
pub mod bindings;
pub mod bucket;
pub mod db;
pub mod demo;
pub mod diagnostics;
pub mod engine;
pub mod error;
pub mod logs;
pub mod objects;
pub mod operations;
pub mod paths;
pub mod provider;
pub mod queue;
pub mod settings;
pub mod storage;
pub mod sync;
pub mod time;
pub mod transfer;

pub use engine::Engine;
pub use error::{ErrorCode, UiError};
