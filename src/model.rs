//! The small vocabularies of the pricing rules: categories, pricing models, verdict types,
//! confidence levels and the pricing eras.

use crate::time::{ymd, Date};
use serde::Serialize;

/// A pricing category, as on Meta's rate cards and in message verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Marketing templates and conversations.
    Marketing,
    /// Utility templates and conversations.
    Utility,
    /// Authentication templates and conversations.
    Authentication,
    /// Authentication to a market with an international rate, by an eligible business abroad.
    AuthenticationInternational,
    /// Non-template (free-form) messages and service conversations.
    Service,
    /// 2022 conversation type: opened by a reply inside a customer-service window.
    UserInitiated,
    /// 2022 conversation type: opened outside a customer-service window.
    BusinessInitiated,
    /// Messages inside a free-entry-point window.
    ReferralConversion,
}

impl Category {
    /// Every category, in a fixed order (used for dense tables).
    pub const ALL: [Category; 8] = [
        Category::Marketing,
        Category::Utility,
        Category::Authentication,
        Category::AuthenticationInternational,
        Category::Service,
        Category::UserInitiated,
        Category::BusinessInitiated,
        Category::ReferralConversion,
    ];

    /// Number of categories.
    pub const COUNT: usize = 8;

    /// The snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Category::Marketing => "marketing",
            Category::Utility => "utility",
            Category::Authentication => "authentication",
            Category::AuthenticationInternational => "authentication_international",
            Category::Service => "service",
            Category::UserInitiated => "user_initiated",
            Category::BusinessInitiated => "business_initiated",
            Category::ReferralConversion => "referral_conversion",
        }
    }

    /// Parses the snake_case name.
    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Dense index.
    #[inline]
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Template categories that a business can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TemplateCategory {
    /// Marketing.
    Marketing,
    /// Utility.
    Utility,
    /// Authentication.
    Authentication,
}

impl TemplateCategory {
    /// Every template category, in the order a form lists them.
    pub const ALL: [TemplateCategory; 3] = [
        TemplateCategory::Marketing,
        TemplateCategory::Utility,
        TemplateCategory::Authentication,
    ];

    /// Parses `marketing`, `utility` or `authentication`.
    pub fn parse(s: &str) -> Option<TemplateCategory> {
        match s {
            "marketing" => Some(TemplateCategory::Marketing),
            "utility" => Some(TemplateCategory::Utility),
            "authentication" => Some(TemplateCategory::Authentication),
            _ => None,
        }
    }

    /// The rate-card category.
    pub const fn category(self) -> Category {
        match self {
            TemplateCategory::Marketing => Category::Marketing,
            TemplateCategory::Utility => Category::Utility,
            TemplateCategory::Authentication => Category::Authentication,
        }
    }
}

/// Pricing model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum PricingModel {
    /// Conversation-based pricing (2022-02-01 to 2025-06-30).
    #[serde(rename = "CBP")]
    Cbp,
    /// Per-message pricing (from 2025-07-01).
    #[serde(rename = "PMP")]
    Pmp,
}

impl PricingModel {
    /// `CBP` or `PMP`.
    pub fn as_str(self) -> &'static str {
        match self {
            PricingModel::Cbp => "CBP",
            PricingModel::Pmp => "PMP",
        }
    }

    /// Parses the CSV column value `per_conversation` / `per_message` (or `CBP` / `PMP`).
    pub fn parse(s: &str) -> Option<PricingModel> {
        match s {
            "per_conversation" | "CBP" => Some(PricingModel::Cbp),
            "per_message" | "PMP" => Some(PricingModel::Pmp),
            _ => None,
        }
    }

    /// Dense index.
    #[inline]
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Why a message costs what it costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictType {
    /// Charged at the list (or tier) rate, or riding in a charged conversation.
    Regular,
    /// Free because of the customer-service window (or free service conversations).
    FreeCustomerService,
    /// Free because of a free-entry-point window.
    FreeEntryPoint,
    /// Free within a monthly free tier or allowance.
    FreeTier,
    /// Not delivered: never charged.
    NotDelivered,
}

impl VerdictType {
    /// Every type, in a fixed order.
    pub const ALL: [VerdictType; 5] = [
        VerdictType::Regular,
        VerdictType::FreeCustomerService,
        VerdictType::FreeEntryPoint,
        VerdictType::FreeTier,
        VerdictType::NotDelivered,
    ];

    /// The snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            VerdictType::Regular => "regular",
            VerdictType::FreeCustomerService => "free_customer_service",
            VerdictType::FreeEntryPoint => "free_entry_point",
            VerdictType::FreeTier => "free_tier",
            VerdictType::NotDelivered => "not_delivered",
        }
    }
}

/// How sure the data is of a figure (`data/PROVENANCE.md`, "Confidence scale").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// The figure was read for another date; the date comes from Meta's change list.
    Derived,
    /// One weak source.
    Low,
    /// One good copy.
    Medium,
    /// Two or more independent copies agree.
    High,
}

impl Confidence {
    /// Parses the CSV value (empty is `low`: a figure without a stated confidence is not trusted).
    pub fn parse(s: &str) -> Option<Confidence> {
        match s.trim() {
            "derived" => Some(Confidence::Derived),
            "low" | "" => Some(Confidence::Low),
            "medium" => Some(Confidence::Medium),
            "high" => Some(Confidence::High),
            _ => None,
        }
    }

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Derived => "derived",
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// The pricing eras of SPEC §7, chosen by the business-local date of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Era {
    /// 2022-02-01 .. 2023-05-31: user- and business-initiated conversations.
    TwoType,
    /// 2023-06-01 .. 2025-06-30: conversations per category.
    FourCategory,
    /// 2025-07-01 .. 2026-09-30: per-message pricing.
    PerMessage,
    /// From 2026-10-01: per-message pricing with paid service messages.
    PaidService,
}

/// First day of conversation-based pricing.
pub const CBP_START: Date = ymd(2022, 2, 1);
/// First day on which free-entry-point windows last `fepHours` instead of 24 h.
pub const FEP_72H_START: Date = ymd(
    FEP_72H_START_YMD.0,
    FEP_72H_START_YMD.1,
    FEP_72H_START_YMD.2,
);
/// [`FEP_72H_START`] as year, month and day (for `engine.schema()`).
pub const FEP_72H_START_YMD: (i32, u32, u32) = (2023, 3, 1);
/// Default length in hours of a free-entry-point window opened from [`FEP_72H_START`] (the
/// `fepHours` option, SPEC §5, §12).
pub const FEP_HOURS_DEFAULT: u32 = 72;
/// Length in hours of a free-entry-point window opened before [`FEP_72H_START`] (SPEC §5).
pub const FEP_HOURS_BEFORE_72H: u32 = 24;
/// First day of the four-category conversation era.
pub const FOUR_CATEGORY_START: Date = ymd(2023, 6, 1);
/// First day on which service conversations are free and unlimited.
pub const FREE_SERVICE_START: Date = ymd(2024, 11, 1);
/// First day of per-message pricing.
pub const PMP_START: Date = ymd(2025, 7, 1);
/// First day of paid service messages and utility charged inside the window.
pub const PAID_SERVICE_START: Date = ymd(
    PAID_SERVICE_START_YMD.0,
    PAID_SERVICE_START_YMD.1,
    PAID_SERVICE_START_YMD.2,
);
/// [`PAID_SERVICE_START`] as year, month and day (for `engine.schema()`, written at compile time).
pub const PAID_SERVICE_START_YMD: (i32, u32, u32) = (2026, 10, 1);
/// Last day on which eligible non-profit bodies keep free service messages.
pub const NONPROFIT_FREE_SERVICE_END: Date = ymd(2027, 12, 31);

impl Era {
    /// The era of a local date, or `None` before 2022-02-01.
    #[inline]
    pub fn of(d: Date) -> Option<Era> {
        if d < CBP_START {
            None
        } else if d < FOUR_CATEGORY_START {
            Some(Era::TwoType)
        } else if d < PMP_START {
            Some(Era::FourCategory)
        } else if d < PAID_SERVICE_START {
            Some(Era::PerMessage)
        } else {
            Some(Era::PaidService)
        }
    }

    /// The pricing model of the era.
    #[inline]
    pub fn model(self) -> PricingModel {
        match self {
            Era::TwoType | Era::FourCategory => PricingModel::Cbp,
            Era::PerMessage | Era::PaidService => PricingModel::Pmp,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn era_boundaries() {
        assert_eq!(Era::of(ymd(2022, 1, 31)), None);
        assert_eq!(Era::of(ymd(2022, 2, 1)), Some(Era::TwoType));
        assert_eq!(Era::of(ymd(2023, 5, 31)), Some(Era::TwoType));
        assert_eq!(Era::of(ymd(2023, 6, 1)), Some(Era::FourCategory));
        assert_eq!(Era::of(ymd(2025, 6, 30)), Some(Era::FourCategory));
        assert_eq!(Era::of(ymd(2025, 7, 1)), Some(Era::PerMessage));
        assert_eq!(Era::of(ymd(2026, 9, 30)), Some(Era::PerMessage));
        assert_eq!(Era::of(ymd(2026, 10, 1)), Some(Era::PaidService));
        for c in [
            CBP_START,
            FEP_72H_START,
            FREE_SERVICE_START,
            NONPROFIT_FREE_SERVICE_END,
        ] {
            assert_ne!(c, Date::MIN);
        }
    }

    #[test]
    fn names_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(c));
            assert_eq!(Category::ALL[c.index()], c);
        }
        assert_eq!(PricingModel::parse("per_message"), Some(PricingModel::Pmp));
        assert_eq!(Confidence::parse("derived"), Some(Confidence::Derived));
        assert!(Confidence::Derived < Confidence::High);
    }
}
