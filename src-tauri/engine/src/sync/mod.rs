//! Keeping a folder and a prefix in step, in the background.

pub mod conditional;
pub mod etag;
pub mod model;
pub mod pass;
pub mod plan;
pub mod rules;
pub mod scan;
pub mod service;
pub mod store;
pub mod trash;
