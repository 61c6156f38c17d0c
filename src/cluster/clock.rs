//! The virtual clock and its timer queue.
//!
//! Time is a count of milliseconds since the simulation's epoch ([`EPOCH_UNIX_MS`], a fixed instant, so printed
//! timestamps are the same in every run). It only moves when the simulation advances it: to the next due timer, or
//! by an amount the user asks for. Timers due at the same instant fire in the order they were scheduled.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Virtual time's unit and epoch belong to the API layer (timestamps are written from them); the clock uses them.
pub use crate::api::time::{Millis, EPOCH_UNIX_MS};

/// A timer waiting in the queue: due at `at`, ties broken by `seq` (the order of scheduling).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Entry<T: Ord> {
    at: Millis,
    seq: u64,
    payload: T,
}

/// The virtual clock together with the queue of timers that will wake the simulation.
#[derive(Debug, Clone)]
pub struct Clock<T: Ord> {
    now: Millis,
    next_seq: u64,
    queue: BinaryHeap<Reverse<Entry<T>>>,
}

impl<T: Ord> Default for Clock<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Ord> Clock<T> {
    pub fn new() -> Self {
        Clock { now: 0, next_seq: 0, queue: BinaryHeap::new() }
    }

    /// The current virtual time.
    pub fn now(&self) -> Millis {
        self.now
    }

    /// Schedules `payload` to fire `delay` milliseconds from now (saturating at the end of time).
    pub fn schedule_in(&mut self, delay: Millis, payload: T) {
        let at = self.now.saturating_add(delay);
        self.schedule_at(at, payload);
    }

    /// Schedules `payload` at the absolute instant `at`; an instant in the past fires at the next [`Clock::pop_due`].
    pub fn schedule_at(&mut self, at: Millis, payload: T) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.queue.push(Reverse(Entry { at: at.max(self.now), seq, payload }));
    }

    /// When the next timer is due, if any.
    pub fn next_due(&self) -> Option<Millis> {
        self.queue.peek().map(|Reverse(e)| e.at)
    }

    /// Removes and returns the earliest timer that is due now (at or before the current time).
    pub fn pop_due(&mut self) -> Option<T> {
        if self.next_due()? <= self.now {
            self.queue.pop().map(|Reverse(e)| e.payload)
        } else {
            None
        }
    }

    /// Moves time forward to `at`. Time never goes backwards: an earlier instant leaves the clock where it is.
    pub fn advance_to(&mut self, at: Millis) {
        self.now = self.now.max(at);
    }

    /// Moves time forward by `delta` milliseconds (saturating).
    pub fn advance_by(&mut self, delta: Millis) {
        self.now = self.now.saturating_add(delta);
    }

    /// The number of timers waiting.
    pub fn pending(&self) -> usize {
        self.queue.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timers_fire_in_time_order_and_ties_in_scheduling_order() {
        let mut clock = Clock::new();
        clock.schedule_in(30, "c");
        clock.schedule_in(10, "a1");
        clock.schedule_in(10, "a2");
        clock.schedule_in(20, "b");
        let mut fired = Vec::new();
        while let Some(at) = clock.next_due() {
            clock.advance_to(at);
            while let Some(t) = clock.pop_due() {
                fired.push((clock.now(), t));
            }
        }
        assert_eq!(fired, vec![(10, "a1"), (10, "a2"), (20, "b"), (30, "c")]);
    }

    #[test]
    fn a_timer_is_not_due_before_its_time() {
        let mut clock = Clock::new();
        clock.schedule_in(5, 1u8);
        clock.advance_by(4);
        assert_eq!(clock.pop_due(), None);
        clock.advance_by(1);
        assert_eq!(clock.pop_due(), Some(1));
        assert_eq!(clock.pending(), 0);
    }

    #[test]
    fn time_never_goes_backwards_and_saturates() {
        let mut clock: Clock<u8> = Clock::new();
        clock.advance_to(100);
        clock.advance_to(50);
        assert_eq!(clock.now(), 100);
        clock.advance_by(u64::MAX);
        assert_eq!(clock.now(), u64::MAX);
        clock.schedule_in(10, 7);
        assert_eq!(clock.next_due(), Some(u64::MAX));
    }

    #[test]
    fn a_timer_scheduled_in_the_past_fires_now() {
        let mut clock = Clock::new();
        clock.advance_to(1_000);
        clock.schedule_at(10, 'x');
        assert_eq!(clock.next_due(), Some(1_000));
        assert_eq!(clock.pop_due(), Some('x'));
    }
}
