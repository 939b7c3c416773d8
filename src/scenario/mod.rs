//! Scenarios: a business described by its audience and customer journeys (see `docs/estimate.md`),
//! validated, and expanded into the timelines of representative contacts.
//!
//! - [`types`]: the scenario as written (serde types);
//! - [`plan`]: its validation into a [`Plan`] (every error names its path);
//! - [`reseller`]: the reseller fields, validated with the plan so that pricing only multiplies;
//! - [`journeys`]: the presets and custom steps, expanded into cohorts of timelines;
//! - [`presets`]: the presets' parameters with their defaults (also given by `engine.schema()`).

mod journeys;
mod plan;
mod presets;
mod reseller;
mod types;

pub(crate) use plan::{above_zero, over_limit};
pub use plan::{countries, money, percent, Cohort, Plan, PlannedJourney, Segment};
pub use presets::{
    ParamDef, ParamKind, DEFAULT_FOLLOW_UPS, DEFAULT_MESSAGING_LIMIT, MESSAGING_LIMITS, PRESETS,
};
pub use reseller::{PackageTerms, PrepaidTerms, QuoteTerms, ResellerTerms};
pub use types::*;

/// Largest audience accepted.
pub const MAX_CONTACTS: u64 = 1_000_000_000_000;
/// Largest number of occurrences of one journey per contact per month.
pub const MAX_TIMES_PER_MONTH: f64 = 1000.0;
/// Largest number of mix entries.
pub const MAX_MIX: usize = 400;
/// Largest number of journeys.
pub const MAX_JOURNEYS: usize = 50;
/// Largest number of steps in a custom journey (and of agent replies etc. in a preset).
pub const MAX_STEPS: usize = 500;

/// Embedded `data/countries.csv`: ISO country → calling code and an example number.
pub const COUNTRIES_CSV: crate::data::EmbeddedFile = crate::data::embedded_file!("countries.csv");
