//! One file per page.

pub mod workbench;
