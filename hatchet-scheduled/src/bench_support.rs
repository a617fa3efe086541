//! Entry points for the benchmarks in `benches/` into the steps a call goes
//! through, so request building and response decoding can be timed apart
//! from the network. Compiled only with the `bench-internals` feature, which
//! only this crate's own dev-dependency on itself enables. Not part of the
//! API: hidden, and may change at any time.
#![doc(hidden)]

use std::fmt;

use hatchet_rest_gen::types as rest;
use serde::Serialize;

use crate::{CreateBuilder, Error, ListBuilder, Page, ScheduledRun, convert};

/// What `ListBuilder::send` does before sending: checks the listing and
/// turns it into the generated client's query arguments.
pub fn list_query<C>(builder: &ListBuilder<C>) -> Result<impl fmt::Debug, Error> {
    convert::list_query(&builder.listing)
}

/// What `CreateBuilder::send` does before sending: checks the run and gives
/// the (namespaced) workflow name and the request body.
pub fn create_request<C>(
    builder: CreateBuilder<C>,
    namespace: Option<&str>,
) -> Result<(String, impl Serialize + fmt::Debug), Error> {
    builder.run.validate()?;
    Ok(convert::schedule_request(builder.run, namespace))
}

/// What a listing does with a 200 body: decodes it into the generated
/// types, as the generated client does, then converts the page.
pub fn decode_page(body: &[u8], offset: u64) -> Result<Page<ScheduledRun>, String> {
    let raw: rest::ScheduledWorkflowsList =
        serde_json::from_slice(body).map_err(|e| e.to_string())?;
    convert::page(raw, offset)
}
