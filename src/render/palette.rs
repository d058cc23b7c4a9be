//! Colours: the Okabe–Ito palette (safe for the common colour-vision deficiencies),
//! the jurisdiction colours derived from it, and the looks of overlay states.
//!
//! Colour never carries a meaning alone: domestic nodes also have a double outline,
//! chokepoints a heavy one, jurisdictions are written in each node's caption, and
//! overlay states come with a word, a glyph and an outline pattern.

use std::collections::BTreeMap;
use std::fmt;

use crate::analysis::NodeStatus;
use crate::graph::World;

use super::{Dash, Mark, NodeStyle};

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Mixes `self` with white: `amount` 0 keeps the colour, 1 gives white.
    pub fn tint(self, amount: f64) -> Rgb {
        let mix = |c: u8| {
            let v = f64::from(c) + (255.0 - f64::from(c)) * amount.clamp(0.0, 1.0);
            // Rounded and clamped into 0..=255, so the cast cannot truncate.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let b = v.round().clamp(0.0, 255.0) as u8;
            b
        };
        Rgb(mix(self.0), mix(self.1), mix(self.2))
    }
}

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// Okabe–Ito orange.
pub const ORANGE: Rgb = Rgb(0xE6, 0x9F, 0x00);
/// Okabe–Ito sky blue.
pub const SKY_BLUE: Rgb = Rgb(0x56, 0xB4, 0xE9);
/// Okabe–Ito bluish green.
pub const BLUISH_GREEN: Rgb = Rgb(0x00, 0x9E, 0x73);
/// Okabe–Ito yellow.
pub const YELLOW: Rgb = Rgb(0xF0, 0xE4, 0x42);
/// Okabe–Ito blue.
pub const BLUE: Rgb = Rgb(0x00, 0x72, 0xB2);
/// Okabe–Ito vermillion.
pub const VERMILLION: Rgb = Rgb(0xD5, 0x5E, 0x00);
/// Okabe–Ito reddish purple.
pub const REDDISH_PURPLE: Rgb = Rgb(0xCC, 0x79, 0xA7);
/// Text and outlines.
pub const INK: Rgb = Rgb(0x1F, 0x23, 0x28);
/// Secondary text.
pub const MUTED: Rgb = Rgb(0x5A, 0x62, 0x6B);
/// Neutral grey for what has no jurisdiction.
pub const GREY: Rgb = Rgb(0x8C, 0x92, 0x99);
/// Edges.
pub const EDGE: Rgb = Rgb(0x6E, 0x76, 0x80);
/// White.
pub const WHITE: Rgb = Rgb(0xFF, 0xFF, 0xFF);
/// Band fills, alternating.
pub const BANDS: [Rgb; 2] = [Rgb(0xF3, 0xF1, 0xEC), Rgb(0xEA, 0xE7, 0xDF)];

/// Colours for foreign jurisdictions, most frequent first. Bluish green is kept for
/// "domestic", vermillion and orange for failure and degradation.
const FOREIGN: [Rgb; 4] = [BLUE, REDDISH_PURPLE, SKY_BLUE, YELLOW];

/// The colour of each jurisdiction, fixed for the whole world so that a jurisdiction
/// has the same colour in every figure.
#[derive(Debug, Clone, Default)]
pub struct Jurisdictions {
    colours: BTreeMap<String, Rgb>,
}

impl Jurisdictions {
    /// Assigns colours by frequency: the jurisdictions owning the most nodes get the
    /// palette's colours (ties by code), the rest share grey.
    ///
    /// # Complexity
    /// O(n + j log j) for n nodes and j jurisdictions.
    pub fn of(world: &World) -> Jurisdictions {
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for i in world.indices() {
            if let Some(j) = world.node(i).jurisdiction.as_deref() {
                *count.entry(j).or_default() += 1;
            }
        }
        let mut order: Vec<(&str, usize)> = count.into_iter().collect();
        order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let colours = order
            .iter()
            .enumerate()
            .map(|(k, (j, _))| ((*j).to_owned(), FOREIGN.get(k).copied().unwrap_or(GREY)))
            .collect();
        Jurisdictions { colours }
    }

    /// The colour of `code` (grey when unknown or absent).
    pub fn colour(&self, code: Option<&str>) -> Rgb {
        code.and_then(|c| self.colours.get(c))
            .copied()
            .unwrap_or(GREY)
    }
}

/// A node coloured by jurisdiction: a light tint of the colour, the colour as outline.
pub fn jurisdiction_style(colour: Rgb, domestic: bool) -> NodeStyle {
    let colour = if domestic { BLUISH_GREEN } else { colour };
    NodeStyle {
        fill: colour.tint(0.72),
        stroke: darken(colour),
        ink: INK,
        double: domestic,
        heavy: false,
        dash: Dash::Solid,
        hatch: false,
        rounded: true,
    }
}

/// A node in an overlay: coloured by its state, with an outline pattern per state.
pub fn mark_style(mark: Mark) -> NodeStyle {
    let (fill, stroke, dash, hatch) = match mark {
        Mark::Removed => (Rgb(0x3A, 0x3F, 0x45).tint(0.7), INK, Dash::Solid, true),
        Mark::Status(NodeStatus::Failed) => (
            VERMILLION.tint(0.55),
            darken(VERMILLION),
            Dash::Solid,
            false,
        ),
        Mark::Status(NodeStatus::Unknown) => (GREY.tint(0.75), INK, Dash::Dotted, false),
        Mark::Status(NodeStatus::Degraded) => {
            (ORANGE.tint(0.6), darken(ORANGE), Dash::Dashed, false)
        }
        Mark::Status(NodeStatus::Intact) => (
            BLUISH_GREEN.tint(0.85),
            darken(BLUISH_GREEN),
            Dash::Solid,
            false,
        ),
    };
    NodeStyle {
        fill,
        stroke,
        ink: INK,
        double: false,
        heavy: false,
        dash,
        hatch,
        rounded: true,
    }
}

/// A block that a scoped scenario hits for some destinations only while other
/// countries that need it keep it (the overview): a pale failure tint with a dashed
/// outline and half-filled glyph, distinct from failed (solid) and degraded (orange).
pub fn partial_style() -> NodeStyle {
    NodeStyle {
        fill: VERMILLION.tint(0.85),
        stroke: darken(VERMILLION),
        ink: INK,
        double: false,
        heavy: false,
        dash: Dash::Dashed,
        hatch: false,
        rounded: true,
    }
}

/// A darker shade for outlines and text on tints.
pub fn darken(c: Rgb) -> Rgb {
    let d = |v: u8| u8::try_from(u16::from(v) * 7 / 10).unwrap_or(v);
    Rgb(d(c.0), d(c.1), d(c.2))
}

/// The fill of a matrix cell for a country's state after a removal.
pub fn cell_colour(status: NodeStatus) -> Rgb {
    match status {
        NodeStatus::Failed => VERMILLION,
        NodeStatus::Unknown => GREY.tint(0.35),
        NodeStatus::Degraded => ORANGE.tint(0.35),
        NodeStatus::Intact => Rgb(0xF4, 0xF4, 0xF1),
    }
}

/// The ink readable on [`cell_colour`]: at least 4.5:1 (WCAG AA) on every fill.
/// Black on vermillion is 5.4:1; white on it would be 3.9:1.
pub fn cell_ink(status: NodeStatus) -> Rgb {
    match status {
        NodeStatus::Failed => BLACK,
        _ => INK,
    }
}

/// Black, for text on vermillion.
pub const BLACK: Rgb = Rgb(0, 0, 0);

/// The WCAG 2 relative luminance of `c`.
pub fn luminance(c: Rgb) -> f64 {
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

/// The WCAG 2 contrast ratio of two colours, from 1 to 21.
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[cfg(test)]
mod contrast_tests {
    use super::*;

    #[test]
    fn every_matrix_cell_reads_at_wcag_aa() {
        assert!((contrast(WHITE, VERMILLION) - 3.87).abs() < 0.01);
        for s in [
            NodeStatus::Failed,
            NodeStatus::Unknown,
            NodeStatus::Degraded,
            NodeStatus::Intact,
        ] {
            let c = contrast(cell_colour(s), cell_ink(s));
            assert!(c >= 4.5, "{s:?}: {c:.2}:1");
        }
    }
}
