//! A k-d tree over the rows of a row-major matrix, for range counts, range visits and k-th
//! neighbour distances. Memory: the permuted row indices and one node per leaf bucket, O(n).
//!
//! A walk skips a subtree when the query's distance to the subtree's cell (its box, not only
//! the splitting plane) exceeds the radius or the k-th best distance: the offsets per dimension
//! are updated as the walk descends (Arya & Mount's incremental distance), so a far cell costs
//! one update. Pruning only skips cells without an answer: the rows found, and their order, are
//! those of the plain walk.

/// Rows per leaf.
const LEAF: usize = 64;

#[derive(Debug)]
enum Node {
    Leaf {
        start: usize,
        end: usize,
    },
    Split {
        dim: usize,
        value: f64,
        left: usize,
        right: usize,
    },
}

/// The tree. Borrows the data it was built on.
#[derive(Debug)]
pub struct KdTree<'a> {
    data: &'a [f64],
    d: usize,
    idx: Vec<usize>,
    nodes: Vec<Node>,
    parent: Vec<usize>,
}

/// Which rows are still open, per node: lets a walk that only wants open rows skip the
/// subtrees where none is left (DBSCAN's expansion, once a dense region is labelled).
#[derive(Debug)]
pub struct OpenRows {
    open: Vec<bool>,
    per_node: Vec<usize>,
    leaf_of: Vec<usize>,
}

use crate::cluster::sq_dist as sq;

/// The query's offset from the current cell in every dimension, and their sum of squares (a
/// lower bound of its squared distance to any row of the cell).
struct Walk {
    off: Vec<f64>,
    rd: f64,
}

/// Slack on the cell bound: the running sum of squares is updated by subtraction, so it may
/// exceed the exact bound by a few ulps; a cell is skipped only when clearly beyond.
const SLACK: f64 = 1e-9;

impl Walk {
    fn new(d: usize) -> Walk {
        Walk {
            off: vec![0.0; d],
            rd: 0.0,
        }
    }

    /// Walks the far side of a split on `dim`, `diff` away from the query, with `go` when
    /// `near(bound)` holds for the cell's bound (its squared distance to the query, less the
    /// slack), then restores the walk.
    fn far(
        &mut self,
        dim: usize,
        diff: f64,
        near: impl FnOnce(f64) -> bool,
        go: impl FnOnce(&mut Walk),
    ) {
        let saved = (self.off[dim], self.rd);
        self.rd = self.rd - saved.0 * saved.0 + diff * diff;
        self.off[dim] = diff;
        if near(self.rd * (1.0 - SLACK)) {
            go(self);
        }
        (self.off[dim], self.rd) = saved;
    }
}

impl<'a> KdTree<'a> {
    /// Builds the tree over `data` (n × d, row-major).
    pub fn new(data: &'a [f64], d: usize) -> KdTree<'a> {
        let n = data.len().checked_div(d).unwrap_or(0);
        let mut t = KdTree {
            data,
            d,
            idx: (0..n).collect(),
            nodes: Vec::new(),
            parent: Vec::new(),
        };
        if n > 0 {
            t.build(0, n);
        }
        t
    }

    fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.d..(i + 1) * self.d]
    }

    fn build(&mut self, start: usize, end: usize) -> usize {
        let id = self.nodes.len();
        self.nodes.push(Node::Leaf { start, end });
        self.parent.push(usize::MAX);
        if end - start <= LEAF {
            return id;
        }
        // Split on the dimension of largest spread, at the median.
        let mut best = (0, -1.0);
        for t in 0..self.d {
            let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
            for &i in &self.idx[start..end] {
                let v = self.data[i * self.d + t];
                lo = lo.min(v);
                hi = hi.max(v);
            }
            if hi - lo > best.1 {
                best = (t, hi - lo);
            }
        }
        if best.1 <= 0.0 {
            return id;
        }
        let dim = best.0;
        let mid = (start + end) / 2;
        let (data, d) = (self.data, self.d);
        self.idx[start..end].select_nth_unstable_by(mid - start, |&a, &b| {
            data[a * d + dim].total_cmp(&data[b * d + dim])
        });
        let value = data[self.idx[mid] * d + dim];
        let left = self.build(start, mid);
        let right = self.build(mid, end);
        self.parent[left] = id;
        self.parent[right] = id;
        self.nodes[id] = Node::Split {
            dim,
            value,
            left,
            right,
        };
        id
    }

    /// Calls `f(row)` for every row within distance √`r2` of `q` (itself included).
    pub fn within(&self, q: &[f64], r2: f64, f: &mut impl FnMut(usize)) {
        if !self.nodes.is_empty() {
            self.visit(0, q, r2, &mut Walk::new(self.d), None, f);
        }
    }

    /// Visits the rows within √`r2` of `q`; with `open`, only open rows, skipping subtrees
    /// that have none.
    fn visit(
        &self,
        node: usize,
        q: &[f64],
        r2: f64,
        walk: &mut Walk,
        open: Option<&OpenRows>,
        f: &mut impl FnMut(usize),
    ) {
        if open.is_some_and(|o| o.per_node[node] == 0) {
            return;
        }
        match self.nodes[node] {
            Node::Leaf { start, end } => {
                for &i in &self.idx[start..end] {
                    if open.is_none_or(|o| o.open[i]) && sq(q, self.row(i)) <= r2 {
                        f(i);
                    }
                }
            }
            Node::Split {
                dim,
                value,
                left,
                right,
            } => {
                let diff = q[dim] - value;
                let (near, far) = if diff < 0.0 {
                    (left, right)
                } else {
                    (right, left)
                };
                self.visit(near, q, r2, walk, open, f);
                walk.far(
                    dim,
                    diff,
                    |b| b <= r2,
                    |walk| self.visit(far, q, r2, walk, open, f),
                );
            }
        }
    }

    /// Every row open.
    pub fn open_rows(&self) -> OpenRows {
        let n = self.idx.len();
        let mut per_node = vec![0usize; self.nodes.len()];
        let mut leaf_of = vec![0usize; n];
        for (id, node) in self.nodes.iter().enumerate() {
            if let Node::Leaf { start, end } = *node {
                for &i in &self.idx[start..end] {
                    leaf_of[i] = id;
                }
                let mut p = id;
                loop {
                    per_node[p] += end - start;
                    if self.parent[p] == usize::MAX {
                        break;
                    }
                    p = self.parent[p];
                }
            }
        }
        OpenRows {
            open: vec![true; n],
            per_node,
            leaf_of,
        }
    }

    /// Closes a row (no later [`KdTree::within_open`] visits it).
    pub fn close(&self, open: &mut OpenRows, i: usize) {
        if !std::mem::replace(&mut open.open[i], false) {
            return;
        }
        let mut p = open.leaf_of[i];
        loop {
            open.per_node[p] -= 1;
            if self.parent[p] == usize::MAX {
                break;
            }
            p = self.parent[p];
        }
    }

    /// Calls `f(row)` for every open row within √`r2` of `q`, skipping closed subtrees.
    pub fn within_open(&self, q: &[f64], r2: f64, open: &OpenRows, f: &mut impl FnMut(usize)) {
        if !self.nodes.is_empty() {
            self.visit(0, q, r2, &mut Walk::new(self.d), Some(open), f);
        }
    }

    /// Number of rows within √`r2` of `q` (itself included), counting no further than `cap`.
    pub fn count_within(&self, q: &[f64], r2: f64, cap: usize) -> usize {
        let mut n = 0;
        if !self.nodes.is_empty() {
            self.count(0, q, r2, cap, &mut Walk::new(self.d), &mut n);
        }
        n
    }

    fn count(&self, node: usize, q: &[f64], r2: f64, cap: usize, walk: &mut Walk, n: &mut usize) {
        if *n >= cap {
            return;
        }
        match self.nodes[node] {
            Node::Leaf { start, end } => {
                for &i in &self.idx[start..end] {
                    if sq(q, self.row(i)) <= r2 {
                        *n += 1;
                        if *n >= cap {
                            return;
                        }
                    }
                }
            }
            Node::Split {
                dim,
                value,
                left,
                right,
            } => {
                let diff = q[dim] - value;
                let (near, far) = if diff < 0.0 {
                    (left, right)
                } else {
                    (right, left)
                };
                self.count(near, q, r2, cap, walk, n);
                walk.far(
                    dim,
                    diff,
                    |b| b <= r2,
                    |walk| self.count(far, q, r2, cap, walk, n),
                );
            }
        }
    }

    /// Distance to the `k`-th nearest row of `q` (itself counted as the first when `q` is a
    /// row of the tree, as scikit-learn's `min_samples` counts the point itself).
    pub fn kth_distance(&self, q: &[f64], k: usize) -> f64 {
        let mut best: Vec<f64> = Vec::with_capacity(k + 1);
        if !self.nodes.is_empty() && k > 0 {
            self.knn(0, q, k, &mut Walk::new(self.d), &mut best);
        }
        best.last().copied().unwrap_or(f64::INFINITY).sqrt()
    }

    fn knn(&self, node: usize, q: &[f64], k: usize, walk: &mut Walk, best: &mut Vec<f64>) {
        let bound = |best: &Vec<f64>| {
            if best.len() < k {
                f64::INFINITY
            } else {
                best[k - 1]
            }
        };
        match self.nodes[node] {
            Node::Leaf { start, end } => {
                for &i in &self.idx[start..end] {
                    let v = sq(q, self.row(i));
                    if v < bound(best) {
                        let at = best.partition_point(|&b| b <= v);
                        best.insert(at, v);
                        best.truncate(k);
                    }
                }
            }
            Node::Split {
                dim,
                value,
                left,
                right,
            } => {
                let diff = q[dim] - value;
                let (near, far) = if diff < 0.0 {
                    (left, right)
                } else {
                    (right, left)
                };
                self.knn(near, q, k, walk, best);
                // Rows at exactly the k-th best distance do not enter `best`: a cell at that
                // distance is skipped, as the plane test did.
                let b = bound(best);
                walk.far(dim, diff, |c| c < b, |walk| self.knn(far, q, k, walk, best));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn range_and_knn_match_brute_force() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        // Low and high dimensions (the cell bound prunes across several split dimensions),
        // a coarse grid of values (rows at exactly the radius, ties at the k-th distance);
        // 4,000 rows make a tree six splits deep, so a wrong bound has cells to over-prune.
        for (d, grid) in [(3, false), (10, false), (6, true)] {
            let data: Vec<f64> = (0..4000 * d)
                .map(|_| {
                    let v: f64 = rng.gen_range(0.0..10.0);
                    if grid {
                        v.round()
                    } else {
                        v
                    }
                })
                .collect();
            let tree = KdTree::new(&data, d);
            for q in 0..50 {
                let p = &data[q * d..(q + 1) * d];
                let mut dists: Vec<f64> = data.chunks(d).map(|r| sq(p, r)).collect();
                for r2 in [2.0, 0.3 * d as f64 * 8.0, 25.0] {
                    let brute: Vec<usize> = (0..dists.len()).filter(|&i| dists[i] <= r2).collect();
                    let mut seen = Vec::new();
                    tree.within(p, r2, &mut |i| seen.push(i));
                    seen.sort_unstable();
                    assert_eq!(seen, brute, "d {d}, row {q}, r2 {r2}");
                    assert_eq!(tree.count_within(p, r2, usize::MAX), brute.len());
                    assert_eq!(tree.count_within(p, r2, 3), brute.len().min(3));
                }
                dists.sort_by(f64::total_cmp);
                for k in [1, 5, 20] {
                    assert_eq!(tree.kth_distance(p, k), dists[k - 1].sqrt(), "d {d}, k {k}");
                }
            }
        }
    }
}
