//! Firing crons by the fake's clock, as Hatchet's ticker does
//! (`internal/services/ticker/cron.go`): it schedules each enabled cron
//! with gocron, which parses the expression with robfig/cron (seconds
//! optional, descriptors allowed) and, when it cannot parse it or it never
//! matches, the ticker deletes the cron.

use std::iter;

use chrono::{DateTime, Utc};
use hatchet_scheduled::CronExpression;
use uuid::Uuid;

use crate::{FiredRun, go_time::stored, state::State};

/// The most occurrences of one cron a single `fire_due` fires. A clock
/// jump past more drops the rest, as gocron drops the runs it missed while
/// its process was not running, and the cron goes on from its first
/// occurrence after now.
const CATCH_UP_LIMIT: usize = 1_000;

/// What the ticker makes of a cron's expression.
enum Plan {
    /// Fires at its occurrences, read in UTC.
    Fire(CronExpression),
    /// gocron refuses it, or it never matches: the ticker deletes the cron
    /// (`DeleteInvalidCron`).
    Delete,
    /// A descriptor (`@daily`, `@every 5m`, …), which gocron fires; the
    /// fake keeps such a cron but never fires it.
    NotModelled,
}

impl Plan {
    fn of(expression: &str, now: DateTime<Utc>) -> Self {
        if is_descriptor(expression) {
            return Self::NotModelled;
        }
        match CronExpression::parse(expression) {
            Ok(parsed) if parsed.next_after(now).is_some() => Self::Fire(parsed),
            _ => Self::Delete,
        }
    }
}

/// Whether the fields part of `expression`, after an optional `CRON_TZ=`
/// or `TZ=` prefix, is a descriptor, as robfig's parser decides.
fn is_descriptor(expression: &str) -> bool {
    let fields = if expression.starts_with("TZ=") || expression.starts_with("CRON_TZ=") {
        expression.split_once(' ').map_or("", |(_, fields)| fields)
    } else {
        expression
    };
    fields.trim().starts_with('@')
}

impl State {
    /// Fires each enabled cron once per occurrence between its last check
    /// and `now` (at most [`CATCH_UP_LIMIT`]), in UTC, and deletes the
    /// crons the ticker cannot schedule. Paused crons are left alone.
    pub(crate) fn fire_due_crons(&mut self, now: DateTime<Utc>) -> Vec<FiredRun> {
        let started_at = stored(now);
        let mut fired = Vec::new();
        let mut unschedulable = Vec::new();
        for entry in self.crons.values_mut().filter(|entry| entry.cron.enabled) {
            match Plan::of(&entry.cron.expression, now) {
                Plan::Fire(expression) => {
                    let occurrences =
                        iter::successors(expression.next_after(entry.fires_after), |at| {
                            expression.next_after(*at)
                        })
                        .take_while(|at| *at <= now)
                        .take(CATCH_UP_LIMIT);
                    fired.extend(occurrences.map(|at| {
                        FiredRun::from_cron(&entry.cron, at, Uuid::new_v4(), started_at, true)
                    }));
                    entry.fires_after = now;
                }
                Plan::Delete => unschedulable.push(entry.cron.id),
                Plan::NotModelled => {}
            }
        }
        for id in unschedulable {
            self.crons.remove(&id);
        }
        fired
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptors_are_told_apart_after_a_zone_prefix() {
        for descriptor in [
            "@daily",
            "  @hourly",
            "CRON_TZ=UTC @every 5m",
            "TZ=Europe/Paris  @weekly",
        ] {
            assert!(is_descriptor(descriptor), "{descriptor}");
        }
        for fields in ["0 * * * *", "CRON_TZ=UTC 0 * * * *", "TZ=@x 0 * * * *", ""] {
            assert!(!is_descriptor(fields), "{fields}");
        }
    }

    #[test]
    fn the_ticker_deletes_what_gocron_cannot_schedule() {
        let now = Utc::now();
        assert!(matches!(Plan::of("*/5 * * * *", now), Plan::Fire(_)));
        assert!(matches!(Plan::of("@daily", now), Plan::NotModelled));
        for unschedulable in ["61 * * * *", "", "* * * *", "0 0 30 2 *"] {
            assert!(
                matches!(Plan::of(unschedulable, now), Plan::Delete),
                "{unschedulable}"
            );
        }
    }
}
