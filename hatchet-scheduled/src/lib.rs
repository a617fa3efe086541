#![warn(missing_docs)]
#![doc = include_str!("../README.md")]

#[cfg(feature = "bench-internals")]
pub mod bench_support;
pub mod blocking;
mod bulk;
mod client;
mod config;
mod connection;
mod convert;
mod create;
mod cron;
mod cron_expression;
mod error;
mod list;
mod model;
mod namespace;
mod operation;
mod response;
mod rest;
mod retry;
mod sync;
mod tls;
mod token;

pub use bulk::{BulkDeleteFilter, MAX_BULK_ITEMS};
pub use client::{ScheduledClient, USER_AGENT_VALUE};
pub use config::{ClientConfig, ClientConfigBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
pub use create::{CreateBuilder, CronCreateBuilder, RunInput};
pub use cron::CronClient;
pub use cron_expression::CronExpression;
pub use error::{ApiError, EXCERPT_LIMIT, Error, ErrorResponse};
pub use list::{CronListBuilder, CronOrderField, ListBuilder, ScheduledOrderField, SortDirection};
pub use model::{
    BulkDeleteOutcome, BulkItemError, BulkUpdateOutcome, CronTrigger, Page, ScheduleMethod,
    ScheduledRun, ScheduledRunStatus, StartedRun,
};
pub use retry::RetryPolicy;
pub use sync::{CronReplaceBuilder, CronSpec, CronSyncBuilder, SyncPlan, SyncReport};
