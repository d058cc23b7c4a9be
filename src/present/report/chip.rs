//! The chip layer's section of the report (issue 16).
