//! The live suite: one body of scenarios run against two targets, the
//! embedded fake on every `cargo test` and a real Hatchet when asked for
//! (`HATCHET_LIVE=1`, see [`target`]). Every exchange goes through a
//! recording proxy; the fake's transcript must match the one recorded from
//! a real Hatchet (`tests/live/transcripts/`), except where the allow-list
//! says why not.
//!
//! Each scenario is a function of a [`Live`]; [`live_test!`] makes it two
//! tests, `live::<scenario>::fake` and `live::<scenario>::real`.

mod harness;
mod target;
mod transcript;

mod crons;
mod crons_blocking;
mod firing;
mod read_outs;
mod refusals;
mod scheduled;
mod scheduled_blocking;

pub use harness::Live;

/// Declares `fake` and `real` tests for an async scenario `$name`
/// (`async fn(&Live)`), or with `blocking` for a blocking one (`fn(&Live)`).
macro_rules! live_test {
    ($name:ident) => {
        mod $name {
            #[test]
            fn fake() {
                $crate::live::harness::run_async(
                    $crate::live::target::Kind::Fake,
                    stringify!($name),
                    |live| Box::pin(super::$name(live)),
                );
            }

            #[test]
            fn real() {
                $crate::live::harness::run_async(
                    $crate::live::target::Kind::Real,
                    stringify!($name),
                    |live| Box::pin(super::$name(live)),
                );
            }
        }
    };
    (blocking $name:ident) => {
        mod $name {
            #[test]
            fn fake() {
                $crate::live::harness::run_blocking(
                    $crate::live::target::Kind::Fake,
                    stringify!($name),
                    super::$name,
                );
            }

            #[test]
            fn real() {
                $crate::live::harness::run_blocking(
                    $crate::live::target::Kind::Real,
                    stringify!($name),
                    super::$name,
                );
            }
        }
    };
}
pub(crate) use live_test;
