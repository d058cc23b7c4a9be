//! The exposure matrix: countries × removals (top chokepoints, jurisdictions), each
//! cell saying whether that removal fails, degrades or spares the country.
//!
//! The matrix takes plain rows, columns and cells; whoever computes the cascades
//! (the report) fills it, so this module has no dependency on the analysis engine.

use crate::analysis::NodeStatus;

/// A labelled group of columns ("Top chokepoints", "Jurisdictions cut off").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnGroup {
    /// The group's heading.
    pub label: String,
    /// Column headings.
    pub columns: Vec<String>,
}

/// A heat map of countries (rows) against removals (columns).
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    /// Heading and SVG `<title>`.
    pub title: String,
    /// One line under the heading.
    pub subtitle: String,
    /// For screen readers (SVG `<desc>`).
    pub desc: String,
    /// Row headings (countries).
    pub rows: Vec<String>,
    /// Column groups, left to right.
    pub groups: Vec<ColumnGroup>,
    /// `cells[row][column]`, columns numbered across all groups: the country's state
    /// when that column's removal happens (its worst capability).
    pub cells: Vec<Vec<NodeStatus>>,
}

/// Cells that do not form a rows × columns grid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("matrix cells must be {rows} rows × {cols} columns")]
pub struct ShapeError {
    /// The number of rows.
    pub rows: usize,
    /// The number of columns of all groups.
    pub cols: usize,
}

impl Matrix {
    /// Builds a matrix, checking that every row has one cell per column.
    ///
    /// # Errors
    /// When the shape of `cells` does not match `rows` × the columns of `groups`.
    pub fn new(
        title: String,
        subtitle: String,
        rows: Vec<String>,
        groups: Vec<ColumnGroup>,
        cells: Vec<Vec<NodeStatus>>,
    ) -> Result<Matrix, ShapeError> {
        let cols: usize = groups.iter().map(|g| g.columns.len()).sum();
        if cells.len() != rows.len() || cells.iter().any(|r| r.len() != cols) {
            return Err(ShapeError {
                rows: rows.len(),
                cols,
            });
        }
        let failed = cells
            .iter()
            .flatten()
            .filter(|s| **s == NodeStatus::Failed)
            .count();
        let desc = format!(
            "Exposure matrix of {} countries against {cols} removals; {failed} of the {} \
             cells fail the country.",
            rows.len(),
            rows.len() * cols
        );
        Ok(Matrix {
            title,
            subtitle,
            desc,
            rows,
            groups,
            cells,
        })
    }

    /// The number of columns over all groups.
    pub fn column_count(&self) -> usize {
        self.groups.iter().map(|g| g.columns.len()).sum()
    }
}

/// The word written in a cell.
pub fn cell_word(status: NodeStatus) -> &'static str {
    match status {
        NodeStatus::Failed => "fails",
        NodeStatus::Unknown => "unknown",
        NodeStatus::Degraded => "degrades",
        NodeStatus::Intact => "spared",
    }
}

/// What a cell's state means, for legends.
pub fn cell_meaning(status: NodeStatus) -> &'static str {
    match status {
        NodeStatus::Failed => "a capability fails",
        NodeStatus::Unknown => "may fail: undetermined dependencies",
        NodeStatus::Degraded => "works, alternatives lost",
        NodeStatus::Intact => "untouched",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_ragged_cells() {
        let g = vec![ColumnGroup {
            label: "x".into(),
            columns: vec!["a".into(), "b".into()],
        }];
        assert!(
            Matrix::new(
                "t".into(),
                "s".into(),
                vec!["SG".into()],
                g.clone(),
                vec![vec![NodeStatus::Failed]]
            )
            .is_err()
        );
        let m = Matrix::new(
            "t".into(),
            "s".into(),
            vec!["SG".into()],
            g,
            vec![vec![NodeStatus::Failed, NodeStatus::Intact]],
        )
        .unwrap();
        assert_eq!(m.column_count(), 2);
        assert!(m.desc.contains("1 of the 2 cells"));
    }
}
