//! The scenario as written: the serde types of `docs/estimate.md`, read with unknown fields refused.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::input::RawOptions;

/// The business as a scenario writes it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScenarioBusiness {
    /// Billing currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Time zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Business phone numbers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_numbers: Option<f64>,
    /// Primary country (ISO).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Authentication-international eligibility.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_international: Option<BTreeMap<String, String>>,
    /// Pricing date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Messaging-limit tier: a number or "unlimited".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub messaging_limit: Option<MessagingLimit>,
}

/// A messaging-limit tier as written: a number or `"unlimited"`.
#[derive(Debug, Clone, PartialEq)]
pub enum MessagingLimit {
    /// A tier: unique business-initiated recipients per 24 h.
    Tier(f64),
    /// Text (only `unlimited` is valid).
    Text(String),
}

impl<'de> Deserialize<'de> for MessagingLimit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = MessagingLimit;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a messaging-limit tier or \"unlimited\"")
            }
            fn visit_f64<E>(self, v: f64) -> std::result::Result<MessagingLimit, E> {
                Ok(MessagingLimit::Tier(v))
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<MessagingLimit, E> {
                Ok(MessagingLimit::Tier(v as f64))
            }
            fn visit_i64<E>(self, v: i64) -> std::result::Result<MessagingLimit, E> {
                Ok(MessagingLimit::Tier(v as f64))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<MessagingLimit, E> {
                Ok(MessagingLimit::Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for MessagingLimit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            MessagingLimit::Tier(t) => s.serialize_f64(*t),
            MessagingLimit::Text(t) => s.serialize_str(t),
        }
    }
}

/// A follow-up template of the `ad_lead` preset.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FollowUp {
    /// Hours after the ad-originated message.
    pub after_hours: f64,
    /// Template category.
    pub category: String,
}

/// Preset parameters (see the preset table of `docs/estimate.md`); a preset ignores the others.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Params {
    /// `marketing_campaign`: % who reply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_share: Option<f64>,
    /// `marketing_campaign`: agent replies per chat.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replies_per_chat: Option<f64>,
    /// `order_lifecycle`: % who write first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub writes_first_share: Option<f64>,
    /// `order_lifecycle`: send the confirmation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<bool>,
    /// `order_lifecycle`: send the shipping update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping: Option<bool>,
    /// `order_lifecycle`: send the delivery update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery: Option<bool>,
    /// `order_lifecycle`: hours to the shipping update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_after_hours: Option<f64>,
    /// `order_lifecycle`: hours to the delivery update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_after_hours: Option<f64>,
    /// `otp_login`: % of OTPs not delivered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fail_share: Option<f64>,
    /// `support`: agent replies per chat.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_replies: Option<f64>,
    /// `support`: customer messages per chat.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_messages: Option<f64>,
    /// `support`: chat length in hours.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chat_hours: Option<f64>,
    /// `ad_lead`: hours to the first reply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_within_hours: Option<f64>,
    /// `ad_lead`: follow-up templates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_ups: Option<Vec<FollowUp>>,
}

impl Params {
    /// Whether no parameter is set.
    pub fn is_empty(&self) -> bool {
        *self == Params::default()
    }
}

/// One entry of the audience mix.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MixEntry {
    /// ISO country code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Rate-card market.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub market: Option<String>,
    /// Share in percent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// Count of contacts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<f64>,
}

/// The audience.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Audience {
    /// Total contacts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contacts: Option<f64>,
    /// Mix over countries or markets.
    #[serde(default)]
    pub mix: Vec<MixEntry>,
}

/// One step of a custom journey.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Step {
    /// Hours after the start of the occurrence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_hours: Option<f64>,
    /// Event kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Template category.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// `ctwa`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referral: Option<String>,
    /// Delivery status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Share of contacts for whom the step happens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
}

/// A journey.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Journey {
    /// Preset name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// Label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Share of contacts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// Occurrences per contact per month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub times_per_month: Option<f64>,
    /// Occurrences per month over all the journey's contacts ("5,000 chats"), instead of
    /// `times_per_month`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occurrences_per_month: Option<f64>,
    /// Preset parameters.
    #[serde(default, skip_serializing_if = "Params::is_empty")]
    pub params: Params,
    /// Custom steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<Step>>,
}

/// A package plan of a reseller.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Package {
    /// `messages`, `active_users` or `conversations`.
    pub kind: String,
    /// Units included.
    pub included: f64,
    /// Price of the package.
    pub price: String,
    /// Price per unit beyond the package.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overage: Option<String>,
}

/// Sub-accounts.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubAccounts {
    /// Number of sub-accounts.
    pub count: f64,
    /// Fee per sub-account per month.
    pub monthly_fee: String,
}

/// Prepaid points.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Prepaid {
    /// Price of one point in the billing currency.
    pub point_price: String,
    /// Points consumed per unit of Meta charges (default: 1 / point price, i.e. at cost); a
    /// decimal string or a number.
    #[serde(
        default,
        deserialize_with = "decimal_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub points_per_unit: Option<String>,
    /// Handling fee on the purchase, percent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handling_percent: Option<f64>,
}

/// A decimal written as a string or as a JSON number, kept as text (a number as its shortest
/// decimal form, which [`money`] then reads like a string).
fn decimal_text<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<String>, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a decimal string such as \"0.5\" or a number")
        }
        fn visit_str<E>(self, v: &str) -> std::result::Result<Option<String>, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_f64<E>(self, v: f64) -> std::result::Result<Option<String>, E> {
            // Display of an f64 is its shortest round-trip decimal, never in exponent form.
            Ok(Some(v.to_string()))
        }
        fn visit_u64<E>(self, v: u64) -> std::result::Result<Option<String>, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_i64<E>(self, v: i64) -> std::result::Result<Option<String>, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_none<E>(self) -> std::result::Result<Option<String>, E> {
            Ok(None)
        }
        fn visit_unit<E>(self) -> std::result::Result<Option<String>, E> {
            Ok(None)
        }
    }
    d.deserialize_any(V)
}

/// Reseller (BSP) fees.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Reseller {
    /// Fee per business message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_outbound: Option<String>,
    /// Fee per customer message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_inbound: Option<String>,
    /// Fee per undelivered business message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_failed: Option<String>,
    /// Markup on Meta charges per category (or `all`), percent.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub markup_percent: BTreeMap<String, f64>,
    /// Monthly fee per business number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_number_monthly: Option<String>,
    /// Monthly platform fee.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform_monthly: Option<String>,
    /// One-time setup fee.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub setup_fee: Option<String>,
    /// Sub-accounts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_accounts: Option<SubAccounts>,
    /// Package plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package: Option<Package>,
    /// Prepaid points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prepaid: Option<Prepaid>,
    /// Quote currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote_currency: Option<String>,
    /// FX rate: quote currency per billing currency unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fx_rate: Option<String>,
    /// FX margin, percent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fx_margin_percent: Option<f64>,
}

/// A scenario as written.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    /// The business.
    #[serde(default)]
    pub business: ScenarioBusiness,
    /// The audience.
    #[serde(default)]
    pub audience: Audience,
    /// Journeys.
    #[serde(default)]
    pub journeys: Vec<Journey>,
    /// Reseller fees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reseller: Option<Reseller>,
    /// Simulation options.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<RawOptions>,
}
