//! The demo storage is s3s-fs with folders as a person expects them.
//!
//! s3s-fs keeps a folder marker (`name/`) as a directory but lists only
//! files, so a folder just created would never show. Here every directory
//! directly under a listed folder shows as a folder, and deleting a folder's
//! marker also takes the empty directories under it, so nothing lingers.
//! A marker reads as a zero-byte object and copies as a new directory, so
//! renaming an empty folder works as on any S3 server.

use std::path::{Component, Path, PathBuf};

use s3s::dto::*;
use s3s::{S3, S3Request, S3Response, S3Result, s3_error};

pub struct DemoFolders {
    fs: s3s_fs::FileSystem,
    root: PathBuf,
}

impl DemoFolders {
    pub fn new(fs: s3s_fs::FileSystem, root: &Path) -> Self {
        Self { fs, root: root.to_path_buf() }
    }

    /// The directory of `bucket/prefix`, if the prefix names one safely.
    fn directory(&self, bucket: &str, prefix: &str) -> Option<PathBuf> {
        let relative = Path::new(bucket).join(prefix);
        relative.components().all(|c| matches!(c, Component::Normal(_))).then(|| self.root.join(relative))
    }
}

fn subdirectories(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .collect()
}

fn holds_files(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.filter_map(Result::ok).any(|e| match e.file_type() {
            Ok(t) if t.is_dir() => holds_files(&e.path()),
            _ => true,
        })
    })
}

/// A folder marker is deleted: its directory goes if no file is left in it.
fn remove_if_empty(dir: Option<PathBuf>) {
    if let Some(dir) = dir
        && dir.is_dir()
        && !holds_files(&dir)
        && let Err(err) = std::fs::remove_dir_all(&dir)
    {
        tracing::warn!("demo folder {} not removed: {err}", dir.display());
    }
}

/// Hands an operation to s3s-fs unchanged. Written in the form
/// `async_trait` gives methods, since it cannot see into a macro's output.
macro_rules! delegate {
    ($($method:ident: $input:ident => $output:ident),* $(,)?) => {
        $(
            fn $method<'life0, 'async_trait>(
                &'life0 self,
                req: S3Request<$input>,
            ) -> std::pin::Pin<Box<dyn std::future::Future<Output = S3Result<S3Response<$output>>> + Send + 'async_trait>>
            where
                'life0: 'async_trait,
                Self: 'async_trait,
            {
                self.fs.$method(req)
            }
        )*
    };
}
#[cfg(test)]
pub(crate) use delegate;

#[async_trait::async_trait]
impl S3 for DemoFolders {
    delegate! {
        create_bucket: CreateBucketInput => CreateBucketOutput,
        delete_bucket: DeleteBucketInput => DeleteBucketOutput,
        get_bucket_location: GetBucketLocationInput => GetBucketLocationOutput,
        get_object: GetObjectInput => GetObjectOutput,
        head_bucket: HeadBucketInput => HeadBucketOutput,
        list_buckets: ListBucketsInput => ListBucketsOutput,
        list_objects: ListObjectsInput => ListObjectsOutput,
        put_object: PutObjectInput => PutObjectOutput,
        create_multipart_upload: CreateMultipartUploadInput => CreateMultipartUploadOutput,
        upload_part: UploadPartInput => UploadPartOutput,
        upload_part_copy: UploadPartCopyInput => UploadPartCopyOutput,
        list_parts: ListPartsInput => ListPartsOutput,
        complete_multipart_upload: CompleteMultipartUploadInput => CompleteMultipartUploadOutput,
        abort_multipart_upload: AbortMultipartUploadInput => AbortMultipartUploadOutput,
    }

    async fn list_objects_v2(&self, req: S3Request<ListObjectsV2Input>) -> S3Result<S3Response<ListObjectsV2Output>> {
        let bucket = req.input.bucket.clone();
        let prefix = req.input.prefix.clone().unwrap_or_default();
        let by_folder = req.input.delimiter.as_deref() == Some("/");
        let mut response = self.fs.list_objects_v2(req).await?;
        let last_page = response.output.next_continuation_token.is_none();
        let folder_prefix = prefix.is_empty() || prefix.ends_with('/');
        if let (true, true, true, Some(dir)) = (by_folder, last_page, folder_prefix, self.directory(&bucket, &prefix)) {
            let prefixes = response.output.common_prefixes.get_or_insert_with(Vec::new);
            for name in subdirectories(&dir) {
                let folder = format!("{prefix}{name}/");
                if !prefixes.iter().any(|p| p.prefix.as_deref() == Some(folder.as_str())) {
                    prefixes.push(CommonPrefix { prefix: Some(folder) });
                }
            }
            prefixes.sort_by(|a, b| a.prefix.cmp(&b.prefix));
            let count = prefixes.len() + response.output.contents.as_ref().map_or(0, Vec::len);
            response.output.key_count = Some(count as i32);
        }
        Ok(response)
    }

    async fn head_object(&self, req: S3Request<HeadObjectInput>) -> S3Result<S3Response<HeadObjectOutput>> {
        if req.input.key.ends_with('/') {
            return match self.directory(&req.input.bucket, &req.input.key) {
                Some(dir) if dir.is_dir() => {
                    Ok(S3Response::new(HeadObjectOutput { content_length: Some(0), ..Default::default() }))
                }
                _ => Err(s3_error!(NoSuchKey)),
            };
        }
        self.fs.head_object(req).await
    }

    async fn copy_object(&self, req: S3Request<CopyObjectInput>) -> S3Result<S3Response<CopyObjectOutput>> {
        let source_marker = match &req.input.copy_source {
            CopySource::Bucket { bucket, key, .. } if key.ends_with('/') => Some(self.directory(bucket, key)),
            _ => None,
        };
        let Some(source) = source_marker else { return self.fs.copy_object(req).await };
        let target = self.directory(&req.input.bucket, &req.input.key);
        match (source, target) {
            (Some(source), Some(target)) if source.is_dir() && req.input.key.ends_with('/') => {
                std::fs::create_dir_all(&target).map_err(|e| s3_error!(InternalError, "{e}"))?;
                Ok(S3Response::new(CopyObjectOutput::default()))
            }
            _ => Err(s3_error!(NoSuchKey)),
        }
    }

    async fn delete_object(&self, req: S3Request<DeleteObjectInput>) -> S3Result<S3Response<DeleteObjectOutput>> {
        let marker = req.input.key.ends_with('/').then(|| self.directory(&req.input.bucket, &req.input.key));
        let response = self.fs.delete_object(req).await?;
        remove_if_empty(marker.flatten());
        Ok(response)
    }

    async fn delete_objects(&self, req: S3Request<DeleteObjectsInput>) -> S3Result<S3Response<DeleteObjectsOutput>> {
        let bucket = req.input.bucket.clone();
        let markers: Vec<String> =
            req.input.delete.objects.iter().map(|o| o.key.clone()).filter(|k| k.ends_with('/')).collect();
        let response = self.fs.delete_objects(req).await?;
        for marker in markers {
            remove_if_empty(self.directory(&bucket, &marker));
        }
        Ok(response)
    }
}
