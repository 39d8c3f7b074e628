//! The one place that assembles an object write: storage class, checksum,
//! ACL, content type and user metadata, the same for a folder marker, a
//! simple upload, a copy and a multipart upload.

use std::collections::BTreeMap;

use aws_sdk_s3::operation::copy_object::builders::CopyObjectFluentBuilder;
use aws_sdk_s3::operation::create_multipart_upload::builders::CreateMultipartUploadFluentBuilder;
use aws_sdk_s3::operation::put_object::builders::PutObjectFluentBuilder;
use aws_sdk_s3::operation::upload_part::builders::UploadPartFluentBuilder;
use aws_sdk_s3::types::{
    ChecksumAlgorithm as S3ChecksumAlgorithm, CompletedPart, MetadataDirective, ObjectCannedAcl,
    StorageClass as S3Class,
};
use aws_smithy_checksums::ChecksumAlgorithm;

use serde::{Deserialize, Serialize};

use crate::provider::ChecksumKind;

/// How objects are written into one bucket: the same for every write there.
#[derive(Debug, Clone, PartialEq)]
pub struct BucketWrites {
    /// Set for a Cold bucket: every object carries it.
    pub storage_class: Option<S3Class>,
    /// Set where the bucket's type is kept in ACLs and the bucket is public.
    pub acl: Option<ObjectCannedAcl>,
    /// The checksum the storage verifies, by the provider file's preference.
    pub checksum: ChecksumKind,
}

/// What one object carries besides its bytes. A copy that replaces headers
/// sends all of these, so none is lost that the person did not change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectHeaders {
    pub content_type: Option<String>,
    pub metadata: BTreeMap<String, String>,
    pub cache_control: Option<String>,
    pub content_disposition: Option<String>,
    pub content_encoding: Option<String>,
    pub content_language: Option<String>,
    pub website_redirect_location: Option<String>,
}

/// Header values must be ASCII; S3 carries other text as RFC 2047 encoded
/// words, and gives them back that way.
fn header_safe(value: &str) -> String {
    if value.is_ascii() {
        value.to_owned()
    } else {
        format!("=?UTF-8?B?{}?=", aws_smithy_types::base64::encode(value.as_bytes()))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectWrite<'a> {
    pub bucket: &'a BucketWrites,
    pub headers: ObjectHeaders,
}

/// A checksum computed as the bytes go by, for parts read from a file.
pub struct Checksummer {
    kind: ChecksumKind,
    crc: Option<Box<dyn aws_smithy_checksums::http::HttpChecksum>>,
    md5: md5::Md5,
}

impl Checksummer {
    pub fn new(kind: ChecksumKind) -> Self {
        use md5::Digest;
        let crc = match kind {
            ChecksumKind::Crc32c => Some(ChecksumAlgorithm::Crc32c.into_impl()),
            ChecksumKind::Crc32 => Some(ChecksumAlgorithm::Crc32.into_impl()),
            ChecksumKind::Md5 => None,
        };
        Self { kind, crc, md5: md5::Md5::new() }
    }

    pub fn update(&mut self, bytes: &[u8]) {
        use md5::Digest;
        match &mut self.crc {
            Some(crc) => crc.update(bytes),
            None => self.md5.update(bytes),
        }
    }

    /// The base64 value for the header of this checksum's kind.
    pub fn finish(self) -> PartChecksum {
        use md5::Digest;
        let value = match self.crc {
            Some(crc) => aws_smithy_types::base64::encode(&crc.finalize()[..]),
            None => aws_smithy_types::base64::encode(self.md5.finalize().as_slice()),
        };
        PartChecksum { kind: self.kind, value }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartChecksum {
    kind: ChecksumKind,
    value: String,
}

impl PartChecksum {
    /// A checksum kept in the transfer queue, read back.
    pub fn new(kind: ChecksumKind, value: String) -> Self {
        Self { kind, value }
    }

    pub fn value(&self) -> &str {
        &self.value
    }
}

/// A checksum of a body held in memory, as the header its kind travels in.
fn checksum_of(kind: ChecksumKind, body: &[u8]) -> (ChecksumKind, String) {
    let value = match kind {
        ChecksumKind::Crc32c | ChecksumKind::Crc32 => {
            let algorithm =
                if kind == ChecksumKind::Crc32c { ChecksumAlgorithm::Crc32c } else { ChecksumAlgorithm::Crc32 };
            let mut checksum = algorithm.into_impl();
            checksum.update(body);
            aws_smithy_types::base64::encode(&checksum.finalize()[..])
        }
        ChecksumKind::Md5 => {
            use md5::Digest;
            aws_smithy_types::base64::encode(md5::Md5::digest(body).as_slice())
        }
    };
    (kind, value)
}

/// The object's own headers on any of the SDK's write builders: they share
/// the setter names but no trait.
macro_rules! with_headers {
    ($request:expr, $write:expr) => {{
        let h = &$write.headers;
        $request
            .set_content_type(h.content_type.clone())
            .set_metadata($write.metadata())
            .set_cache_control(h.cache_control.clone())
            .set_content_disposition(h.content_disposition.clone())
            .set_content_encoding(h.content_encoding.clone())
            .set_content_language(h.content_language.clone())
            .set_website_redirect_location(h.website_redirect_location.clone())
    }};
}

impl ObjectWrite<'_> {
    /// A PutObject of `body`, with a checksum the storage verifies.
    pub fn put(&self, request: PutObjectFluentBuilder, body: &[u8]) -> PutObjectFluentBuilder {
        let request = match checksum_of(self.bucket.checksum, body) {
            (ChecksumKind::Crc32c, value) => request.checksum_crc32_c(value),
            (ChecksumKind::Crc32, value) => request.checksum_crc32(value),
            (ChecksumKind::Md5, value) => request.content_md5(value),
        };
        let request = request.set_storage_class(self.bucket.storage_class.clone()).set_acl(self.bucket.acl.clone());
        with_headers!(request, self)
    }

    /// A server-side copy. With `replace_headers` the copy gets this write's
    /// content type and metadata; otherwise it keeps the source's.
    pub fn copy(&self, request: CopyObjectFluentBuilder, replace_headers: bool) -> CopyObjectFluentBuilder {
        let request = request.set_storage_class(self.bucket.storage_class.clone()).set_acl(self.bucket.acl.clone());
        if replace_headers {
            with_headers!(request.metadata_directive(MetadataDirective::Replace), self)
        } else {
            request.metadata_directive(MetadataDirective::Copy)
        }
    }

    /// Starts a multipart upload whose parts carry the bucket's checksum kind.
    pub fn create_multipart(&self, request: CreateMultipartUploadFluentBuilder) -> CreateMultipartUploadFluentBuilder {
        let algorithm = match self.bucket.checksum {
            ChecksumKind::Crc32c => Some(S3ChecksumAlgorithm::Crc32C),
            ChecksumKind::Crc32 => Some(S3ChecksumAlgorithm::Crc32),
            ChecksumKind::Md5 => None,
        };
        let request = request
            .set_storage_class(self.bucket.storage_class.clone())
            .set_acl(self.bucket.acl.clone())
            .set_checksum_algorithm(algorithm);
        with_headers!(request, self)
    }

    /// One part of a multipart upload, with the checksum the storage verifies.
    pub fn part(&self, request: UploadPartFluentBuilder, checksum: &PartChecksum) -> UploadPartFluentBuilder {
        let value = checksum.value.clone();
        match checksum.kind {
            ChecksumKind::Crc32c => request.checksum_crc32_c(value),
            ChecksumKind::Crc32 => request.checksum_crc32(value),
            ChecksumKind::Md5 => request.content_md5(value),
        }
    }

    /// The part as CompleteMultipartUpload lists it, checksum included.
    pub fn completed_part(number: i32, etag: Option<&str>, checksum: &PartChecksum) -> CompletedPart {
        let part = CompletedPart::builder().part_number(number).set_e_tag(etag.map(str::to_owned));
        let value = Some(checksum.value.clone());
        match checksum.kind {
            ChecksumKind::Crc32c => part.set_checksum_crc32_c(value),
            ChecksumKind::Crc32 => part.set_checksum_crc32(value),
            ChecksumKind::Md5 => part,
        }
        .build()
    }

    fn metadata(&self) -> Option<std::collections::HashMap<String, String>> {
        let metadata = &self.headers.metadata;
        (!metadata.is_empty()).then(|| metadata.iter().map(|(k, v)| (k.clone(), header_safe(v))).collect())
    }
}

/// How objects are written into a bucket, kept with the work that writes
/// them later (a queued batch, a sync pair).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredWrites {
    storage_class: Option<String>,
    acl: Option<String>,
    checksum: ChecksumKind,
}

impl StoredWrites {
    pub fn of(writes: &BucketWrites) -> Self {
        Self {
            storage_class: writes.storage_class.as_ref().map(|c| c.as_str().to_owned()),
            acl: writes.acl.as_ref().map(|a| a.as_str().to_owned()),
            checksum: writes.checksum,
        }
    }

    pub fn writes(&self) -> BucketWrites {
        BucketWrites {
            storage_class: self.storage_class.as_deref().map(Into::into),
            acl: self.acl.as_deref().map(Into::into),
            checksum: self.checksum,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_values_travel_as_ascii() {
        assert_eq!(header_safe("plain"), "plain");
        assert_eq!(header_safe("Айгерім"), "=?UTF-8?B?0JDQudCz0LXRgNGW0Lw=?=");
    }

    #[test]
    fn a_checksum_in_pieces_equals_the_whole() {
        for kind in [ChecksumKind::Crc32c, ChecksumKind::Crc32, ChecksumKind::Md5] {
            let mut pieces = Checksummer::new(kind);
            pieces.update(b"hel");
            pieces.update(b"lo");
            assert_eq!(pieces.finish().value, checksum_of(kind, b"hello").1, "{kind:?}");
        }
    }

    #[test]
    fn checksums_match_known_values() {
        assert_eq!(checksum_of(ChecksumKind::Crc32c, b"hello").1, "mnG7TA==");
        assert_eq!(checksum_of(ChecksumKind::Crc32, b"hello").1, "NhCmhg==");
        assert_eq!(checksum_of(ChecksumKind::Md5, b"").1, "1B2M2Y8AsgTpgAmY7PhCfg==");
    }
}
