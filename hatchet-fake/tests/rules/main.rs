//! Pins every server rule of the fake over raw HTTP, so the fake cannot
//! drift from the real server's behaviour without a test failing.

mod auth;
mod bulk;
mod create;
mod crons;
mod faults;
mod fired;
mod lifecycle;
mod list;
mod read_outs;
mod routes;
mod single;
mod support;
mod time;
