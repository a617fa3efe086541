//! Hatchet's page arithmetic, quirks included, and the listing answer
//! built with it.

use hatchet_rest_gen::types::PaginationResponse;
use serde_json::{Value, json};

use crate::query::Window;

/// A listing's answer: the window of the matching `rows`, each written by
/// `write`, with the page info of them all.
pub(crate) fn page<T>(rows: Vec<T>, window: Window, write: impl Fn(T) -> Value) -> Value {
    let count = rows.len() as u64;
    let shown: Vec<Value> = rows
        .into_iter()
        .skip(usize::try_from(window.offset).unwrap_or(usize::MAX))
        .take(usize::try_from(window.limit).unwrap_or(usize::MAX))
        .map(write)
        .collect();
    json!({
        "pagination": page_info(count, window.limit, window.offset),
        "rows": shown,
    })
}

/// The page info for a listing of `count` rows read with `limit` and
/// `offset`, computed as the real server does (`list_scheduled.go`):
///
/// - `num_pages` = ⌈count / limit⌉, so zero rows give zero pages;
/// - `current_page` = 1 + ⌈offset / limit⌉;
/// - `next_page` = `current_page + 1`, except on the last page, where it
///   repeats `current_page` (and so an empty listing says `next_page: 2`).
///
/// `limit` must be positive; the query refuses anything else first.
fn page_info(count: u64, limit: u64, offset: u64) -> PaginationResponse {
    let limit = limit.max(1);
    let num_pages = count.div_ceil(limit);
    let current_page = 1 + offset.div_ceil(limit);
    let next_page = if current_page == num_pages {
        current_page
    } else {
        current_page + 1
    };
    let signed = |n: u64| Some(i64::try_from(n).unwrap_or(i64::MAX));
    PaginationResponse {
        current_page: signed(current_page),
        next_page: signed(next_page),
        num_pages: signed(num_pages),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(count: u64, limit: u64, offset: u64) -> (i64, i64, i64) {
        let p = page_info(count, limit, offset);
        (
            p.current_page.unwrap(),
            p.next_page.unwrap(),
            p.num_pages.unwrap(),
        )
    }

    #[test]
    fn follows_the_servers_arithmetic() {
        assert_eq!(info(5, 2, 0), (1, 2, 3));
        assert_eq!(info(5, 2, 2), (2, 3, 3));
        assert_eq!(info(5, 2, 4), (3, 3, 3), "last page repeats itself");
        assert_eq!(info(0, 50, 0), (1, 2, 0), "empty listing");
        assert_eq!(info(5, 2, 1), (2, 3, 3), "offsets round up");
        assert_eq!(info(5, 2, 10), (6, 7, 3), "past the end");
    }
}
