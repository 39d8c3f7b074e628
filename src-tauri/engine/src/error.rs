//! The one error the UI and the CLI see: a stable code, the input it is about,
//! and technical detail kept apart from the plain-language message.
//!
//! Each engine area has its own `thiserror` enum; each is mapped here, once.
//! The UI localizes `code` into a message and a next step; the English text
//! below serves the CLI and the logs.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::account::AccountError;
use crate::account::outage_store::AvailabilityError;
use crate::storage::StorageError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    EndpointUnreachable,
    Tls,
    WrongRegion,
    UnknownAccessKey,
    WrongSecret,
    ClockSkew,
    PermissionDenied,
    Timeout,
    InvalidInput,
    BucketNotFound,
    BucketNameTaken,
    BucketAlreadyYours,
    BucketNotEmpty,
    ObjectNotFound,
    ObjectExists,
    QuotaExceeded,
    AccessTypesUnsupported,
    NotSupported,
    PreviewTooLarge,
    FileTooLarge,
    LocalFileUnreadable,
    LocalFileUnwritable,
    KeyNotLocal,
    ChecksumMismatch,
    FileChanged,
    SyncFolderMissing,
    SyncIgnoreRule,
    KeyringUnavailable,
    NotConnected,
    Cancelled,
    Database,
    StorageError,
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EndpointUnreachable => "endpoint_unreachable",
            Self::Tls => "tls",
            Self::WrongRegion => "wrong_region",
            Self::UnknownAccessKey => "unknown_access_key",
            Self::WrongSecret => "wrong_secret",
            Self::ClockSkew => "clock_skew",
            Self::PermissionDenied => "permission_denied",
            Self::Timeout => "timeout",
            Self::InvalidInput => "invalid_input",
            Self::BucketNotFound => "bucket_not_found",
            Self::BucketNameTaken => "bucket_name_taken",
            Self::BucketAlreadyYours => "bucket_already_yours",
            Self::BucketNotEmpty => "bucket_not_empty",
            Self::ObjectNotFound => "object_not_found",
            Self::ObjectExists => "object_exists",
            Self::QuotaExceeded => "quota_exceeded",
            Self::AccessTypesUnsupported => "access_types_unsupported",
            Self::NotSupported => "not_supported",
            Self::PreviewTooLarge => "preview_too_large",
            Self::FileTooLarge => "file_too_large",
            Self::LocalFileUnreadable => "local_file_unreadable",
            Self::LocalFileUnwritable => "local_file_unwritable",
            Self::KeyNotLocal => "key_not_local",
            Self::SyncFolderMissing => "sync_folder_missing",
            Self::SyncIgnoreRule => "sync_ignore_rule",
            Self::ChecksumMismatch => "checksum_mismatch",
            Self::FileChanged => "file_changed",
            Self::KeyringUnavailable => "keyring_unavailable",
            Self::NotConnected => "not_connected",
            Self::Cancelled => "cancelled",
            Self::Database => "database",
            Self::StorageError => "storage_error",
            Self::Internal => "internal",
        }
    }

    /// The message and the next step in English, for the CLI and the logs.
    pub fn english(self) -> (&'static str, &'static str) {
        match self {
            Self::EndpointUnreachable => {
                ("The storage address does not answer.", "Check the endpoint address and your internet connection.")
            }
            Self::Tls => (
                "A secure connection to the storage could not be made.",
                "Check that the address starts with the right https:// or http:// and that the computer's date is correct.",
            ),
            Self::WrongRegion => (
                "The region does not match this storage.",
                "Copy the region exactly as shown in your personal cabinet.",
            ),
            Self::UnknownAccessKey => {
                ("The storage does not know this access key.", "Copy the access key again from your personal cabinet.")
            }
            Self::WrongSecret => (
                "The secret key does not match the access key.",
                "Check the secret key — copy it again from your personal cabinet.",
            ),
            Self::ClockSkew => (
                "This computer's clock differs too much from the storage's.",
                "Set the computer's date and time automatically, then try again.",
            ),
            Self::PermissionDenied => {
                ("This account is not allowed to do that.", "Ask the account owner for access, or contact support.")
            }
            Self::Timeout => (
                "The storage took too long to answer.",
                "Try again in a moment; if it keeps happening, contact support.",
            ),
            Self::InvalidInput => ("Some of the entered data is not valid.", "Correct the highlighted field."),
            Self::BucketNotFound => {
                ("This bucket does not exist (any more).", "Go back to the bucket list and refresh it.")
            }
            Self::BucketNameTaken => (
                "This bucket name is already taken by someone else.",
                "Bucket names are shared by all customers of the storage: choose another name.",
            ),
            Self::BucketAlreadyYours => {
                ("You already have a bucket with this name.", "Open it from the bucket list, or choose another name.")
            }
            Self::BucketNotEmpty => (
                "The bucket still holds objects.",
                "Delete its contents first, or delete the bucket with its contents.",
            ),
            Self::ObjectNotFound => {
                ("This object does not exist (any more).", "Refresh the folder: someone may have moved or deleted it.")
            }
            Self::ObjectExists => (
                "Something with this name already exists here.",
                "Choose another name, or delete the existing one first.",
            ),
            Self::QuotaExceeded => (
                "The storage quota of your account is used up.",
                "Delete data you no longer need, or ask support to raise your quota.",
            ),
            Self::AccessTypesUnsupported => (
                "This storage does not support bucket types: its buckets are always private.",
                "Nothing to change here; ask support if you need public access.",
            ),
            Self::NotSupported => {
                ("This storage does not support that.", "Ask support whether it can be enabled for your account.")
            }
            Self::PreviewTooLarge => {
                ("This object is too large to preview.", "Download it and open it on your computer.")
            }
            Self::FileTooLarge => (
                "This file is larger than any object may be (5 TiB).",
                "Split it into smaller files before sending it.",
            ),
            Self::LocalFileUnreadable => (
                "A file on this computer could not be read.",
                "Check that the file exists and that you may open it, then try again.",
            ),
            Self::LocalFileUnwritable => (
                "A file could not be written on this computer.",
                "Check that the disk has free space and that you may write into the folder, then try again.",
            ),
            Self::KeyNotLocal => (
                "This object's name cannot be a file name on this computer, so it was not downloaded.",
                "Rename the object in the storage (for example remove \"..\", \\ or : from its name), then download it again.",
            ),
            Self::SyncFolderMissing => {
                ("The folder to keep in sync is not there.", "Connect the disk it is on, or choose the folder again.")
            }
            Self::SyncIgnoreRule => {
                ("This line is not an ignore pattern.", "Write one pattern a line, such as *.log or build/.")
            }
            Self::ChecksumMismatch => (
                "What arrived did not match the storage's own checksum, so it was not saved.",
                "Try again. If it keeps happening, something on the way alters data: tell support.",
            ),
            Self::FileChanged => (
                "The file changed while it was being sent, so it was not stored.",
                "Wait until the program writing it has finished, then send it again.",
            ),
            Self::KeyringUnavailable => (
                "This computer has no password storage available.",
                "The secret key is kept only until the app is closed; you will be asked for it next time.",
            ),
            Self::NotConnected => ("No storage is connected.", "Connect to a storage first."),
            Self::Cancelled => ("Cancelled.", "Start again when you are ready."),
            Self::Database => (
                "The app could not read or write its own data.",
                "Restart the app; if it keeps happening, contact support.",
            ),
            Self::StorageError => {
                ("The storage refused the request.", "Try again; if it keeps happening, contact support.")
            }
            Self::Internal => {
                ("Something went wrong inside the app.", "Restart the app; if it keeps happening, contact support.")
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{}", self.code.english().0)]
pub struct UiError {
    pub code: ErrorCode,
    /// The input the error is about, named as the UI names its fields.
    pub field: Option<String>,
    /// Technical text for the "Details" disclosure, never shown alone.
    pub detail: Option<String>,
}

impl UiError {
    pub fn new(code: ErrorCode) -> Self {
        Self { code, field: None, detail: None }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn invalid(field: &str, detail: impl Into<String>) -> Self {
        Self { code: ErrorCode::InvalidInput, field: Some(field.to_owned()), detail: Some(detail.into()) }
    }

    /// An invalid field whose detail is a rule's stable code (e.g. a
    /// `BucketNameProblem`), which the UI explains in words.
    pub fn broken_rule(field: &str, rule: impl Serialize) -> Self {
        let code = serde_json::to_value(rule).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        Self::invalid(field, code)
    }

    pub fn internal(detail: impl std::fmt::Display) -> Self {
        Self::new(ErrorCode::Internal).with_detail(detail.to_string())
    }

    /// One line for a terminal: message, next step, and the detail if any.
    pub fn one_line(&self) -> String {
        let (message, next) = self.code.english();
        match &self.detail {
            Some(detail) => format!("{message} {next} ({detail})"),
            None => format!("{message} {next}"),
        }
    }
}

impl From<StorageError> for UiError {
    fn from(err: StorageError) -> Self {
        let code = match &err {
            StorageError::Unreachable(_) => ErrorCode::EndpointUnreachable,
            StorageError::Tls(_) => ErrorCode::Tls,
            StorageError::WrongRegion(_) => ErrorCode::WrongRegion,
            StorageError::UnknownAccessKey(_) => ErrorCode::UnknownAccessKey,
            StorageError::WrongSecret(_) => ErrorCode::WrongSecret,
            StorageError::ClockSkew { .. } => ErrorCode::ClockSkew,
            StorageError::PermissionDenied(_) => ErrorCode::PermissionDenied,
            StorageError::Timeout(_) => ErrorCode::Timeout,
            StorageError::NoSuchBucket(_) => ErrorCode::BucketNotFound,
            StorageError::NoSuchKey(_) => ErrorCode::ObjectNotFound,
            StorageError::BucketExists(_) => ErrorCode::BucketNameTaken,
            StorageError::BucketOwned(_) => ErrorCode::BucketAlreadyYours,
            StorageError::BucketNotEmpty(_) => ErrorCode::BucketNotEmpty,
            StorageError::Quota(_) => ErrorCode::QuotaExceeded,
            StorageError::NotImplemented(_) => ErrorCode::NotSupported,
            StorageError::AlreadyExists(_) => ErrorCode::ObjectExists,
            StorageError::TooLarge { .. } => ErrorCode::PreviewTooLarge,
            StorageError::LocalFile(_) => ErrorCode::LocalFileUnreadable,
            StorageError::LocalWrite(_) => ErrorCode::LocalFileUnwritable,
            StorageError::FolderMissing(_) => ErrorCode::SyncFolderMissing,
            StorageError::BadChecksum(_) => ErrorCode::ChecksumMismatch,
            StorageError::FileChanged(_) => ErrorCode::FileChanged,
            StorageError::InvalidName(problem) => return UiError::broken_rule("name", problem),
            StorageError::InvalidTransfer(_) => return UiError::invalid("destination", err.to_string()),
            StorageError::InvalidEndpoint(_) => {
                return UiError::invalid("endpoint", err.to_string());
            }
            StorageError::Cancelled => ErrorCode::Cancelled,
            StorageError::Service { .. } | StorageError::Other(_) => ErrorCode::StorageError,
        };
        UiError::new(code).with_detail(err.to_string())
    }
}

impl From<AccountError> for UiError {
    fn from(err: AccountError) -> Self {
        match &err {
            AccountError::Invalid { field, .. } => UiError::invalid(field, err.to_string()),
            AccountError::NotFound(_) => UiError::new(ErrorCode::InvalidInput).with_detail(err.to_string()),
            AccountError::Database(_) => UiError::new(ErrorCode::Database).with_detail(err.to_string()),
            AccountError::Keyring(_) => UiError::new(ErrorCode::KeyringUnavailable).with_detail(err.to_string()),
            AccountError::SecretMissing => UiError {
                code: ErrorCode::InvalidInput,
                field: Some("secretKey".into()),
                detail: Some(err.to_string()),
            },
        }
    }
}

impl From<AvailabilityError> for UiError {
    fn from(err: AvailabilityError) -> Self {
        match &err {
            AvailabilityError::NoSuchOutage(_) => UiError::invalid("outageId", err.to_string()),
            AvailabilityError::InvalidMonth(_) => UiError::invalid("month", err.to_string()),
        }
    }
}

impl From<rusqlite::Error> for UiError {
    fn from(err: rusqlite::Error) -> Self {
        UiError::new(ErrorCode::Database).with_detail(err.to_string())
    }
}
