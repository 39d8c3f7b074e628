//! The transfer queue: every upload and download the person asks for, kept
//! in SQLite so it survives closing the app, a crash or a reboot, and run
//! under one budget of requests and bandwidth.

mod model;

pub use model::{
    BandwidthLimits, BatchState, ConflictAnswers, Direction, DownloadRequest, EnqueueOutcome, Existing,
    TransferBatch, TransferFailure, TransfersView, UploadRequest,
};
