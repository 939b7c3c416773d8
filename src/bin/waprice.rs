//! Placeholder until the log-pricing CLI lands.
fn main() {}
