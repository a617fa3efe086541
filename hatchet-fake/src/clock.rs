//! The fake's time source: the real clock moved by what a test advanced.

use chrono::{DateTime, Duration, Utc};

/// Real time plus an offset that only grows. Nothing fires on its own:
/// schedules come due against this clock and fire when a test calls
/// `fire_due`.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    offset: Duration,
}

impl Clock {
    /// The fake's current time.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.offset
    }

    /// Moves the clock forward.
    pub(crate) fn advance(&mut self, by: std::time::Duration) {
        let by = Duration::from_std(by).unwrap_or(Duration::MAX);
        self.offset = self.offset.checked_add(&by).unwrap_or(Duration::MAX);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_forward_by_that_much() {
        let mut clock = Clock::default();
        let before = clock.now();
        clock.advance(std::time::Duration::from_secs(3600));
        let moved = clock.now() - before;
        assert!(moved >= Duration::hours(1) && moved < Duration::hours(1) + Duration::seconds(5));
    }
}
