//! Helpers for every layer, below them all: sorting that costs the page one copy of the sort algorithm, and base64.
//!
//! The standard library's sorts are generic over the element type and the comparison, so every call site with its
//! own closure gets its own copy of the whole algorithm (a few KB of wasm each; the page had about 35). These sort a
//! permutation of indices with one shared copy, comparing through a `dyn` closure, then swap the elements into their
//! places. They are stable, like `slice::sort_by`, and O(n log n).

use std::cmp::Ordering;

/// `v.sort_by(compare)`, stable.
pub fn sort_by<T>(v: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order = permutation(v.len(), &mut |a, b| compare(&v[a], &v[b]));
    place(v, &mut order);
}

/// `v.sort_by_key(key)`, stable.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// `v.sort_by_cached_key(key)`: each element's key computed once, stable.
pub fn sort_by_cached_key<T, K: Ord>(v: &mut [T], key: impl FnMut(&T) -> K) {
    if v.len() < 2 {
        return;
    }
    let keys: Vec<K> = v.iter().map(key).collect();
    let mut order = permutation(v.len(), &mut |a, b| keys[a].cmp(&keys[b]));
    place(v, &mut order);
}

/// `v.sort()`, stable.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// The indices `0..n` in the order `compare` puts them (stable): the one instantiation of the standard sort.
#[inline(never)]
fn permutation(n: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|a, b| compare(*a, *b));
    order
}

/// Moves `v`'s elements so that the `i`th is the one that was at `order[i]` (`order` is a permutation of `v`'s
/// indices), one cycle of the permutation at a time, by swaps; `order` is used up.
fn place<T>(v: &mut [T], order: &mut [usize]) {
    const DONE: usize = usize::MAX;
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != DONE {
            let from = order[at];
            order[at] = DONE;
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

/// Standard base64 with padding (a Secret's `data`, the WebSocket accept key, protobuf `bytes` as JSON).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

// proptest is a native-only dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The same order as the standard library's stable sort, equal keys included.
        #[test]
        fn sorts_as_the_standard_library_does(v in proptest::collection::vec((0u8..8, any::<u16>()), 0..200)) {
            let mut ours = v.clone();
            sort_by_key(&mut ours, |p| p.0);
            let mut std = v.clone();
            std.sort_by_key(|p| p.0);
            prop_assert_eq!(&ours, &std);
            let mut cached = v.clone();
            sort_by_cached_key(&mut cached, |p| p.0);
            prop_assert_eq!(&cached, &std);
            let mut all = v.clone();
            sort(&mut all);
            let mut std_all = v;
            std_all.sort();
            prop_assert_eq!(all, std_all);
        }
    }

    #[test]
    fn base64_pads_as_go_does() {
        assert_eq!(base64(b"admin"), "YWRtaW4=");
        assert_eq!(base64(b"p@ss w"), "cEBzcyB3");
        assert_eq!(base64(b"b"), "Yg==");
        assert_eq!(base64(b""), "");
    }
}
