//! Binding and serving: the fake's router on a free local port, until the
//! fake stops.

use std::{
    net::{Ipv4Addr, SocketAddr},
    sync::Arc,
};

use tokio::{net::TcpListener, sync::watch, task::JoinHandle};

use crate::{
    router::router,
    state::{Shared, State},
};

/// A running server: its address, shared state and task.
pub(crate) struct Running {
    pub(crate) address: SocketAddr,
    pub(crate) shared: Arc<Shared>,
    pub(crate) stop: watch::Sender<bool>,
    pub(crate) task: JoinHandle<()>,
}

/// Binds `127.0.0.1:0` and serves on the current Tokio runtime. The token
/// is minted from the bound address, so it is made by `mint_token`.
pub(crate) async fn start(
    state: State,
    mint_token: impl FnOnce(&str) -> String,
) -> std::io::Result<Running> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let address = listener.local_addr()?;
    let (stop, shutdown) = watch::channel(false);
    let token = mint_token(&format!("http://{address}"));
    let shared = Arc::new(Shared::new(state, token, shutdown.clone()));
    let app = router(shared.clone());
    let task = tokio::spawn(async move {
        let mut shutdown = shutdown;
        let stopped = async move {
            let _ = shutdown.wait_for(|stopped| *stopped).await;
        };
        // An accept loop error ends the fake; tests then see connection errors.
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(stopped)
            .await;
    });
    Ok(Running {
        address,
        shared,
        stop,
        task,
    })
}
