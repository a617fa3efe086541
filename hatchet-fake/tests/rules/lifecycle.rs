//! The fake itself: what its `Debug` shows, and how it stops.

use std::{net::TcpStream, time::Duration};

use hatchet_fake::FakeHatchet;

#[tokio::test]
async fn debug_shows_where_it_serves_and_for_which_tenant() {
    let fake = FakeHatchet::start().await;
    assert_eq!(
        format!("{fake:?}"),
        format!(
            "FakeHatchet {{ base_url: {:?}, tenant_id: {}, .. }}",
            fake.base_url(),
            fake.tenant_id()
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn shutdown_returns_once_nothing_listens() {
    let fake = FakeHatchet::start().await;
    let address = fake.address();
    assert!(TcpStream::connect(address).is_ok());
    fake.shutdown().await;
    assert!(
        TcpStream::connect(address).is_err(),
        "stopped when shutdown returns"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn dropping_the_fake_stops_it() {
    let fake = FakeHatchet::start().await;
    let address = fake.address();
    drop(fake);
    let stopped = async {
        while TcpStream::connect(address).is_ok() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(5), stopped)
        .await
        .expect("nothing listens soon after the fake is dropped");
}
