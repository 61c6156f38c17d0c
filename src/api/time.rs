//! Virtual time as API timestamps. The API server stores `metav1.Time` with whole seconds, so every timestamp the
//! store writes is truncated to the second, as a real cluster's would be after a round trip.

use super::Time;
use k8s_openapi::jiff::Timestamp;

/// Virtual milliseconds since the simulation's epoch (the clock, `cluster::clock`, counts in them).
pub type Millis = u64;

/// The wall-clock instant the virtual clock starts at: 2026-01-01T00:00:00Z.
pub const EPOCH_UNIX_MS: u64 = 1_767_225_600_000;

/// The API timestamp of virtual instant `at`, truncated to the second.
pub fn time_at(at: Millis) -> Time {
    let unix_ms = EPOCH_UNIX_MS.saturating_add(at - at % 1000);
    let secs = i64::try_from(unix_ms / 1000).unwrap_or(i64::MAX).min(Timestamp::MAX.as_second());
    Time(Timestamp::from_second(secs).unwrap_or(Timestamp::MAX))
}

/// The virtual instant of an API timestamp (0 for instants before the epoch).
pub fn millis_of(time: &Time) -> Millis {
    let unix_ms = time.0.as_millisecond();
    u64::try_from(unix_ms).unwrap_or(0).saturating_sub(EPOCH_UNIX_MS)
}

/// The virtual instant of an API `MicroTime` (events' `eventTime`).
pub fn millis_of_micro(time: &k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime) -> Millis {
    let unix_ms = time.0.as_millisecond();
    u64::try_from(unix_ms).unwrap_or(0).saturating_sub(EPOCH_UNIX_MS)
}

/// A duration as Go's `time.Duration.String()` prints a millisecond-truncated one: `4s`, `1.5s`, `800ms`, `1m30s`.
pub fn go_duration(ms: Millis) -> String {
    if ms == 0 {
        return "0s".into();
    }
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let (h, m) = (ms / 3_600_000, (ms / 60_000) % 60);
    let s = (ms % 60_000) as f64 / 1000.0;
    let secs = format!("{s}").trim_end_matches(".0").to_string();
    match (h, m) {
        (0, 0) => format!("{secs}s"),
        (0, m) => format!("{m}m{secs}s"),
        (h, m) => format!("{h}h{m}m{secs}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_whole_seconds_from_the_epoch() {
        assert_eq!(time_at(0).0.to_string(), "2026-01-01T00:00:00Z");
        assert_eq!(time_at(61_999).0.to_string(), "2026-01-01T00:01:01Z");
        assert_eq!(millis_of(&time_at(61_999)), 61_000);
        // The end of virtual time does not panic.
        let _ = time_at(u64::MAX);
    }
}
