//! The ETag the storage gives an object, computed from a local file, so a
//! file and an object can be compared without moving either: the MD5 of the
//! bytes for a single upload, and for a multipart upload the MD5 of the
//! parts' MD5s followed by `-N`, with parts as this app cuts them.

use std::io::Read;
use std::path::Path;

use md5::{Digest, Md5};

use crate::transfer::{PartPlan, part_plan};

const READ_CHUNK: usize = 1024 * 1024;

/// The file's ETag as it would be stored by an upload with `threshold`.
/// Blocking: reads the whole file.
pub fn local_etag(path: &Path, threshold: u64) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    let mut buffer = vec![0u8; READ_CHUNK];
    let mut digest_of = |len: u64| -> std::io::Result<[u8; 16]> {
        let mut md5 = Md5::new();
        let mut left = len;
        while left > 0 {
            let want = left.min(READ_CHUNK as u64) as usize;
            file.read_exact(&mut buffer[..want])?;
            md5.update(&buffer[..want]);
            left -= want as u64;
        }
        Ok(md5.finalize().into())
    };
    match part_plan(size, threshold) {
        Some(PartPlan::Multipart { part_size, parts }) => {
            let mut of_parts = Md5::new();
            for index in 0..parts {
                of_parts.update(digest_of(PartPlan::range(part_size, size, index).1)?);
            }
            Ok(format!("{}-{parts}", hex(&of_parts.finalize())))
        }
        _ => Ok(hex(&digest_of(size)?)),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An ETag as the sync keeps it: some servers quote them, some do not.
pub fn plain_etag(etag: &str) -> String {
    etag.trim_matches('"').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transfer::MIN_PART;

    #[test]
    fn a_small_file_is_the_md5_of_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, b"hello").unwrap();
        assert_eq!(local_etag(&path, MIN_PART).unwrap(), "5d41402abc4b2a76b9719d911017c592");
    }

    #[test]
    fn a_large_file_is_the_md5_of_its_parts_md5s() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.bin");
        let size = MIN_PART as usize + 3;
        let bytes: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let Some(PartPlan::Multipart { part_size, .. }) = part_plan(size as u64, MIN_PART) else { panic!() };
        let (first, second) = bytes.split_at(part_size.min(size as u64) as usize);
        let mut expected = Md5::new();
        expected.update(Md5::digest(first));
        if !second.is_empty() {
            expected.update(Md5::digest(second));
        }
        let parts = if second.is_empty() { 1 } else { 2 };
        assert_eq!(local_etag(&path, MIN_PART).unwrap(), format!("{}-{parts}", hex(&expected.finalize())));
    }

    #[test]
    fn quotes_do_not_matter() {
        assert_eq!(plain_etag("\"abc\""), plain_etag("abc"));
    }
}
