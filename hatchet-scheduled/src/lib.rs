#![warn(missing_docs)]
#![doc = include_str!("../README.md")]

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
mod rest;
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
