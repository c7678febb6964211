//! Per-group statistics shared by profile, the lookalike vectors and the report: one definition
//! of the mean, median and standard deviation, so that the numbers of one segment agree in
//! every file.
//!
//! Contract: every function takes the values present (missing values already dropped) and
//! returns `None` on an empty slice; the standard deviation is the population one (divides by
//! n), as the lift (standardised mean difference) uses it.

/// Arithmetic mean.
pub fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// Median: the middle value, or the mean of the two middle values.
pub fn median(v: &[f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    // The middle of the values in total order, found without sorting them all: the same
    // numbers as a sort gives (the value below the middle is the largest of the lower part).
    let mut s = v.to_vec();
    let m = s.len() / 2;
    let odd = s.len() % 2 == 1;
    let (lower, &mut mid, _) = s.select_nth_unstable_by(m, f64::total_cmp);
    Some(if odd {
        mid
    } else {
        let below = lower.iter().copied().max_by(f64::total_cmp).unwrap_or(mid);
        (below + mid) / 2.0
    })
}

/// Population standard deviation.
pub fn std(v: &[f64]) -> Option<f64> {
    let m = mean(v)?;
    Some((v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / v.len() as f64).sqrt())
}

/// Mean and population standard deviation.
pub fn mean_std(v: &[f64]) -> (Option<f64>, Option<f64>) {
    (mean(v), std(v))
}

/// The standardised mean difference of a group against its base: (mean − base mean) / base
/// standard deviation; `None` when a part is missing or the base does not vary.
pub fn lift(mean: Option<f64>, base_mean: Option<f64>, base_std: Option<f64>) -> Option<f64> {
    match (mean, base_mean, base_std) {
        (Some(m), Some(bm), Some(bs)) if bs > 0.0 => Some((m - bm) / bs),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_values() {
        let v = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        assert_eq!(mean(&v), Some(5.0));
        assert_eq!(std(&v), Some(2.0));
        assert_eq!(median(&v), Some(4.5));
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(mean_std(&[]), (None, None));
        assert_eq!(median(&[]), None);
        assert_eq!(lift(Some(7.0), Some(5.0), Some(2.0)), Some(1.0));
        assert_eq!(lift(Some(7.0), Some(5.0), Some(0.0)), None);
    }

    proptest::proptest! {
        /// The median is the middle of the sorted values (the mean of the two middle ones).
        #[test]
        fn median_is_the_middle_of_the_sorted_values(
            v in proptest::collection::vec(-1e6f64..1e6, 1..200),
            dup in 0usize..5,
        ) {
            let mut v = v;
            // Ties, as real columns have them.
            let first = v[0];
            v.extend(std::iter::repeat_n(first, dup));
            let mut s = v.clone();
            s.sort_by(f64::total_cmp);
            let m = s.len() / 2;
            let want = if s.len() % 2 == 1 { s[m] } else { (s[m - 1] + s[m]) / 2.0 };
            proptest::prop_assert_eq!(median(&v).map(f64::to_bits), Some(want.to_bits()));
        }
    }
}
