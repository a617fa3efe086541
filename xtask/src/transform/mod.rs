//! The named transformations applied after `bundle` and
//! `select-operations`, in order.
//!
//! Each takes the whole document, edits it in place and returns the JSON
//! pointers it touched (printed by `cargo xtask gen --verbose`). Each is
//! idempotent, which is what makes re-importing the output a fixpoint.

use anyhow::Result;
use serde_json::Value;

pub mod dangling_required;
pub mod misplaced_media_types;
pub mod openapi30;
pub mod raw_error_responses;
pub mod server_nullable;
pub mod strip_prose;
pub mod tolerant_enums;
pub mod unreachable_schemas;
pub mod vacuous_bounds;

/// One named document transformation.
pub struct Transform {
    /// The step name, as printed in reports.
    pub name: &'static str,
    /// Applies the step, returning the pointers it touched.
    pub run: fn(&mut Value) -> Result<Vec<String>>,
}

/// The transformations, in the order they run.
pub const TRANSFORMS: &[Transform] = &[
    Transform {
        name: "repair-misplaced-media-types",
        run: misplaced_media_types::run,
    },
    Transform {
        name: "openapi-3.0",
        run: openapi30::run,
    },
    Transform {
        name: "strip-prose",
        run: strip_prose::run,
    },
    Transform {
        name: "raw-error-responses",
        run: raw_error_responses::run,
    },
    Transform {
        name: "drop-dangling-required",
        run: dangling_required::run,
    },
    Transform {
        name: "drop-vacuous-bounds",
        run: vacuous_bounds::run,
    },
    Transform {
        name: "tolerant-response-enums",
        run: tolerant_enums::run,
    },
    Transform {
        name: "server-nullable",
        run: server_nullable::run,
    },
    Transform {
        name: "drop-unreachable-schemas",
        run: unreachable_schemas::run,
    },
];
