//! "Did you mean": the closest candidate within a few edits (Damerau–Levenshtein),
//! with length and histogram filters and a bounded total cost.

/// Suggests the closest of `candidates` to `word`, if one is close enough to be a typo.
///
/// Uses the Damerau–Levenshtein distance, allowing one edit per three characters
/// (at least one, at most [`MAX_EDITS`]). Ties go to the alphabetically first
/// candidate. For many lookups against the same candidates, build one [`Suggester`].
///
/// # Complexity
/// As [`Suggester::suggest`], plus O(n log n) to sort the n candidates.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    Suggester::new(candidates).suggest(word)
}

/// The most edits a "did you mean" suggestion may be away from the word.
pub const MAX_EDITS: usize = 3;

/// Work units (one per candidate passed through the filters, plus 16 per cell of an
/// exact distance) that one [`Suggester`] spends in all its lookups; when they run out, it
/// suggests nothing more. About 0.2 s of CPU.
pub const SUGGEST_BUDGET: u64 = 200_000_000;

/// Buckets of the character histogram used as a filter.
const BUCKETS: usize = 16;

/// "Did you mean" lookups against one set of candidates, with a bounded total cost
/// (10,000 ids of 120 characters and hundreds of misspellings once cost a minute).
///
/// Each lookup keeps only the candidates whose length is within the edit limit k
/// (a binary search in the candidates sorted by length), then those whose character
/// histogram (16 buckets) is within 2k (an edit changes it by at most 2, a
/// transposition not at all: both are lower bounds of the distance, so no
/// suggestion is lost), and computes the exact distance only for those.
/// All lookups together spend at most [`SUGGEST_BUDGET`] work units; beyond it they
/// return `None` (a missing hint, never a wrong one), deterministically.
///
/// # Complexity
/// Building: O(total length + n log n) for n candidates, 40 bytes each. A lookup of
/// a word of length m: O(log n) plus O(1) per candidate of length m ± k for the
/// filters plus O(m²) per survivor, all bounded by the remaining budget.
///
/// # References
/// Ukkonen, "Algorithms for approximate string matching", Information and Control
/// 64 (1985) (length and q-gram count filters).
#[derive(Debug)]
pub struct Suggester<'a> {
    /// (length in characters, candidate, its histogram), sorted.
    by_len: Vec<(usize, &'a str, [u8; BUCKETS])>,
    budget: std::sync::atomic::AtomicU64,
}

/// The character histogram of `s` in [`BUCKETS`] buckets (saturating at 255; a
/// saturated bucket is never used to reject).
fn histogram(s: &str) -> [u8; BUCKETS] {
    let mut h = [0u8; BUCKETS];
    for c in s.chars() {
        let b = &mut h[c as usize % BUCKETS];
        *b = b.saturating_add(1);
    }
    h
}

impl<'a> Suggester<'a> {
    /// Indexes `candidates`.
    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Suggester<'a> {
        let mut by_len: Vec<(usize, &'a str, [u8; BUCKETS])> = candidates
            .into_iter()
            .map(|c| (c.chars().count(), c, histogram(c)))
            .collect();
        by_len.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        by_len.dedup_by(|a, b| a.1 == b.1);
        Suggester {
            by_len,
            budget: std::sync::atomic::AtomicU64::new(SUGGEST_BUDGET),
        }
    }

    /// The closest candidate to `word` within one edit per three characters (at least
    /// one, at most [`MAX_EDITS`]), ties to the alphabetically first; `None` when none
    /// is close enough, or the budget is spent.
    pub fn suggest(&self, word: &str) -> Option<&'a str> {
        use std::sync::atomic::Ordering;
        let m = word.chars().count();
        let limit = (m / 3).clamp(1, MAX_EDITS);
        let want = histogram(word);
        let lo = self.by_len.partition_point(|&(l, _, _)| l + limit < m);
        let mut best: Option<(usize, &'a str)> = None;
        let mut left = self.budget.load(Ordering::Relaxed);
        for &(len, c, have) in &self.by_len[lo..] {
            if len > m + limit {
                break;
            }
            if left == 0 {
                best = None;
                break;
            }
            left -= 1;
            let l1: u32 = want
                .iter()
                .zip(&have)
                .filter(|&(&a, &b)| a < u8::MAX && b < u8::MAX)
                .map(|(&a, &b)| u32::from(a.abs_diff(b)))
                .sum();
            if l1 as usize > 2 * limit || c == word {
                continue;
            }
            let cells = 16 * (m as u64 + 1) * (len as u64 + 1);
            if cells > left {
                left = 0;
                best = None;
                break;
            }
            left -= cells;
            let d = strsim::damerau_levenshtein(word, c);
            if d <= limit && best.is_none_or(|b| (d, c) < b) {
                best = Some((d, c));
            }
        }
        self.budget.store(left, Ordering::Relaxed);
        best.map(|(_, c)| c)
    }
}
