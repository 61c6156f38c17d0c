//! A bounded, append-only log with stable positions: the event occurrences and the decision log keep their newest
//! [`KEPT`] entries, so a run of hours uses the memory of one of minutes, while a position taken earlier (a lesson
//! step's "since" mark, a test's starting index) still means the same entry.

use std::collections::VecDeque;

/// How many entries a history keeps (the UI shows at most a few hundred; checks look at one step's worth).
pub const KEPT: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History<T> {
    kept: VecDeque<T>,
    /// How many entries were dropped from the front: the position of `kept[0]`.
    dropped: usize,
}

impl<T> Default for History<T> {
    fn default() -> Self {
        History { kept: VecDeque::new(), dropped: 0 }
    }
}

impl<T> History<T> {
    pub fn push(&mut self, entry: T) {
        if self.kept.len() == KEPT {
            self.kept.pop_front();
            self.dropped += 1;
        }
        self.kept.push_back(entry);
    }

    /// How many entries were ever pushed: the position the next one will have.
    pub fn len(&self) -> usize {
        self.dropped + self.kept.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The position of the oldest entry still kept.
    pub fn first_kept(&self) -> usize {
        self.dropped
    }

    /// The kept entries from position `from` on (those before the oldest kept are gone).
    pub fn since(&self, from: usize) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator {
        self.kept.range(from.saturating_sub(self.dropped).min(self.kept.len())..)
    }

    /// Every kept entry, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator {
        self.kept.iter()
    }

    pub fn last(&self) -> Option<&T> {
        self.kept.back()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_stay_stable_when_old_entries_are_dropped() {
        let mut h = History::default();
        for i in 0..KEPT + 5 {
            h.push(i);
        }
        assert_eq!((h.len(), h.first_kept(), h.iter().count()), (KEPT + 5, 5, KEPT));
        assert_eq!(h.since(KEPT + 3).copied().collect::<Vec<_>>(), [KEPT + 3, KEPT + 4]);
        assert_eq!(h.since(0).next(), Some(&5), "entries before the oldest kept are gone");
        assert_eq!(h.since(KEPT + 9).count(), 0);
        assert_eq!(h.last(), Some(&(KEPT + 4)));
    }
}
