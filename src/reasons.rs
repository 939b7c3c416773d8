//! The catalogue of error reasons: every error the engine returns has a stable [`ErrorCode`] and,
//! where a code has several meanings, a reason (`wrong_type`, `missing_field`…) with the typed
//! parameters its sentence names, so that a front end writes each error in its language
//! (`err.CODE.REASON` in the page's catalogs, `err.CODE` for a code's default sentence).
//!
//! An error is built with its reason ([`Error::coded`]); [`check`] verifies that an error's reason is
//! registered here for its code and that its parameters are exactly the registered ones, of the
//! registered kinds. `docs/errors.md` lists the same table (a test compares them), and the page's
//! catalogs hold a template for each row (`tests/js/i18n.test.mjs`).
//!
//! The tables are grouped by the part of the engine that raises them. Only [`PARAM_KINDS`] is
//! compiled into the WebAssembly builds (for `engine.schema().errorParams`); the reasons
//! themselves are for tests and documentation.

use crate::error::{Error, ErrorCode};
use crate::messages::Kind;

/// One reason of a code: the code, the reason id (`""`: the code's default sentence), and the
/// parameters its sentence names with their kinds.
#[derive(Debug, Clone, Copy)]
pub struct Reason {
    /// The error code.
    pub code: ErrorCode,
    /// The reason id, unique among all reasons; `""` for the code's default sentence.
    pub reason: &'static str,
    /// The parameters (other than `reason`) every error of this reason carries.
    pub params: &'static [(&'static str, Kind)],
}

const fn r(
    code: ErrorCode,
    reason: &'static str,
    params: &'static [(&'static str, Kind)],
) -> Reason {
    Reason {
        code,
        reason,
        params,
    }
}

use ErrorCode as C;
use Kind::*;

/// The kind of each parameter name used by an error: a name has one kind in every reason, so a
/// front end formats an error's params from this table alone (`engine.schema().errorParams`).
pub const PARAM_KINDS: &[&[(&str, Kind)]] = &[
    // Shared by several parts.
    &[
        ("value", Text),
        ("min", Number),
        ("max", Number),
        ("date", Date),
        ("field", Text),
        ("line", Count),
        ("column", Count),
        ("count", Count),
        ("limit", Count),
        ("market", Market),
        ("country", Country),
        ("currency", Currency),
        ("category", Category),
        ("currencies", Text),
        ("byte", Count),
        ("detail", Text),
    ],
    // Inputs (src/input/, src/time.rs, src/markets.rs, src/engine.rs, src/pricing/, src/estimate/,
    // src/wasm/): add names here.
    &[("expected", Term), ("allowed", Text), ("previous", Text)],
    // Scenario and quote (src/scenario/, src/quote*): add names here.
    &[
        ("total", Number),
        ("contacts", Number),
        ("quoteCurrency", Currency),
        ("tax", Text),
    ],
    // Data files and Meta's rate cards (src/data/, src/metafile/, src/wasm/ratecard.rs): add names
    // here.
    &[
        ("header", Text),
        ("header_columns", Count),
        ("volume_from", Count),
        ("volume_to", Count),
        ("valid_from", Date),
        ("pricing_model", Term),
        ("file_date", Date),
        ("file_currency", Currency),
        ("offset", Count),
    ],
    // Logs and the command line (src/logs/, src/wasm/logs.rs, cli/): add names here.
    &[
        ("method", Text),
        ("instant", Text),
        ("frontier", Text),
        ("seconds", Count),
    ],
];

/// The ids a `term` parameter of an error can take, (parameter, id): the page's words are
/// `term.NAME.ID` (docs/errors.md lists them in the parameter tables).
pub const TERMS: &[(&str, &str)] = &[
    ("expected", "number"),
    ("expected", "text"),
    ("expected", "boolean"),
    ("expected", "list"),
    ("expected", "object"),
    ("expected", "instant"),
    ("expected", "value"),
    ("pricing_model", "per_conversation"),
    ("pricing_model", "per_message"),
];

/// The reasons of the engine's inputs: events, options, instants, phone numbers, markets, rates
/// and the estimate's limits.
pub const INPUTS: &[Reason] = &[
    r(C::InvalidPhone, "", &[("value", Text)]),
    r(C::InvalidDate, "", &[("value", Text)]),
    r(C::InvalidInstant, "", &[("value", Text)]),
    r(C::InvalidTimezone, "", &[("value", Text)]),
    r(C::InvalidCurrency, "", &[("value", Text)]),
    r(C::UnknownMarket, "", &[("value", Text)]),
    r(C::UnknownCountry, "", &[("value", Text)]),
    r(C::InvalidKind, "", &[("value", Text)]),
    r(C::InvalidStatus, "", &[("value", Text)]),
    r(
        C::InvalidOption,
        "",
        &[("value", Text), ("min", Number), ("max", Number)],
    ),
    r(C::UnsupportedDate, "", &[("date", Date)]),
    // -- inputs: add reasons below this line.
    // The shape of a JSON input (src/input/mod.rs, src/wasm/mod.rs).
    r(
        C::InvalidInput,
        "wrong_type",
        &[("value", Text), ("expected", Term)],
    ),
    r(C::InvalidInput, "comma_number", &[("value", Text)]),
    r(C::InvalidInput, "unknown_field", &[("field", Text)]),
    r(C::InvalidInput, "unknown_variant", &[("value", Text)]),
    r(C::InvalidInput, "missing_field", &[("field", Text)]),
    r(C::InvalidInput, "duplicate_field", &[("field", Text)]),
    r(
        C::InvalidInput,
        "syntax",
        &[("line", Count), ("column", Count)],
    ),
    r(C::InvalidInput, "wrong_shape", &[]),
    r(C::InvalidInput, "not_utf8", &[("byte", Count)]),
    r(C::InvalidInput, "not_finite", &[("value", Text)]),
    r(C::InvalidInput, "not_data", &[]),
    r(C::InvalidInput, "unconvertible_result", &[]),
    r(C::InvalidInput, "event_columns", &[]),
    // Events and group messages.
    r(C::InvalidInput, "invalid_referral", &[("value", Text)]),
    r(C::InvalidInput, "group_not_here", &[]),
    r(C::InvalidInput, "group_missing_id", &[]),
    r(C::InvalidInput, "group_from_ad", &[]),
    r(C::InvalidInput, "group_writer_only", &[]),
    r(C::InvalidInput, "group_user_given", &[]),
    r(C::InvalidInput, "participant_twice", &[("value", Text)]),
    r(C::InvalidInput, "group_no_participants", &[]),
    r(C::InvalidInput, "late_delivered", &[]),
    r(
        C::InvalidInput,
        "out_of_order",
        &[("value", Text), ("previous", Text)],
    ),
    r(
        C::InvalidInput,
        "date_count",
        &[("count", Count), ("limit", Count)],
    ),
    r(
        C::InvalidOption,
        "not_a_choice",
        &[("value", Text), ("allowed", Text)],
    ),
    r(C::InvalidPhone, "missing_user", &[]),
    r(C::InvalidInstant, "missing_instant", &[]),
    r(C::InvalidInstant, "millis_not_whole", &[("value", Text)]),
    r(
        C::InvalidInstant,
        "instant_out_of_range",
        &[("value", Text)],
    ),
    r(C::InvalidCategory, "missing_category", &[]),
    r(C::InvalidCategory, "", &[("value", Text)]),
    r(C::InvalidCategory, "rate_category", &[("value", Text)]),
    r(C::InvalidKind, "group_kind", &[]),
    // Limits.
    r(
        C::LimitExceeded,
        "group_too_large",
        &[("value", Text), ("limit", Count)],
    ),
    r(C::LimitExceeded, "too_many_events", &[("limit", Count)]),
    r(
        C::LimitExceeded,
        "events_over_limit",
        &[("count", Count), ("limit", Count)],
    ),
    r(
        C::LimitExceeded,
        "estimate_too_large",
        &[("count", Count), ("limit", Count)],
    ),
    // Rates.
    r(
        C::MissingRate,
        "no_rate",
        &[
            ("currency", Currency),
            ("market", Market),
            ("category", Category),
            ("date", Date),
        ],
    ),
    r(
        C::MissingRate,
        "no_card",
        &[("currency", Currency), ("currencies", Text)],
    ),
    r(
        C::MissingRate,
        "no_card_on_date",
        &[("currency", Currency), ("date", Date), ("currencies", Text)],
    ),
    r(C::MissingRate, "empty_tiers", &[]),
    r(C::Overflow, "decimal_range", &[]),
    r(C::InvalidEncoding, "link_not_text", &[]),
];

/// The reasons of scenarios, reseller terms and quotes.
pub const SCENARIO: &[Reason] = &[
    // -- scenario and quote: add reasons below this line.
    // Amounts, percentages and numbers (src/scenario/plan.rs).
    r(C::InvalidInput, "negative_amount", &[("value", Text)]),
    r(C::InvalidInput, "amount_too_long", &[("value", Text)]),
    r(C::InvalidInput, "not_an_amount", &[("value", Text)]),
    r(
        C::InvalidInput,
        "percent_out_of_range",
        &[("value", Text), ("min", Number), ("max", Number)],
    ),
    r(
        C::InvalidInput,
        "number_out_of_range",
        &[
            ("field", Text),
            ("value", Text),
            ("min", Number),
            ("max", Number),
        ],
    ),
    // The business and the audience.
    r(
        C::MissingRate,
        "no_card_in_currency",
        &[("currency", Currency), ("currencies", Text)],
    ),
    r(
        C::InvalidInput,
        "invalid_messaging_limit",
        &[("value", Text)],
    ),
    r(C::InvalidInput, "missing_contacts", &[]),
    r(
        C::LimitExceeded,
        "too_many_contacts",
        &[("value", Text), ("limit", Count)],
    ),
    r(C::InvalidInput, "empty_mix", &[]),
    r(
        C::LimitExceeded,
        "too_many_mix_entries",
        &[("count", Count), ("limit", Count)],
    ),
    r(C::InvalidInput, "mix_share_or_count", &[]),
    r(C::InvalidInput, "mix_country_or_market", &[]),
    r(C::InvalidInput, "mix_shares_and_counts", &[]),
    r(C::InvalidInput, "mix_shares_total", &[("total", Number)]),
    r(
        C::InvalidInput,
        "mix_counts_total",
        &[("total", Number), ("contacts", Number)],
    ),
    r(
        C::UnknownMarket,
        "market_without_country",
        &[("market", Market), ("date", Date)],
    ),
    // Journeys (src/scenario/journeys.rs).
    r(
        C::LimitExceeded,
        "too_many_journeys",
        &[("count", Count), ("limit", Count)],
    ),
    r(C::InvalidInput, "unknown_preset", &[("value", Text)]),
    r(C::InvalidInput, "preset_or_steps", &[]),
    r(
        C::InvalidInput,
        "count_out_of_range",
        &[
            ("field", Text),
            ("value", Text),
            ("min", Number),
            ("max", Number),
        ],
    ),
    r(C::InvalidCategory, "follow_up_category", &[("value", Text)]),
    r(
        C::LimitExceeded,
        "too_many_follow_ups",
        &[("count", Count), ("limit", Count)],
    ),
    r(
        C::LimitExceeded,
        "too_many_steps",
        &[("count", Count), ("limit", Count)],
    ),
    r(C::InvalidInput, "missing_step_hours", &[]),
    r(
        C::InvalidInput,
        "step_hours_out_of_range",
        &[("value", Text), ("min", Number), ("max", Number)],
    ),
    r(
        C::LimitExceeded,
        "too_many_partial_steps",
        &[("limit", Count)],
    ),
    r(C::InvalidInput, "times_and_occurrences", &[]),
    r(
        C::InvalidInput,
        "occurrences_out_of_range",
        &[
            ("field", Text),
            ("value", Text),
            ("min", Number),
            ("max", Number),
            ("limit", Count),
            ("contacts", Number),
        ],
    ),
    r(C::Overflow, "occurrences_overflow", &[]),
    // Reseller terms (src/scenario/reseller.rs).
    r(C::InvalidCategory, "markup_category", &[("value", Text)]),
    r(C::InvalidInput, "unknown_package_kind", &[("value", Text)]),
    r(C::InvalidInput, "zero_amount", &[("value", Text)]),
    r(
        C::InvalidInput,
        "fx_rate_missing",
        &[("currency", Currency), ("quoteCurrency", Currency)],
    ),
    // Quotes and shared scenarios (src/quote.rs, src/quote/extras.rs).
    r(
        C::LimitExceeded,
        "link_too_long",
        &[("count", Count), ("limit", Count)],
    ),
    r(C::InvalidEncoding, "link_unreadable", &[("value", Text)]),
    r(
        C::InvalidEncoding,
        "link_bad_json",
        &[("value", Text), ("detail", Text)],
    ),
    r(C::InvalidInput, "not_encodable", &[]),
    r(C::Overflow, "unreadable_figure", &[("value", Text)]),
    r(C::InvalidOption, "option_choice", &[("value", Text)]),
    r(C::InvalidInput, "tax_name_empty", &[]),
    r(C::InvalidInput, "tax_rate_missing", &[("tax", Text)]),
    r(
        C::LimitExceeded,
        "text_too_long",
        &[("count", Count), ("limit", Count)],
    ),
    r(
        C::InvalidOption,
        "valid_until_before_issue",
        &[("value", Text), ("date", Date)],
    ),
    r(
        C::InvalidOption,
        "fx_source_without_quote",
        &[("value", Text)],
    ),
    r(C::InvalidOption, "max_price_currency", &[("value", Text)]),
    r(
        C::InvalidOption,
        "max_price_not_billing",
        &[("value", Text), ("currency", Currency)],
    ),
    r(C::InvalidOption, "multiplier_market", &[("value", Text)]),
    r(
        C::InvalidInput,
        "multiplier_out_of_range",
        &[("value", Text)],
    ),
];

/// The reasons of data files (CSV) and Meta's rate-card files (CSV, XLSX).
pub const DATA: &[Reason] = &[
    // -- data files and rate cards: add reasons below this line.
    r(
        C::LimitExceeded,
        "file_too_large",
        &[("count", Count), ("limit", Count)],
    ),
    r(C::LimitExceeded, "too_many_rows", &[("limit", Count)]),
    r(
        C::CsvError,
        "missing_column",
        &[("field", Text), ("header", Text)],
    ),
    r(
        C::CsvError,
        "field_count",
        &[("count", Count), ("header_columns", Count)],
    ),
    r(C::CsvError, "csv_unreadable", &[]),
    r(C::CsvError, "unclosed_quote", &[]),
    r(C::CsvError, "text_after_quote", &[("line", Count)]),
    r(
        C::CsvError,
        "unknown_pricing_model",
        &[("field", Text), ("value", Text)],
    ),
    r(
        C::CsvError,
        "category_for_model",
        &[("field", Text), ("value", Text), ("pricing_model", Term)],
    ),
    r(
        C::CsvError,
        "unknown_tier_category",
        &[("field", Text), ("value", Text)],
    ),
    r(
        C::CsvError,
        "invalid_tier",
        &[("field", Text), ("value", Text)],
    ),
    r(
        C::CsvError,
        "invalid_count",
        &[("field", Text), ("value", Text)],
    ),
    r(
        C::CsvError,
        "empty_value",
        &[("field", Text), ("value", Text)],
    ),
    r(
        C::CsvError,
        "volume_to_below_from",
        &[("field", Text), ("value", Text), ("volume_from", Count)],
    ),
    r(
        C::CsvError,
        "invalid_calling_code",
        &[("field", Text), ("value", Text)],
    ),
    r(
        C::CsvError,
        "invalid_country_code",
        &[("field", Text), ("value", Text)],
    ),
    r(
        C::CsvError,
        "prefix_too_long",
        &[("field", Text), ("value", Text)],
    ),
    r(
        C::CsvError,
        "valid_to_before_from",
        &[("field", Text), ("value", Text), ("valid_from", Date)],
    ),
    r(
        C::CsvError,
        "not_a_date",
        &[("field", Text), ("value", Text)],
    ),
    r(
        C::CsvError,
        "negative_rate",
        &[("field", Text), ("value", Text)],
    ),
    r(
        C::CsvError,
        "not_a_decimal",
        &[("field", Text), ("value", Text)],
    ),
    r(
        C::CsvError,
        "not_a_currency_code",
        &[("field", Text), ("value", Text)],
    ),
    r(
        C::CsvError,
        "unknown_confidence",
        &[("field", Text), ("value", Text)],
    ),
    r(C::CsvError, "not_text_or_xlsx", &[("offset", Count)]),
    r(C::CsvError, "card_unknown_market", &[("value", Text)]),
    r(C::XlsxError, "sheet_unknown_market", &[("value", Text)]),
    r(C::CsvError, "card_not_a_currency", &[("value", Text)]),
    r(C::XlsxError, "sheet_not_a_currency", &[("value", Text)]),
    r(
        C::CsvError,
        "card_currency_differs",
        &[("value", Text), ("currency", Currency)],
    ),
    r(
        C::XlsxError,
        "sheet_currency_differs",
        &[("value", Text), ("currency", Currency)],
    ),
    r(
        C::CsvError,
        "card_layout_2022",
        &[("value", Text), ("date", Date)],
    ),
    r(
        C::XlsxError,
        "sheet_layout_2022",
        &[("value", Text), ("date", Date)],
    ),
    r(
        C::CsvError,
        "card_layout_categories",
        &[("value", Text), ("date", Date)],
    ),
    r(
        C::XlsxError,
        "sheet_layout_categories",
        &[("value", Text), ("date", Date)],
    ),
    r(C::CsvError, "card_row_without_market", &[]),
    r(C::XlsxError, "sheet_row_without_market", &[]),
    r(C::CsvError, "card_tiers_without_rate", &[]),
    r(C::XlsxError, "sheet_tiers_without_rate", &[]),
    r(C::CsvError, "card_tiers_without_category", &[]),
    r(C::XlsxError, "sheet_tiers_without_category", &[]),
    r(C::CsvError, "card_band_without_market", &[]),
    r(C::XlsxError, "sheet_band_without_market", &[]),
    r(
        C::CsvError,
        "card_unknown_tier_category",
        &[("value", Text)],
    ),
    r(
        C::XlsxError,
        "sheet_unknown_tier_category",
        &[("value", Text)],
    ),
    r(
        C::CsvError,
        "card_no_tiers_for_category",
        &[("category", Category)],
    ),
    r(
        C::XlsxError,
        "sheet_no_tiers_for_category",
        &[("category", Category)],
    ),
    r(C::CsvError, "card_band_half_given", &[]),
    r(C::XlsxError, "sheet_band_half_given", &[]),
    r(
        C::CsvError,
        "card_band_ends_before_start",
        &[("volume_from", Count), ("volume_to", Count)],
    ),
    r(
        C::XlsxError,
        "sheet_band_ends_before_start",
        &[("volume_from", Count), ("volume_to", Count)],
    ),
    r(C::CsvError, "card_invalid_rate", &[("value", Text)]),
    r(C::XlsxError, "sheet_invalid_rate", &[("value", Text)]),
    r(C::CsvError, "card_negative_rate", &[("value", Text)]),
    r(C::XlsxError, "sheet_negative_rate", &[("value", Text)]),
    r(C::CsvError, "card_invalid_count", &[("value", Text)]),
    r(C::XlsxError, "sheet_invalid_count", &[("value", Text)]),
    r(
        C::CsvError,
        "card_preamble_model",
        &[("pricing_model", Term), ("date", Date)],
    ),
    r(
        C::XlsxError,
        "sheet_preamble_model",
        &[("pricing_model", Term), ("date", Date)],
    ),
    r(
        C::CsvError,
        "card_tiers_before_per_message",
        &[("date", Date)],
    ),
    r(
        C::XlsxError,
        "sheet_tiers_before_per_message",
        &[("date", Date)],
    ),
    r(C::CsvError, "card_no_rate", &[]),
    r(C::XlsxError, "sheet_no_rate", &[]),
    r(C::CsvError, "card_no_header_row", &[]),
    r(C::XlsxError, "sheet_no_header_row", &[]),
    r(C::InvalidDate, "no_effective_date", &[]),
    r(
        C::InvalidDate,
        "date_disagrees",
        &[("date", Date), ("file_date", Date)],
    ),
    r(C::InvalidCurrency, "no_currency", &[]),
    r(
        C::InvalidCurrency,
        "currency_disagrees",
        &[("currency", Currency), ("file_currency", Currency)],
    ),
    r(C::XlsxError, "no_spreadsheet_reader", &[]),
    r(C::XlsxError, "workbook_without_sheets", &[]),
    r(C::XlsxError, "not_a_spreadsheet", &[]),
    r(C::XlsxError, "unreadable_sheet", &[]),
    r(C::XlsxError, "too_many_cells", &[("limit", Count)]),
    r(C::InvalidInput, "not_a_rate_card", &[]),
];

/// The reasons of log imports, log reports, the command line and the MCP server.
pub const LOGS: &[Reason] = &[
    // -- logs and command line: add reasons below this line.
    r(
        C::LimitExceeded,
        "log_record_too_long",
        &[("line", Count), ("limit", Count)],
    ),
    r(
        C::LimitExceeded,
        "log_reorder_buffer_full",
        &[("limit", Count)],
    ),
    r(
        C::LimitExceeded,
        "log_webhook_pending_full",
        &[("limit", Count)],
    ),
    r(C::InvalidDate, "log_opening_month", &[("value", Text)]),
    r(
        C::InvalidCategory,
        "log_untiered_category",
        &[("value", Text)],
    ),
    r(
        C::InvalidCategory,
        "log_template_category",
        &[("value", Text)],
    ),
    r(C::InvalidOption, "log_messages_all", &[]),
    r(C::InvalidOption, "log_format", &[("value", Text)]),
    r(C::InvalidOption, "log_on_error", &[("value", Text)]),
    r(C::InvalidOption, "log_what_if_shift", &[("value", Text)]),
    r(C::InvalidOption, "log_what_if_date_missing", &[]),
    r(C::InvalidOption, "log_what_if_date_unshifted", &[]),
    r(C::InvalidInput, "log_tape_after_last", &[]),
    r(C::InvalidInput, "log_tape_last_missing", &[]),
    r(C::InvalidInput, "log_pricing_finished", &[]),
    r(C::InvalidInput, "log_reading_over", &[]),
    r(C::InvalidInput, "log_feed_mixed", &[("method", Text)]),
    r(C::InvalidInput, "log_reader_stopped", &[]),
    r(C::InvalidInput, "log_chunk_type", &[]),
    r(C::InvalidInput, "log_tape_type", &[]),
    r(C::InvalidEncoding, "log_tape_broken", &[("byte", Count)]),
    r(C::InvalidInput, "log_json_array_comma", &[("line", Count)]),
    r(
        C::InvalidInput,
        "log_json_array_trailing",
        &[("line", Count)],
    ),
    r(C::InvalidInput, "log_json_array_value", &[("line", Count)]),
    r(
        C::InvalidInput,
        "log_json_array_unclosed",
        &[("line", Count)],
    ),
    r(
        C::InvalidInput,
        "log_field_not_utf8",
        &[("field", Text), ("column", Count)],
    ),
    r(
        C::InvalidInput,
        "log_event_too_late",
        &[("instant", Text), ("seconds", Count), ("frontier", Text)],
    ),
    r(
        C::CsvError,
        "log_csv_quote_unclosed",
        &[("line", Count), ("column", Count)],
    ),
    r(
        C::CsvError,
        "log_csv_after_quote",
        &[("line", Count), ("column", Count)],
    ),
    r(
        C::CsvError,
        "log_csv_line_break",
        &[("line", Count), ("column", Count)],
    ),
    r(
        C::CsvError,
        "log_csv_quote_unclosed_at_end",
        &[("line", Count), ("column", Count)],
    ),
    r(C::CsvError, "log_csv_header_duplicate", &[("field", Text)]),
    r(
        C::CsvError,
        "log_csv_header_missing",
        &[("field", Text), ("value", Text)],
    ),
    r(C::CsvError, "log_csv_no_header", &[]),
    r(C::InvalidInput, "webhook_not_payload", &[]),
    r(C::InvalidInput, "webhook_message_id_missing", &[]),
    r(C::InvalidInstant, "webhook_timestamp", &[("value", Text)]),
    r(
        C::InvalidInstant,
        "webhook_timestamp_range",
        &[("value", Text)],
    ),
    r(C::InvalidInstant, "webhook_timestamp_type", &[]),
    r(C::InvalidInstant, "webhook_timestamp_missing", &[]),
    r(
        C::InvalidPhone,
        "webhook_phone",
        &[("field", Text), ("value", Text)],
    ),
    r(C::InvalidPhone, "webhook_phone_missing", &[("field", Text)]),
    r(
        C::InvalidOption,
        "cli_file_unreadable",
        &[("value", Text), ("detail", Text)],
    ),
    r(
        C::InvalidOption,
        "cli_file_unwritable",
        &[("value", Text), ("detail", Text)],
    ),
    r(
        C::InvalidOption,
        "cli_file_not_utf8",
        &[("value", Text), ("byte", Count)],
    ),
    r(
        C::InvalidOption,
        "cli_flag_json",
        &[("field", Text), ("detail", Text)],
    ),
    r(C::InvalidOption, "cli_templates_line", &[("line", Count)]),
    r(C::InvalidInput, "cli_yaml", &[("detail", Text)]),
    r(C::InvalidInput, "cli_result_not_json", &[("detail", Text)]),
    r(C::InvalidInput, "mcp_missing_argument", &[("field", Text)]),
    r(
        C::InvalidInput,
        "mcp_argument_not_json",
        &[("field", Text), ("detail", Text)],
    ),
    r(C::InvalidInput, "mcp_unknown_tool", &[("value", Text)]),
];

/// Every registered reason.
pub fn all() -> impl Iterator<Item = &'static Reason> {
    INPUTS
        .iter()
        .chain(SCENARIO.iter())
        .chain(DATA.iter())
        .chain(LOGS.iter())
}

/// The kind of an error parameter's name, if registered.
pub fn param_kind(name: &str) -> Option<Kind> {
    PARAM_KINDS
        .iter()
        .flat_map(|g| g.iter())
        .find(|(n, _)| *n == name)
        .map(|(_, k)| *k)
}

/// Checks that `e`'s reason is registered for its code and that it carries exactly the
/// registered parameters, of their kinds; the error names what differs.
pub fn check(e: &Error) -> Result<(), String> {
    let reason = e.reason();
    let entry = all()
        .find(|r| r.code == e.code && r.reason == reason)
        .ok_or_else(|| {
            format!(
                "{} has no registered reason {reason:?} (src/reasons.rs): {e}",
                e.code
            )
        })?;
    let given: Vec<_> = e
        .params
        .as_deref()
        .map(|p| p.0.iter().filter(|(n, _)| *n != "reason").collect())
        .unwrap_or_default();
    for (name, value) in &given {
        match entry.params.iter().find(|(n, _)| n == name) {
            None => {
                return Err(format!(
                    "{}.{reason}: unregistered parameter {name}: {e}",
                    e.code
                ))
            }
            Some((_, kind)) if *kind != value.kind() => {
                return Err(format!(
                    "{}.{reason}: parameter {name} is {}, registered as {}: {e}",
                    e.code,
                    value.kind().as_str(),
                    kind.as_str()
                ))
            }
            _ => {}
        }
    }
    for (name, _) in entry.params {
        if given.iter().filter(|(n, _)| n == name).count() != 1 {
            return Err(format!(
                "{}.{reason}: parameter {name} missing or repeated: {e}",
                e.code
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    fn rust_sources(dir: &Path, out: &mut Vec<(String, String)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                rust_sources(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                out.push((p.display().to_string(), text));
            }
        }
    }

    #[test]
    fn reasons_are_unique_snake_case_and_their_params_have_one_kind() {
        let mut seen = BTreeSet::new();
        let kinds: BTreeMap<&str, Kind> =
            PARAM_KINDS.iter().flat_map(|g| g.iter().copied()).collect();
        let declared: usize = PARAM_KINDS.iter().map(|g| g.len()).sum();
        assert_eq!(
            kinds.len(),
            declared,
            "a parameter name is in PARAM_KINDS twice"
        );
        for r in all() {
            assert!(
                r.reason
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit()),
                "{}",
                r.reason
            );
            assert!(
                seen.insert((r.code.as_str(), r.reason)),
                "{}.{} registered twice",
                r.code,
                r.reason
            );
            for (name, kind) in r.params {
                assert_ne!(*name, "reason");
                assert_eq!(
                    kinds.get(name),
                    Some(kind),
                    "{}.{}: parameter {name} must be in PARAM_KINDS as {}",
                    r.code,
                    r.reason,
                    kind.as_str()
                );
            }
        }
        let ids: Vec<_> = all().map(|r| r.reason).filter(|r| !r.is_empty()).collect();
        let unique: BTreeSet<_> = ids.iter().collect();
        assert_eq!(ids.len(), unique.len(), "a reason id is used by two codes");
    }

    /// Every registered reason is raised somewhere (no dead entry), and every reason literal given
    /// to `Error::coded`/`coded_at` (or a helper that takes one) is registered.
    #[test]
    fn every_reason_is_raised_and_every_raised_reason_is_registered() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        rust_sources(&root.join("src"), &mut files);
        rust_sources(&root.join("cli/src"), &mut files);
        let text: String = files
            .iter()
            .filter(|(p, _)| !p.ends_with("reasons.rs"))
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        for r in all().filter(|r| !r.reason.is_empty()) {
            assert!(
                text.contains(&format!("\"{}\"", r.reason)),
                "{}.{} is registered but never raised",
                r.code,
                r.reason
            );
        }
        let registered: BTreeSet<&str> = all().map(|r| r.reason).collect();
        for (path, t) in files.iter().filter(|(p, _)| !p.ends_with("reasons.rs")) {
            let mut rest = t.as_str();
            while let Some(i) = rest.find("coded") {
                rest = &rest[i + 5..];
                let call = rest.trim_start_matches("_at");
                let Some(call) = call.strip_prefix('(') else {
                    continue;
                };
                // The second argument of `coded(code, "reason", …)`.
                let Some(comma) = call.find(',') else {
                    continue;
                };
                let arg = call[comma + 1..].trim_start();
                if let Some(lit) = arg.strip_prefix('"') {
                    let id = &lit[..lit.find('"').unwrap_or(0)];
                    assert!(
                        registered.contains(id),
                        "{path}: reason {id:?} is not registered in src/reasons.rs"
                    );
                }
            }
        }
    }

    #[test]
    fn docs_list_every_reason_with_its_params() {
        let doc = include_str!("../docs/errors.md");
        let start = doc
            .find("## Reasons")
            .expect("docs/errors.md has a Reasons section");
        let section = &doc[start..];
        let section = &section[..section.find("\n## ").unwrap_or(section.len())];
        let tables = &section[section.find("\n### ").expect("a ### table of reasons")..];
        let mut rows = BTreeSet::new();
        for line in tables.lines().filter(|l| l.starts_with("| `")) {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            // A parameter row (| `name` | kind | what |) has a bare kind in its second cell.
            if cells[2] != "—" && !cells[2].starts_with('`') {
                continue;
            }
            // | `code` | `reason` or — | params | meaning |
            let code = cells[1].trim_matches('`');
            let reason = if cells[2] == "—" {
                ""
            } else {
                cells[2].trim_matches('`')
            };
            let mut params: Vec<&str> = if cells[3] == "—" {
                Vec::new()
            } else {
                cells[3]
                    .split(',')
                    .map(|p| p.trim().trim_matches('`'))
                    .collect()
            };
            params.sort_unstable();
            rows.insert((code.to_string(), reason.to_string(), params.join(",")));
        }
        let mut want = BTreeSet::new();
        for r in all() {
            let mut params: Vec<&str> = r.params.iter().map(|(n, _)| *n).collect();
            params.sort_unstable();
            want.insert((
                r.code.as_str().to_string(),
                r.reason.to_string(),
                params.join(","),
            ));
        }
        let missing: Vec<_> = want.difference(&rows).collect();
        let extra: Vec<_> = rows.difference(&want).collect();
        assert!(
            missing.is_empty(),
            "reasons missing from docs/errors.md: {missing:?}"
        );
        assert!(
            extra.is_empty(),
            "docs/errors.md lists reasons not registered: {extra:?}"
        );
        for (name, kind) in PARAM_KINDS.iter().flat_map(|g| g.iter()) {
            assert!(
                section.contains(&format!("| `{name}` | {} |", kind.as_str())),
                "docs/errors.md: parameter {name} ({}) missing from the parameter table",
                kind.as_str()
            );
        }
    }

    #[test]
    fn docs_list_the_ids_of_every_term_parameter() {
        let doc = include_str!("../docs/errors.md");
        let mut listed = BTreeSet::new();
        for line in doc.lines().filter(|l| l.contains("` | term | ")) {
            let name = line.split('`').nth(1).unwrap_or("");
            let what = line.split(" | term | ").nth(1).unwrap_or("");
            for id in what.split('`').skip(1).step_by(2) {
                listed.insert((name.to_string(), id.to_string()));
            }
        }
        let want: BTreeSet<_> = TERMS
            .iter()
            .map(|(n, i)| (n.to_string(), i.to_string()))
            .collect();
        assert_eq!(listed, want, "docs/errors.md's term ids and reasons::TERMS");
    }

    #[test]
    fn check_names_what_differs() {
        let e = Error::coded(C::InvalidPhone, "", "user", "bad").value("12");
        assert_eq!(check(&e), Ok(()));
        let e = Error::coded(C::InvalidPhone, "", "user", "bad");
        assert!(check(&e).unwrap_err().contains("parameter value missing"));
        let e = Error::coded(C::InvalidPhone, "no_such_reason", "user", "bad");
        assert!(check(&e).unwrap_err().contains("no registered reason"));
        let e = Error::coded(C::InvalidPhone, "", "user", "bad")
            .value("12")
            .with("count", crate::messages::Value::Count(1));
        assert!(check(&e)
            .unwrap_err()
            .contains("unregistered parameter count"));
    }
}
