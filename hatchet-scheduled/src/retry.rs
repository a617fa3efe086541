//! Retrying failed calls: bounded, with backoff and jitter, and only where
//! a retry cannot schedule, start or delete something twice.

use std::{
    hash::{BuildHasher, RandomState},
    time::{Duration, SystemTime},
};

use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::Error;

/// How failed calls are retried. On by default; [`RetryPolicy::none`] turns
/// it off.
///
/// Only failures that may pass are retried (429, 502, 503, 504, timeouts and
/// broken connections), and never 404. Operations that are not idempotent
/// (create, trigger now, bulk delete) are retried only when the server
/// cannot have acted on the request: the connection could not even be
/// opened, or the answer was 429, which Hatchet's rate limiter gives before
/// any handler runs (and a proxy's 429 never reached Hatchet).
///
/// ```
/// use std::time::Duration;
/// use hatchet_scheduled::{ClientConfig, RetryPolicy};
///
/// let patient = RetryPolicy::default()
///     .max_attempts(5)
///     .initial_backoff(Duration::from_millis(500))
///     .max_backoff(Duration::from_secs(10))
///     .max_elapsed(Duration::from_secs(60));
/// let config = ClientConfig::builder()
///     .token("token")
///     .server_url("https://hatchet.example.com")
///     .tenant_id(uuid::Uuid::nil())
///     .retry_policy(patient)
///     .build()?;
/// # Ok::<(), hatchet_scheduled::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, backoff from 200 ms doubling up to 5 s, at most 30 s in all.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self::default().max_attempts(1)
    }

    /// Attempts in all, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first backoff; each later one doubles, up to `max_backoff`.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest wait between attempts, also capping `Retry-After`.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// No retry starts once this much time has passed since the first attempt.
    pub fn max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// Attempts in all.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// How long to wait before attempt `attempt + 1` after `error`, or
    /// `None` to give up. `elapsed` is the time since the first attempt.
    pub(crate) fn next_delay(
        &self,
        safety: Safety,
        attempt: u32,
        elapsed: Duration,
        error: &Error,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts || !safety.may_retry(error) {
            return None;
        }
        let delay = match error {
            Error::RateLimited {
                retry_after: Some(wait),
                ..
            } => (*wait).min(self.max_backoff),
            _ => jittered(self.backoff(attempt)),
        };
        (elapsed + delay <= self.max_elapsed).then_some(delay)
    }

    /// Exponential backoff before jitter: initial × 2^(attempt − 1), capped.
    fn backoff(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }
}

/// Whether an operation may run twice without harm; each operation's is
/// in `Operation::spec`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Safety {
    /// Repeating it changes nothing.
    Idempotent,
    /// Retried only if the server cannot have acted on it.
    NotIdempotent,
}

impl Safety {
    fn may_retry(self, error: &Error) -> bool {
        match self {
            Self::Idempotent => error.is_retryable(),
            // Hatchet's rate limiter is echo middleware that answers 429
            // before routing reaches a handler
            // (`api/v1/server/middleware/ratelimit/ratelimit.go`).
            Self::NotIdempotent => match error {
                Error::Transport { source, .. } => source.is_connect(),
                Error::RateLimited { .. } => true,
                _ => false,
            },
        }
    }
}

/// "Full jitter": a random wait between half the backoff and all of it, so
/// clients that failed together do not retry together.
fn jittered(backoff: Duration) -> Duration {
    let random = RandomState::new().hash_one(SystemTime::now());
    let half = backoff / 2;
    let spread = half.as_nanos().max(1) as u64;
    half + Duration::from_nanos(random % spread)
}

/// `Retry-After` as seconds or as an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    // An HTTP date is an RFC 2822 date in GMT.
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = at.signed_duration_since(chrono::Utc::now());
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use reqwest::{StatusCode, header::HeaderValue};

    use super::*;
    use crate::ErrorResponse;

    fn status_error(code: u16, retry_after: Option<Duration>) -> Error {
        let status = StatusCode::from_u16(code).unwrap();
        Error::from_status(ErrorResponse::parse("op", status, b"null"), retry_after)
    }

    #[test]
    fn idempotent_operations_retry_transient_statuses_only() {
        let policy = RetryPolicy::default();
        for code in [429, 502, 503, 504] {
            let error = status_error(code, None);
            assert!(
                policy
                    .next_delay(Safety::Idempotent, 1, Duration::ZERO, &error)
                    .is_some(),
                "{code}"
            );
        }
        for code in [400, 401, 403, 404, 409, 422, 500] {
            let error = status_error(code, None);
            assert_eq!(
                policy.next_delay(Safety::Idempotent, 1, Duration::ZERO, &error),
                None,
                "{code}"
            );
        }
    }

    #[test]
    fn non_idempotent_operations_retry_only_what_was_not_acted_on() {
        let policy = RetryPolicy::default();
        let limited = status_error(429, Some(Duration::from_secs(1)));
        assert_eq!(
            policy.next_delay(Safety::NotIdempotent, 1, Duration::ZERO, &limited),
            Some(Duration::from_secs(1)),
            "a 429 never reached a handler"
        );
        for code in [500, 502, 503, 504] {
            let error = status_error(code, Some(Duration::from_secs(1)));
            assert_eq!(
                policy.next_delay(Safety::NotIdempotent, 1, Duration::ZERO, &error),
                None,
                "{code}"
            );
        }
    }

    #[tokio::test]
    async fn a_connection_never_opened_is_retried_even_for_a_create() {
        // Nothing listens on port 1: the request never left this machine.
        let source = reqwest::Client::new()
            .get("http://127.0.0.1:1/")
            .send()
            .await
            .unwrap_err();
        assert!(source.is_connect(), "{source:?}");
        let refused = Error::Transport {
            operation: "op",
            source,
        };
        let policy = RetryPolicy::default();
        assert!(
            policy
                .next_delay(Safety::NotIdempotent, 1, Duration::ZERO, &refused)
                .is_some()
        );
    }

    #[test]
    fn there_is_always_at_least_one_attempt() {
        assert_eq!(RetryPolicy::default().attempts(), 3);
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
        assert_eq!(RetryPolicy::none(), RetryPolicy::default().max_attempts(1));
    }

    #[test]
    fn attempts_and_total_time_are_bounded() {
        let policy = RetryPolicy::default().max_attempts(2);
        let error = status_error(503, None);
        assert!(
            policy
                .next_delay(Safety::Idempotent, 1, Duration::ZERO, &error)
                .is_some()
        );
        assert_eq!(
            policy.next_delay(Safety::Idempotent, 2, Duration::ZERO, &error),
            None
        );
        let policy = RetryPolicy::default().max_elapsed(Duration::from_secs(1));
        let error = status_error(429, Some(Duration::from_secs(2)));
        assert_eq!(
            policy.next_delay(Safety::Idempotent, 1, Duration::ZERO, &error),
            None
        );
        assert_eq!(
            RetryPolicy::none().next_delay(Safety::Idempotent, 1, Duration::ZERO, &error),
            None
        );
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        let policy = RetryPolicy::default().max_backoff(Duration::from_secs(3));
        let wait = |secs| {
            let error = status_error(429, Some(Duration::from_secs(secs)));
            policy.next_delay(Safety::Idempotent, 1, Duration::ZERO, &error)
        };
        assert_eq!(wait(2), Some(Duration::from_secs(2)));
        assert_eq!(wait(20), Some(Duration::from_secs(3)));
    }

    #[test]
    fn backoff_doubles_with_jitter_within_bounds() {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350));
        assert_eq!(policy.backoff(1), Duration::from_millis(100));
        assert_eq!(policy.backoff(2), Duration::from_millis(200));
        assert_eq!(policy.backoff(3), Duration::from_millis(350));
        assert_eq!(policy.backoff(40), Duration::from_millis(350));
        for _ in 0..100 {
            let delay = jittered(Duration::from_millis(200));
            assert!(
                delay >= Duration::from_millis(100) && delay < Duration::from_millis(200),
                "{delay:?}"
            );
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Sun, 06 Nov 1994 08:49:37 GMT"),
        );
        assert_eq!(
            retry_after(&headers),
            Some(Duration::ZERO),
            "a past date means now"
        );
        let soon = (chrono::Utc::now() + chrono::Duration::seconds(100)).to_rfc2822();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&soon).unwrap());
        let wait = retry_after(&headers).unwrap();
        assert!(
            wait > Duration::from_secs(95) && wait <= Duration::from_secs(100),
            "{wait:?}"
        );
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }
}
