//! A TCP proxy between the engine and a server that breaks connections on
//! purpose: the first connections are cut after a number of bytes in either
//! direction, so a transfer must retry to finish.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

pub struct FaultyProxy {
    pub endpoint: String,
    /// Connections cut so far.
    pub cuts: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl Drop for FaultyProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FaultyProxy {
    /// Forwards to `upstream` (`host:port`); each of the first `faulty`
    /// connections is closed once `cut_after` bytes have passed through it.
    pub async fn start(upstream: &str, faulty: usize, cut_after: usize) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let upstream = upstream.to_owned();
        let cuts = Arc::new(AtomicUsize::new(0));
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = cuts.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let number = accepted.fetch_add(1, Ordering::SeqCst);
                let limit = (number < faulty).then_some(cut_after);
                let upstream = upstream.clone();
                let cuts = counter.clone();
                tokio::spawn(async move {
                    if let Ok(server) = TcpStream::connect(&upstream).await {
                        pipe(client, server, limit, cuts).await;
                    }
                });
            }
        });
        Self { endpoint, cuts, task }
    }
}

async fn pipe(client: TcpStream, server: TcpStream, limit: Option<usize>, cuts: Arc<AtomicUsize>) {
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let passed = Arc::new(AtomicUsize::new(0));
    // Counts the cut when it happens, whichever direction crosses the limit.
    let over = move |passed: &AtomicUsize, n: usize| {
        let cut = limit.is_some_and(|l| passed.fetch_add(n, Ordering::SeqCst) + n > l);
        if cut {
            cuts.fetch_add(1, Ordering::SeqCst);
        }
        cut
    };
    let up_over = over.clone();
    let up_passed = passed.clone();
    let up = async move {
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let n = match client_read.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            if up_over(&up_passed, n) || server_write.write_all(&buffer[..n]).await.is_err() {
                return;
            }
        }
    };
    let down = async move {
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let n = match server_read.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            if over(&passed, n) || client_write.write_all(&buffer[..n]).await.is_err() {
                return;
            }
        }
    };
    // Either direction ending ends both: the connection is gone mid-body.
    tokio::select! {
        () = up => {},
        () = down => {},
    }
}
