//! A whole prefix loaded and sorted in the engine, read by the UI in windows.
//!
//! The folder view streams pages in name order and never needs this; sorting
//! by size or date does, since no S3 server sorts by anything but key.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use super::classify::StorageError;
use super::client::S3Client;
use super::entries::{ObjectEntry, SortSpec, sort_entries};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ListingSummary {
    pub id: u32,
    pub total: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ListingProgress {
    pub id: u32,
    pub loaded: u32,
}

enum Slot {
    Loading(CancellationToken),
    Ready(Vec<ObjectEntry>),
}

#[derive(Default)]
pub struct Listings {
    next_id: AtomicU32,
    slots: Mutex<HashMap<u32, Slot>>,
}

impl Listings {
    /// Loads every entry directly under `prefix`, reporting progress after
    /// each page; a cancel from `cancel(id)` stops it between pages.
    pub async fn load(
        &self,
        client: &S3Client,
        bucket: &str,
        prefix: &str,
        sort: SortSpec,
        progress: impl Fn(ListingProgress),
    ) -> Result<ListingSummary, StorageError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let cancel = CancellationToken::new();
        self.slots.lock().unwrap().insert(id, Slot::Loading(cancel.clone()));
        progress(ListingProgress { id, loaded: 0 });

        let result = async {
            let mut entries = Vec::new();
            let mut token = None;
            loop {
                let page = tokio::select! {
                    page = client.list_page(bucket, prefix, token) => page?,
                    () = cancel.cancelled() => return Err(StorageError::Cancelled),
                };
                entries.extend(page.entries);
                progress(ListingProgress { id, loaded: entries.len() as u32 });
                token = page.next_token;
                if token.is_none() {
                    return Ok(entries);
                }
            }
        }
        .await;

        // Sorting a large prefix takes a moment: never under the lock that
        // the window and cancel calls need.
        let mut entries = match result {
            Ok(entries) => entries,
            Err(err) => {
                self.slots.lock().unwrap().remove(&id);
                return Err(err);
            }
        };
        sort_entries(&mut entries, sort);
        let total = entries.len() as u32;
        let mut slots = self.slots.lock().unwrap();
        // Closed meanwhile (disconnect, account switch): keep nothing.
        match slots.get(&id) {
            Some(Slot::Loading(_)) => {
                slots.insert(id, Slot::Ready(entries));
                Ok(ListingSummary { id, total })
            }
            _ => Err(StorageError::Cancelled),
        }
    }

    pub fn cancel(&self, id: u32) {
        if let Some(Slot::Loading(token)) = self.slots.lock().unwrap().get(&id) {
            token.cancel();
        }
    }

    /// Entries `offset..offset+limit` of a loaded listing; empty past the end
    /// or for an unknown id.
    pub fn window(&self, id: u32, offset: u32, limit: u32) -> Vec<ObjectEntry> {
        match self.slots.lock().unwrap().get(&id) {
            Some(Slot::Ready(entries)) => {
                let start = (offset as usize).min(entries.len());
                let end = start.saturating_add(limit as usize).min(entries.len());
                entries[start..end].to_vec()
            }
            _ => Vec::new(),
        }
    }

    pub fn close(&self, id: u32) {
        if let Some(Slot::Loading(token)) = self.slots.lock().unwrap().remove(&id) {
            token.cancel();
        }
    }

    pub fn close_all(&self) {
        for (_, slot) in self.slots.lock().unwrap().drain() {
            if let Slot::Loading(token) = slot {
                token.cancel();
            }
        }
    }
}
