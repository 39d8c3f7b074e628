//! Whether this computer can reach the storage at all. The availability probe
//! asks before it counts a failure against the service: the terms count the
//! provider's downtime, not the customer's own network being down.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use url::{Host, Url};

#[async_trait]
pub trait Connectivity: Send + Sync {
    /// Whether this computer is online as far as reaching `endpoint` goes.
    async fn online(&self, endpoint: &Url) -> bool;
}

/// The operating system's own view: the endpoint's name resolves, and the
/// system has a route to one of its addresses. Asking the routing table for
/// the endpoint's own address covers a LAN storage without internet as well
/// as a laptop whose Wi-Fi is off, with no platform-specific parsing.
#[derive(Debug, Default)]
pub struct SystemConnectivity;

/// A resolver without a network can take its whole retry schedule to give up.
const RESOLVE_WAIT: Duration = Duration::from_secs(5);

#[async_trait]
impl Connectivity for SystemConnectivity {
    async fn online(&self, endpoint: &Url) -> bool {
        let port = endpoint.port_or_known_default().unwrap_or(443);
        let addresses: Vec<SocketAddr> = match endpoint.host() {
            None => return false,
            Some(Host::Ipv4(ip)) => vec![SocketAddr::new(IpAddr::V4(ip), port)],
            Some(Host::Ipv6(ip)) => vec![SocketAddr::new(IpAddr::V6(ip), port)],
            Some(Host::Domain(name)) if name.eq_ignore_ascii_case("localhost") => {
                vec![SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port)]
            }
            Some(Host::Domain(name)) => {
                match tokio::time::timeout(RESOLVE_WAIT, tokio::net::lookup_host((name, port))).await {
                    Ok(Ok(found)) => found.collect(),
                    Ok(Err(_)) | Err(_) => return false,
                }
            }
        };
        for address in addresses {
            if has_route(address).await {
                return true;
            }
        }
        false
    }
}

/// Connecting a UDP socket sends nothing; it only asks the kernel for a
/// route, which fails at once ("network unreachable") when there is none.
async fn has_route(to: SocketAddr) -> bool {
    if to.ip().is_loopback() {
        return true;
    }
    let any: SocketAddr = match to {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    match tokio::net::UdpSocket::bind(any).await {
        Ok(socket) => socket.connect(to).await.is_ok(),
        Err(_) => false,
    }
}

/// A switch in place of the network, for tests: online or offline as set,
/// counting how often it was asked so a test can wait for the probe to have
/// weighed a failure.
#[derive(Debug)]
pub struct SwitchedConnectivity {
    online: AtomicBool,
    asked: AtomicU64,
}

impl SwitchedConnectivity {
    pub fn new(online: bool) -> Self {
        Self { online: AtomicBool::new(online), asked: AtomicU64::new(0) }
    }

    pub fn set_online(&self, online: bool) {
        self.online.store(online, Ordering::SeqCst);
    }

    /// How many times the probe has asked so far.
    pub fn asked(&self) -> u64 {
        self.asked.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl Connectivity for SwitchedConnectivity {
    async fn online(&self, _endpoint: &Url) -> bool {
        self.asked.fetch_add(1, Ordering::SeqCst);
        self.online.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[tokio::test]
    async fn loopback_endpoints_are_always_reachable() {
        for endpoint in ["http://127.0.0.1:3900", "http://localhost:9000", "http://[::1]:3900"] {
            assert!(SystemConnectivity.online(&url(endpoint)).await, "{endpoint}");
        }
    }

    #[tokio::test]
    async fn a_name_that_cannot_resolve_is_offline() {
        // `.invalid` never resolves anywhere (RFC 2606).
        assert!(!SystemConnectivity.online(&url("https://qoima-probe.invalid")).await);
    }

    #[tokio::test]
    async fn the_switch_says_what_it_was_set_to_and_counts_questions() {
        let switch = SwitchedConnectivity::new(false);
        let endpoint = url("http://127.0.0.1:1");
        assert!(!switch.online(&endpoint).await);
        switch.set_online(true);
        assert!(switch.online(&endpoint).await);
        assert_eq!(switch.asked(), 2);
    }
}
