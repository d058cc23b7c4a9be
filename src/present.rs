//! Presentation: analysis results turned into what people and programs read (tables,
//! Markdown, JSON shapes, figure data). Below the commands, above the analyses and
//! renderers; never imports `cli` or `run`.

pub mod analyses;
pub mod concentration;
pub mod figures;
pub mod report;
pub mod scenario;
pub mod sovereignty;
