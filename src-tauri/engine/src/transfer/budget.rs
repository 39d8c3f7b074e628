//! One budget for everything that moves data: how many requests are in
//! flight across all files and parts, and how many bytes a second go each way.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// Requests in flight across every transfer. Measured here against Garage:
/// many small files are held up by round trips and each file's fsync, not
/// by the CPU, and 32 at once fetched 500 of them in half the time 16 took.
pub const REQUESTS_IN_FLIGHT: usize = 32;

#[derive(Debug, Clone)]
pub struct Budget {
    requests: Arc<Semaphore>,
    pub upload: Throttle,
    pub download: Throttle,
}

impl Default for Budget {
    fn default() -> Self {
        Self::new(REQUESTS_IN_FLIGHT)
    }
}

impl Budget {
    pub fn new(requests: usize) -> Self {
        Self {
            requests: Arc::new(Semaphore::new(requests.max(1))),
            upload: Throttle::default(),
            download: Throttle::default(),
        }
    }

    /// Held while one request (a part, a range, a small file) is under way.
    pub async fn request(&self) -> OwnedSemaphorePermit {
        self.requests.clone().acquire_owned().await.expect("the semaphore is never closed")
    }
}

/// A token bucket whose rate can change while transfers run. Written here
/// rather than taken from a rate-limiting crate because the limit is a
/// setting the person changes at any time, which those fix at creation.
#[derive(Debug, Clone, Default)]
pub struct Throttle(Arc<Mutex<Bucket>>);

#[derive(Debug, Default)]
struct Bucket {
    /// Bytes per second; 0 is no limit.
    rate: u64,
    /// May go below zero: a chunk is let through and its debt waited off.
    tokens: f64,
    last: Option<Instant>,
}

/// A quarter of a second's worth may go at once, so the line is never
/// flooded for long, whatever the chunk sizes.
const BURST_SECONDS: f64 = 0.25;

impl Throttle {
    pub fn set_rate(&self, bytes_per_second: Option<u64>) {
        let mut bucket = self.0.lock().unwrap();
        bucket.rate = bytes_per_second.unwrap_or(0);
        bucket.tokens = 0.0;
        bucket.last = None;
    }

    pub fn rate(&self) -> Option<u64> {
        Some(self.0.lock().unwrap().rate).filter(|r| *r > 0)
    }

    /// Waits until `bytes` may go.
    pub async fn take(&self, bytes: u64) {
        let wait = {
            let mut bucket = self.0.lock().unwrap();
            if bucket.rate == 0 {
                return;
            }
            let now = Instant::now();
            let rate = bucket.rate as f64;
            let elapsed = bucket.last.map_or(0.0, |last| now.duration_since(last).as_secs_f64());
            bucket.tokens = (bucket.tokens + elapsed * rate).min(rate * BURST_SECONDS);
            bucket.last = Some(now);
            bucket.tokens -= bytes as f64;
            (bucket.tokens < 0.0).then(|| Duration::from_secs_f64(-bucket.tokens / rate))
        };
        if let Some(wait) = wait {
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_limit_spreads_bytes_over_time() {
        let throttle = Throttle::default();
        throttle.set_rate(Some(1_000_000));
        let start = Instant::now();
        for _ in 0..40 {
            throttle.take(100_000).await;
        }
        let took = start.elapsed().as_secs_f64();
        assert!((3.9..=4.1).contains(&took), "4 MB at 1 MB/s took {took} s");
    }

    #[tokio::test(start_paused = true)]
    async fn no_limit_never_waits_and_a_lifted_limit_stops_waiting() {
        let throttle = Throttle::default();
        let start = Instant::now();
        throttle.take(u64::MAX / 2).await;
        throttle.set_rate(Some(10));
        throttle.take(100).await;
        let limited = start.elapsed();
        assert!(limited >= Duration::from_secs(9), "{limited:?}");
        throttle.set_rate(None);
        throttle.take(1 << 40).await;
        assert_eq!(start.elapsed(), limited);
    }
}
