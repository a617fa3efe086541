//! hatchet-scheduled's integration tests: one binary, a module per concern.
//! `support` holds what the concerns share; `recorder` is the recording
//! proxy the live suite and the contract test put before their servers.

mod recorder;
mod support;

mod blocking;
mod connection_reuse;
mod contract;
mod decoding;
mod e2e_async;
mod e2e_blocking;
mod errors;
mod fault_matrix;
mod live;
mod requests;
mod retries;
mod robust_decoding;
mod sdk_ts;
mod security;
mod sync;
mod tls;
mod tracing_output;
mod validation;
