//! Reusable view pieces, one per file.

pub mod account_panel;
pub mod results_table;
pub mod run_panel;
pub mod share_panel;
pub mod tuning_form;
