//! One sorting routine for the whole crate.
//!
//! Every generic `sort*` call instantiates a complete sorting algorithm for its element type, which
//! costs several kilobytes of WebAssembly each. The engine sorts small things in many places, so it
//! sorts through [`sort_by`], which orders a permutation of indices with a single, non-generic
//! instantiation and then applies it. The result is stable.

use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Sorts a permutation `0..n` with `less(i, j)`, stably.
#[inline(never)]
fn permutation(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<u32> {
    let mut idx: Vec<u32> = (0..n as u32).collect();
    idx.sort_unstable_by(|&a, &b| cmp(a as usize, b as usize).then(a.cmp(&b)));
    idx
}

/// Sorts `items` stably by `cmp`.
pub fn sort_by<T>(items: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    if items.len() < 2
        || items
            .windows(2)
            .all(|w| cmp(&w[0], &w[1]) != Ordering::Greater)
    {
        return;
    }
    let perm = permutation(items.len(), &|a, b| cmp(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(perm.into_iter().filter_map(|i| slots[i as usize].take()));
}

/// Sorts `items` stably by a key.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts and removes duplicates.
pub fn sort_dedup<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, |a, b| a.cmp(b));
    items.dedup();
}

/// A map of `(key, value)` pairs, the last value of a repeated key kept (as `collect` does).
///
/// Not `collect()`: `BTreeMap`'s `FromIterator` sorts its input with a stable sort instantiated
/// for each call site's iterator type, a few kilobytes of WebAssembly each; inserting one by one
/// shares the map's own insertion code.
pub fn map<K: Ord, V>(items: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut m = BTreeMap::new();
    for (k, v) in items {
        m.insert(k, v);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_and_sorted() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        sort_by_key(&mut v, |x| x.0);
        assert_eq!(v, vec![(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        let mut w = vec![5, 1, 5, 2];
        sort_dedup(&mut w);
        assert_eq!(w, vec![1, 2, 5]);
        let pairs = [(2, 'a'), (1, 'b'), (2, 'c')];
        assert_eq!(map(pairs), pairs.into_iter().collect::<BTreeMap<_, _>>());
        let mut e: Vec<u8> = vec![];
        sort_by_key(&mut e, |x| *x);
        assert!(e.is_empty());
    }
}
