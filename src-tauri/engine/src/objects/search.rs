//! Finding objects by name under a folder: a recursive listing filtered as it
//! arrives, bounded in requests and results, and cancellable.

use tokio_util::sync::CancellationToken;

use super::model::SearchResult;
use crate::storage::{ObjectEntry, S3Client, StorageError};

#[derive(Debug, Clone, Copy)]
pub struct SearchBounds {
    pub max_requests: u32,
    pub max_results: usize,
}

impl Default for SearchBounds {
    fn default() -> Self {
        Self { max_requests: 100, max_results: 500 }
    }
}

/// Case-insensitive: does any part of the key below `prefix` contain the words?
fn matches(entry_name: &str, needle: &str) -> bool {
    entry_name.to_lowercase().contains(needle)
}

pub async fn search(
    client: &S3Client,
    bucket: &str,
    prefix: &str,
    query: &str,
    bounds: SearchBounds,
    cancel: &CancellationToken,
) -> Result<SearchResult, StorageError> {
    let needle = query.trim().to_lowercase();
    let mut found: Vec<ObjectEntry> = Vec::new();
    let mut scanned = 0u64;
    if needle.is_empty() {
        return Ok(SearchResult { entries: found, truncated: false, scanned });
    }
    let mut token = None;
    for _ in 0..bounds.max_requests {
        if cancel.is_cancelled() {
            return Err(StorageError::Cancelled);
        }
        let page = client.list_page_recursive(bucket, prefix, token).await?;
        scanned += page.entries.len() as u64;
        for entry in page.entries {
            if matches(&entry.name, &needle) {
                found.push(entry);
                if found.len() >= bounds.max_results {
                    return Ok(SearchResult { entries: found, truncated: true, scanned });
                }
            }
        }
        token = page.next_token;
        if token.is_none() {
            return Ok(SearchResult { entries: found, truncated: false, scanned });
        }
    }
    Ok(SearchResult { entries: found, truncated: true, scanned })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_ignores_case_in_any_script() {
        assert!(matches("Есеп/ҚАРАША.pdf", "қараша"));
        assert!(matches("photos/IMG_001.JPG", "img_0"));
        assert!(!matches("photos/cat.jpg", "dog"));
    }
}
