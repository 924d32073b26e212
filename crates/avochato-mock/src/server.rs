//! The accept loop: HTTP/1.1 on loopback, with a way to reset one connection.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, oneshot};
use tower::ServiceExt;

use crate::app::{self, Kill, Shared, lock};
use crate::faults::Fault;
use crate::recorder::Recorded;
use crate::state::Seed;

/// How to start the server.
#[derive(Clone, Debug)]
pub struct MockConfig {
    /// Port on 127.0.0.1 (0 picks a free one).
    pub port: u16,
    /// The seeded credential and default inbox.
    pub seed: Seed,
    /// Requests per second per credential (none: unlimited).
    pub rate_limit: Option<f64>,
    /// Whether to record requests for `/__mock/requests`.
    pub record: bool,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            port: 0,
            seed: Seed::default(),
            rate_limit: None,
            record: true,
        }
    }
}

/// A running server. Dropping it stops accepting connections.
pub struct MockServer {
    url: String,
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

/// Starts the server on a tokio runtime (the current one).
pub async fn spawn(config: MockConfig) -> std::io::Result<MockServer> {
    let listener = TcpListener::bind(("127.0.0.1", config.port)).await?;
    let addr = listener.local_addr()?;
    let shared = Arc::new(Shared::new(
        config.seed.clone(),
        config.rate_limit,
        config.record,
    ));
    let router = app::router(shared.clone());
    let (stop_tx, mut stop_rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = &mut stop_rx => break,
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    tokio::spawn(serve_connection(stream, router.clone()));
                }
            }
        }
    });
    Ok(MockServer {
        url: format!("http://127.0.0.1:{}", addr.port()),
        addr,
        shared,
        stop: Some(stop_tx),
        task: Some(task),
    })
}

async fn serve_connection(stream: TcpStream, router: axum::Router) {
    let _ = stream.set_nodelay(true);
    // Keep a second handle on the socket: to reset it, set SO_LINGER to 0 and close both.
    let Ok(std_stream) = stream.into_std() else {
        return;
    };
    let Ok(handle) = std_stream.try_clone() else {
        return;
    };
    let Ok(stream) = TcpStream::from_std(std_stream) else {
        return;
    };
    let kill = Arc::new(Notify::new());
    let kill_for_requests = kill.clone();
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(Kill(kill_for_requests.clone()));
        let router = router.clone();
        async move { router.oneshot(req.map(axum::body::Body::new)).await }
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = conn => {}
        _ = kill.notified() => {
            let _ = socket2::SockRef::from(&handle).set_linger(Some(Duration::ZERO));
        }
    }
    drop(handle);
}

impl MockServer {
    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> &str {
        &self.url
    }
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// The seeded owner credential's id.
    pub fn auth_id(&self) -> &str {
        &self.shared.seed.auth_id
    }
    /// The seeded owner credential's secret.
    pub fn auth_secret(&self) -> &str {
        &self.shared.seed.auth_secret
    }
    /// The seeded default inbox.
    pub fn subdomain(&self) -> &str {
        &self.shared.seed.subdomain
    }
    /// Requests received so far (secrets replaced).
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared.recorded).clone()
    }
    /// Adds a fault.
    pub fn add_fault(&self, fault: Fault) {
        lock(&self.shared.faults).push(fault);
    }
    /// Back to the seeded state.
    pub fn reset(&self) {
        self.shared.reset();
    }
    /// Stops accepting connections and waits for the accept loop to end.
    pub async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

/// A server on its own thread and runtime, for code that is not async.
pub struct BackgroundMock {
    server: Option<MockServer>,
    runtime: Option<tokio::runtime::Runtime>,
}

/// Starts the server on a runtime of its own.
pub fn spawn_background(config: MockConfig) -> std::io::Result<BackgroundMock> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let server = runtime.block_on(spawn(config))?;
    Ok(BackgroundMock {
        server: Some(server),
        runtime: Some(runtime),
    })
}

impl std::ops::Deref for BackgroundMock {
    type Target = MockServer;
    #[allow(clippy::expect_used)]
    fn deref(&self) -> &MockServer {
        // Set in spawn_background and taken only in drop.
        self.server.as_ref().expect("server is running")
    }
}

impl Drop for BackgroundMock {
    fn drop(&mut self) {
        drop(self.server.take());
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_timeout(Duration::from_millis(200));
        }
    }
}
