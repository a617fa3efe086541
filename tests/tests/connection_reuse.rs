//! No per-call connection setup: a client (and its clones, and the cron
//! client it gives) keeps its connections open and reuses them. The server sits behind a tiny TCP
//! proxy that counts the connections it accepts.
//!
//! The tests run on a current-thread runtime, as the blocking client does.
//! hyper puts a connection back in the pool when the connection task has
//! finished the response; on a multi-threaded runtime a call that starts
//! before that (racing on another thread) may open a spare connection,
//! which is then pooled and reused too. That is bounded reuse, not
//! per-call setup, but it would make "exactly one" a race.

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use chrono::{TimeDelta, Utc};
use futures_util::{TryStreamExt, future::try_join_all};
use hatchet_scheduled::{CronClient, ScheduledClient};
use tokio::net::{TcpListener, TcpStream};
use wiremock::MockServer;

use crate::support::*;

/// Forwards every accepted connection to `upstream`, counting them.
struct CountingProxy {
    url: String,
    accepted: Arc<AtomicUsize>,
}

impl CountingProxy {
    async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = accepted.clone();
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(async move {
                    let mut outbound = TcpStream::connect(upstream).await.unwrap();
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                });
            }
        });
        Self { url, accepted }
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

/// A mock Hatchet answering get, list and create of schedules, and get and
/// list of crons, behind a counting proxy.
async fn hatchet_behind_proxy() -> (MockServer, CountingProxy) {
    let server = server_with([
        answer("GET", &run_path(), default_run()),
        answer(
            "GET",
            &api_path("scheduled"),
            list_json(rows(0, 3), 1, 1, 1),
        ),
        create_answer(),
        answer("GET", &cron_path(), default_cron()),
        answer(
            "GET",
            &api_path("crons"),
            list_json(cron_rows(0, 3), 1, 1, 1),
        ),
    ])
    .await;
    let proxy = CountingProxy::start(*server.address()).await;
    (server, proxy)
}

fn client_for(proxy: &CountingProxy) -> ScheduledClient {
    client_from(config(&proxy.url))
}

/// Call `i` of a mix of get, list and create.
async fn mixed_call(client: &ScheduledClient, i: usize) {
    match i % 3 {
        0 => assert_eq!(client.get(RUN_ID).await.unwrap().id, RUN_ID),
        1 => assert_eq!(client.list().limit(3).send().await.unwrap().items.len(), 3),
        _ => {
            let run = client.create("send-email", Utc::now() + TimeDelta::hours(1));
            assert_eq!(run.send().await.unwrap().id, RUN_ID);
        }
    }
}

/// Lets connections whose responses were just read go back to the pool
/// (hyper may return them from a background task).
async fn settle() {
    tokio::time::sleep(Duration::from_millis(200)).await;
}

#[tokio::test]
async fn fifty_sequential_calls_use_one_connection() {
    let (_server, proxy) = hatchet_behind_proxy().await;
    let client = client_for(&proxy);
    for i in 0..50 {
        mixed_call(&client, i).await;
    }
    assert_eq!(
        proxy.accepted(),
        1,
        "sequential calls must reuse the connection"
    );
}

#[tokio::test]
async fn concurrent_calls_open_at_most_one_connection_each_then_reuse_them() {
    let (_server, proxy) = hatchet_behind_proxy().await;
    let client = client_for(&proxy);
    let burst = || try_join_all((0..64).map(|_| client.get(RUN_ID)));

    assert_eq!(burst().await.unwrap().len(), 64);
    let opened = proxy.accepted();
    assert!(
        (1..=64).contains(&opened),
        "64 concurrent calls opened {opened} connections"
    );

    settle().await;
    assert_eq!(burst().await.unwrap().len(), 64);
    assert_eq!(
        proxy.accepted(),
        opened,
        "a second burst must reuse the pooled connections"
    );
}

#[tokio::test]
async fn clones_share_the_connection_pool() {
    let (_server, proxy) = hatchet_behind_proxy().await;
    let client = client_for(&proxy);
    mixed_call(&client, 0).await;
    assert_eq!(proxy.accepted(), 1);

    let clone = client.clone();
    for i in 0..12 {
        mixed_call(&clone, i).await;
    }
    let streamed: Vec<_> = clone.list().limit(3).stream().try_collect().await.unwrap();
    assert_eq!(streamed.len(), 3);
    let moved = client.clone();
    tokio::spawn(async move { mixed_call(&moved, 1).await })
        .await
        .unwrap();
    assert_eq!(proxy.accepted(), 1, "calls through clones must not connect");

    // The counter does see new connections: a client built separately has
    // its own pool.
    mixed_call(&client_for(&proxy), 0).await;
    assert_eq!(proxy.accepted(), 2);
}

#[tokio::test]
async fn crons_share_the_scheduled_clients_connection() {
    let (_server, proxy) = hatchet_behind_proxy().await;
    let client = client_for(&proxy);
    let crons = client.crons();
    for i in 0..6 {
        mixed_call(&client, i).await;
        assert_eq!(crons.get(CRON_ID).await.unwrap().id, CRON_ID);
        assert_eq!(crons.list().limit(3).send().await.unwrap().items.len(), 3);
    }
    assert_eq!(
        proxy.accepted(),
        1,
        "scheduled and cron calls must share one connection"
    );

    // A cron client built on its own has its own pool.
    let own = CronClient::new(config(&proxy.url).build().unwrap()).unwrap();
    own.get(CRON_ID).await.unwrap();
    assert_eq!(proxy.accepted(), 2);
}

#[test]
fn the_blocking_client_reuses_its_connection_too() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (_server, proxy) = runtime.block_on(hatchet_behind_proxy());
    let client = blocking_client(&proxy.url);
    let clone = client.clone();
    let crons = client.crons();
    for _ in 0..10 {
        assert_eq!(client.get(RUN_ID).unwrap().id, RUN_ID);
        assert_eq!(clone.list().limit(3).send().unwrap().items.len(), 3);
        assert_eq!(crons.get(CRON_ID).unwrap().id, CRON_ID);
    }
    assert_eq!(proxy.accepted(), 1);
}
