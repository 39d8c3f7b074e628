//! The built-in demo storage: a real S3 server (s3s-fs) serving a folder of
//! its own on loopback, inside the app, so the browser can be tried before
//! any account exists.

mod folders;

#[cfg(test)]
pub(crate) use folders::delegate;

use std::path::{Path, PathBuf};

use aws_sdk_s3::primitives::ByteStream;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder as ConnBuilder;
use s3s::S3;
use s3s::auth::SimpleAuth;
use s3s::service::S3ServiceBuilder;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::storage::{ConnectionParams, RetryPolicy, S3Client, StorageError};
use crate::time::SharedClock;

pub const DEMO_REGION: &str = "us-east-1";

/// A hidden file beside the buckets, written once the samples are in.
const SEEDED_MARKER: &str = ".qoima-demo-seeded";

/// Sample content: buckets, keys and text, small enough to write at first start.
const SAMPLES: &[(&str, &str, &str)] = &[
    ("documents", "README.txt", "This is Qoima's demo storage. Everything here lives in a folder on this computer.\n"),
    ("documents", "contracts/2026/agreement-draft.txt", "Draft agreement.\n"),
    ("documents", "contracts/2026/Келісімшарт.txt", "Келісімшарттың жобасы.\n"),
    ("documents", "reports/Есеп 2026.txt", "Жылдық есеп.\n"),
    ("documents", "reports/Отчёт за квартал.txt", "Квартальный отчёт.\n"),
    ("documents", "reports/summary.csv", "month,files\nJanuary,12\nFebruary,19\n"),
    (
        "photos",
        "almaty/medeu.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\"><rect width=\"64\" height=\"64\" fill=\"#4a90d9\"/></svg>\n",
    ),
    (
        "photos",
        "astana/baiterek.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\"><circle cx=\"32\" cy=\"32\" r=\"30\" fill=\"#f5c542\"/></svg>\n",
    ),
    ("photos", "notes.txt", "Photos from the trip.\n"),
    ("backup-2026", "laptop/settings.json", "{\"theme\": \"light\"}\n"),
];

pub struct DemoServer {
    pub params: ConnectionParams,
    pub secret: String,
    task: JoinHandle<()>,
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn random_token(len: usize) -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut rng = rand::rng();
    (0..len).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

impl DemoServer {
    /// Serves `root` (created and filled with samples when new) on a free
    /// loopback port with a key made for this run.
    pub async fn start(root: &Path, clock: SharedClock) -> Result<Self, StorageError> {
        std::fs::create_dir_all(root)
            .map_err(|e| StorageError::Other(format!("demo folder {}: {e}", root.display())))?;
        let fs = s3s_fs::FileSystem::new(root).map_err(|e| StorageError::Other(format!("demo storage: {e:?}")))?;
        let server = Self::serve(folders::DemoFolders::new(fs, root)).await?;
        // Seeded once; a start cut short before the marker seeds again.
        let seeded = root.join(SEEDED_MARKER);
        if !seeded.exists() {
            server.seed(clock).await?;
            std::fs::write(&seeded, b"").map_err(|e| StorageError::Other(format!("demo marker: {e}")))?;
        }
        Ok(server)
    }

    /// Serves an S3 implementation on a free loopback port with a new key.
    pub(crate) async fn serve(storage: impl S3) -> Result<Self, StorageError> {
        let access_key = format!("DEMO{}", random_token(16));
        let secret = random_token(40);
        let service = {
            let mut builder = S3ServiceBuilder::new(storage);
            builder.set_auth(SimpleAuth::from_single(access_key.clone(), secret.clone()));
            builder.build()
        };
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(|e| StorageError::Other(format!("demo storage cannot listen: {e}")))?;
        let port = listener.local_addr().map_err(|e| StorageError::Other(e.to_string()))?.port();
        let task = tokio::spawn(async move {
            let http = ConnBuilder::new(TokioExecutor::new());
            while let Ok((socket, _)) = listener.accept().await {
                let conn = http.serve_connection(TokioIo::new(socket), service.clone()).into_owned();
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
        });
        Ok(Self {
            params: ConnectionParams {
                endpoint: format!("http://127.0.0.1:{port}"),
                region: DEMO_REGION.into(),
                access_key_id: access_key,
                path_style: true,
            },
            secret,
            task,
        })
    }

    async fn seed(&self, clock: SharedClock) -> Result<(), StorageError> {
        let client = S3Client::new(&self.params, &self.secret, clock, RetryPolicy::Standard)?;
        let mut buckets: Vec<&str> = SAMPLES.iter().map(|(b, _, _)| *b).collect();
        buckets.dedup();
        for bucket in buckets {
            let created = client.sdk().create_bucket().bucket(bucket).send().await;
            if let Err(err) = created
                && !err
                    .as_service_error()
                    .is_some_and(|e| e.is_bucket_already_owned_by_you() || e.is_bucket_already_exists())
            {
                return Err(client.failure(err));
            }
        }
        for (bucket, key, body) in SAMPLES {
            client
                .sdk()
                .put_object()
                .bucket(*bucket)
                .key(*key)
                .body(ByteStream::from_static(body.as_bytes()))
                .send()
                .await
                .map_err(|e| client.failure(e))?;
        }
        Ok(())
    }
}

pub fn demo_root(data_dir: &Path) -> PathBuf {
    data_dir.join("demo-storage")
}
