//! Stable sorting through one comparator type. Each closure handed to `sort_by` is its own copy
//! of the standard library's sort, some 4 KB of wasm, and the web page sorts in several places
//! (rankings, share links, inputs, journals): they all sort indices here instead.

use std::cmp::Ordering;

/// Sorts `order` (indices into something), stably, by `cmp`.
pub fn sort_indices(order: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

/// `items` sorted stably by `cmp`.
pub fn sorted<T: Clone>(items: &[T], cmp: &dyn Fn(&T, &T) -> Ordering) -> Vec<T> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_indices(&mut order, &|a, b| cmp(&items[a], &items[b]));
    order.into_iter().map(|i| items[i].clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_keep_their_order() {
        let items = [(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (0, 'e')];
        let by_key = sorted(&items, &|a, b| a.0.cmp(&b.0));
        assert_eq!(by_key, [(0, 'e'), (1, 'b'), (1, 'd'), (2, 'a'), (2, 'c')]);
        let mut order = vec![0, 1, 2, 3, 4];
        sort_indices(&mut order, &|a, b| items[b].0.cmp(&items[a].0));
        assert_eq!(order, [0, 2, 1, 3, 4]);
    }
}
