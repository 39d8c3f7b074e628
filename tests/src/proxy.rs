//! A TCP proxy between the engine and a server that misbehaves on purpose:
//! the first connections are cut after a number of bytes in either
//! direction, so a transfer must retry to finish, or have one byte of what
//! the server sends flipped, so a download must notice. Without faults it
//! counts what the client sends, to tell a server-side copy from an upload.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

#[derive(Debug, Clone)]
enum Fault {
    /// Closed once this many bytes have passed, either way.
    Cut(usize),
    /// Silent once this many bytes have passed, either way, but kept open:
    /// a connection that stands still.
    Stall(usize),
    /// One byte in every `every` the server sends (counted over all
    /// connections) inverted, until `left` runs out.
    Flip { every: usize, seen: Arc<AtomicUsize>, left: Arc<AtomicUsize> },
}

pub struct FaultyProxy {
    pub endpoint: String,
    /// Faults done so far: connections cut, or bytes flipped.
    pub cuts: Arc<AtomicUsize>,
    /// Bytes the client sent so far, over every connection.
    pub sent: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl Drop for FaultyProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FaultyProxy {
    /// Forwards to `upstream` (`host:port`) without a fault.
    pub async fn plain(upstream: &str) -> Self {
        Self::with_fault(upstream, 0, Fault::Cut(usize::MAX)).await
    }

    /// Forwards to `upstream`; each of the first `faulty`
    /// connections is closed once `cut_after` bytes have passed through it.
    pub async fn start(upstream: &str, faulty: usize, cut_after: usize) -> Self {
        Self::with_fault(upstream, faulty, Fault::Cut(cut_after)).await
    }

    /// Forwards to `upstream`; each of the first `faulty` connections stops
    /// moving once `after` bytes have passed, and stays open.
    pub async fn stalling(upstream: &str, faulty: usize, after: usize) -> Self {
        Self::with_fault(upstream, faulty, Fault::Stall(after)).await
    }

    /// Forwards to `upstream`, inverting one byte in every `every` bytes the
    /// server sends (headers included), `flips` times in all.
    pub async fn corrupting(upstream: &str, flips: usize, every: usize) -> Self {
        let fault = Fault::Flip { every, seen: Arc::new(AtomicUsize::new(0)), left: Arc::new(AtomicUsize::new(flips)) };
        Self::with_fault(upstream, usize::MAX, fault).await
    }

    async fn with_fault(upstream: &str, faulty: usize, fault: Fault) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let upstream = upstream.to_owned();
        let (cuts, sent) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let accepted = Arc::new(AtomicUsize::new(0));
        let counters = (cuts.clone(), sent.clone());
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let number = accepted.fetch_add(1, Ordering::SeqCst);
                let fault = (number < faulty).then(|| fault.clone());
                let upstream = upstream.clone();
                let (cuts, sent) = counters.clone();
                tokio::spawn(async move {
                    if let Ok(server) = TcpStream::connect(&upstream).await {
                        pipe(client, server, fault, cuts, sent).await;
                    }
                });
            }
        });
        Self { endpoint, cuts, sent, task }
    }

    pub fn sent(&self) -> usize {
        self.sent.load(Ordering::SeqCst)
    }
}

async fn pipe(
    client: TcpStream,
    server: TcpStream,
    fault: Option<Fault>,
    cuts: Arc<AtomicUsize>,
    sent: Arc<AtomicUsize>,
) {
    let (limit, stall) = match fault {
        Some(Fault::Cut(after)) => (Some(after), false),
        Some(Fault::Stall(after)) => (Some(after), true),
        _ => (None, false),
    };
    let flip = match fault {
        Some(Fault::Flip { every, seen, left }) => Some((every, seen, left)),
        _ => None,
    };
    let flips = cuts.clone();
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
            if up_over(&up_passed, n) {
                stop(stall).await;
                return;
            }
            sent.fetch_add(n, Ordering::SeqCst);
            if server_write.write_all(&buffer[..n]).await.is_err() {
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
            if let Some((every, seen, left)) = &flip {
                let start = seen.fetch_add(n, Ordering::SeqCst);
                let next = start.div_ceil(*every).max(1) * every;
                if next < start + n
                    && left.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |l| l.checked_sub(1)).is_ok()
                {
                    buffer[next - start] ^= 0xff;
                    flips.fetch_add(1, Ordering::SeqCst);
                }
            }
            if over(&passed, n) {
                stop(stall).await;
                return;
            }
            if client_write.write_all(&buffer[..n]).await.is_err() {
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

/// At the fault: a cut returns at once (dropping its sockets); a stall holds
/// them open, moving nothing, until the other direction ends.
async fn stop(stall: bool) {
    if stall {
        std::future::pending::<()>().await;
    }
}
