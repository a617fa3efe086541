#![warn(missing_docs)]
//! Manage [Hatchet](https://hatchet.run)'s scheduled workflow runs from Rust:
//! create, list, get, reschedule, trigger now and delete runs that a
//! workflow will start at a set time.
//!
//! ```no_run
//! use chrono::{Duration, Utc};
//! use futures_util::TryStreamExt;
//! use hatchet_scheduled::{ScheduledClient, ScheduledOrderField, ScheduledRunStatus, SortDirection};
//!
//! # async fn run() -> Result<(), hatchet_scheduled::Error> {
//! let client = ScheduledClient::from_env()?; // HATCHET_CLIENT_TOKEN, ...
//! let run = client
//!     .create("send-report", Utc::now() + Duration::hours(1))
//!     .input(&serde_json::json!({"report": "weekly"}))
//!     .metadata("env", "prod")
//!     .priority(2)
//!     .send()
//!     .await?;
//!
//! let page = client
//!     .list()
//!     .statuses([ScheduledRunStatus::Scheduled])
//!     .metadata("env", "prod")
//!     .order_by(ScheduledOrderField::TriggerAt, SortDirection::Asc)
//!     .limit(50)
//!     .send()
//!     .await?;
//! println!("{} due runs on the first page", page.items.len());
//!
//! let everything: Vec<_> = client.list().stream().try_collect().await?;
//! client.update(run.id, Utc::now() + Duration::hours(2)).await?;
//! client.delete(run.id).await?;
//! # Ok(()) }
//! ```
//!
//! Errors are one [`Error`] enum; arguments are checked before anything is
//! sent. A blocking twin lives in [`blocking`].

#[cfg(feature = "bench-internals")]
pub mod bench_support;
pub mod blocking;
mod bulk;
mod client;
mod config;
mod convert;
mod create;
mod error;
mod list;
mod model;
mod response;
mod retry;
mod tls;

pub use bulk::{BulkDeleteFilter, MAX_BULK_ITEMS};
pub use client::{ScheduledClient, USER_AGENT_VALUE};
pub use config::{ClientConfig, ClientConfigBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
pub use create::CreateBuilder;
pub use error::{ApiError, EXCERPT_LIMIT, Error, ErrorResponse};
pub use list::{ListBuilder, ListFilter, ScheduledOrderField, SortDirection};
pub use model::{
    BulkDeleteOutcome, BulkItemError, BulkUpdateOutcome, Page, ScheduleMethod, ScheduledRun,
    ScheduledRunStatus, StartedRun,
};
pub use retry::RetryPolicy;
