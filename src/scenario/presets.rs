//! The journey presets' parameters with their defaults and ranges (docs/estimate.md): the one
//! definition that the presets read when they expand a journey, and that `engine.schema()` gives
//! to a front end.

use super::MAX_STEPS;
use crate::model::TemplateCategory;

/// How a preset parameter is written in a form (`engine.schema()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// A percentage, 0 to 100.
    Percent,
    /// A number from 0 to the parameter's largest value.
    Number,
    /// A whole number (of messages) from the parameter's smallest to its largest value.
    Count,
    /// On or off (the default is on).
    Bool,
    /// A list of follow-up templates (`ad_lead`).
    FollowUps,
}

impl ParamKind {
    /// `percent`, `number`, `bool` or `followUps`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ParamKind::Percent => "percent",
            ParamKind::Number => "number",
            ParamKind::Count => "count",
            ParamKind::Bool => "bool",
            ParamKind::FollowUps => "followUps",
        }
    }
}

/// One parameter of a journey preset: its key in `params`, how it is written, its default (for a
/// flag: 1 is on) and its range. The presets read these, and so does `engine.schema()`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamDef {
    /// Key in a journey's `params`.
    pub key: &'static str,
    /// How it is written.
    pub kind: ParamKind,
    /// Default when the journey does not set it (a flag: 1 on, 0 off; follow-ups: [`DEFAULT_FOLLOW_UPS`]).
    pub default: f64,
    /// Smallest value accepted.
    pub min: f64,
    /// Largest value accepted.
    pub max: f64,
}

const fn def(key: &'static str, kind: ParamKind, default: f64, min: f64, max: f64) -> ParamDef {
    ParamDef {
        key,
        kind,
        default,
        min,
        max,
    }
}
const fn share(key: &'static str) -> ParamDef {
    def(key, ParamKind::Percent, 0.0, 0.0, 100.0)
}
const fn flag(key: &'static str) -> ParamDef {
    def(key, ParamKind::Bool, 1.0, 0.0, 1.0)
}
const fn hours(key: &'static str, default: f64, max: f64) -> ParamDef {
    def(key, ParamKind::Number, default, 0.0, max)
}
/// Messages per chat: a fraction of a message cannot be sent.
const fn count(key: &'static str, default: f64, min: f64) -> ParamDef {
    def(key, ParamKind::Count, default, min, MAX_STEPS as f64)
}

pub(super) const REPLY_SHARE: ParamDef = share("replyShare");
pub(super) const REPLIES_PER_CHAT: ParamDef = count("repliesPerChat", 1.0, 0.0);
pub(super) const WRITES_FIRST_SHARE: ParamDef = share("writesFirstShare");
pub(super) const CONFIRMATION: ParamDef = flag("confirmation");
pub(super) const SHIPPING: ParamDef = flag("shipping");
pub(super) const DELIVERY: ParamDef = flag("delivery");
pub(super) const SHIPPING_AFTER_HOURS: ParamDef = hours("shippingAfterHours", 24.0, 24.0 * 60.0);
pub(super) const DELIVERY_AFTER_HOURS: ParamDef = hours("deliveryAfterHours", 72.0, 24.0 * 60.0);
pub(super) const FAIL_SHARE: ParamDef = share("failShare");
pub(super) const AGENT_REPLIES: ParamDef = count("agentReplies", 3.0, 0.0);
/// The chat starts with a customer message: at least one.
pub(super) const CUSTOMER_MESSAGES: ParamDef = count("customerMessages", 3.0, 1.0);
pub(super) const CHAT_HOURS: ParamDef = hours("chatHours", 1.0, 24.0 * 30.0);
pub(super) const REPLY_WITHIN_HOURS: ParamDef = hours("replyWithinHours", 1.0, 24.0 * 30.0);
pub(super) const FOLLOW_UPS: ParamDef = def(
    "followUps",
    ParamKind::FollowUps,
    0.0,
    0.0,
    MAX_STEPS as f64,
);

/// The `ad_lead` follow-ups when a journey sets none: hours after the ad message, category.
pub const DEFAULT_FOLLOW_UPS: [(f64, TemplateCategory); 2] = [
    (24.0, TemplateCategory::Marketing),
    (96.0, TemplateCategory::Marketing),
];

/// The journey presets and their parameters (docs/estimate.md), in the order a form lists them.
pub const PRESETS: [(&str, &[ParamDef]); 5] = [
    ("marketing_campaign", &[REPLY_SHARE, REPLIES_PER_CHAT]),
    (
        "order_lifecycle",
        &[
            WRITES_FIRST_SHARE,
            CONFIRMATION,
            SHIPPING,
            DELIVERY,
            SHIPPING_AFTER_HOURS,
            DELIVERY_AFTER_HOURS,
        ],
    ),
    ("otp_login", &[FAIL_SHARE]),
    ("support", &[AGENT_REPLIES, CUSTOMER_MESSAGES, CHAT_HOURS]),
    ("ad_lead", &[REPLY_WITHIN_HOURS, FOLLOW_UPS]),
];

/// The messaging-limit tiers a business can be on (besides `"unlimited"`).
pub const MESSAGING_LIMITS: [u64; 5] = [250, 1000, 2000, 10000, 100000];
/// The messaging-limit tier of a scenario that names none.
pub const DEFAULT_MESSAGING_LIMIT: u64 = 1000;
