//! Reusable view pieces, one per file.

pub mod results_table;
