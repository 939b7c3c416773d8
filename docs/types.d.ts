/** Money is always a decimal string ("1234.5"); shares are percentages (0-100). */
export type Money = string;
/** An instant: RFC 3339 with an offset, or epoch milliseconds. */
export type Instant = string | number;

/** Every error thrown by the engine. */
export interface WapriceError extends Error {
  code: string;      // stable, see docs/errors.md
  path: string;      // input path at fault, e.g. "events[3].user", "rates", or "" for the whole input
  /** Where in a text input (a CSV data file, a log): its kind, 1-based line and field number. */
  source?: "rates" | "tiers" | "markets" | "log"; line?: number; column?: number;
  file?: string;     // the same as source
  /** In a spreadsheet (xlsx_error): the sheet and the cell (A1). */
  sheet?: string; cell?: string;
  /**
   * The values the message names, for a front end to write the error in its language: `reason`
   * (a sub-code of `code`, when it has several meanings) and the parameters of that reason
   * (docs/errors.md, Reasons; their kinds in `engine.schema().errorParams`).
   */
  params: { reason?: string } & Record<string, string | number>;
}

export interface SimulateOptions {
  fepHours?: number; unlistedNanpMarket?: string; kazakhstanMarketBefore202610?: string;
  serviceAllowanceScope?: "number" | "waba"; serviceAllowance?: number; conversationFreeTier?: number;
  nonprofit?: boolean; messages?: "all" | "none";
}

export type DeliveryStatus = "delivered" | "read" | "failed" | "sent";

export interface SimEvent {
  /** Required except on a business message to a group, which names `participants` instead. */
  at: Instant; user?: string;
  kind: "inbound" | "template" | "message" | "reaction" | "marketing_lite" | "direct_send";
  category?: "marketing" | "utility" | "authentication"; referral?: "ctwa";
  from?: string; status?: DeliveryStatus;
  /** A group message (docs/simulator.md "Group messages"): written in the group (inbound) or sent to it. */
  group?: string;
  /** A group business message's participants (E.164), at most 8 per group. */
  participants?: string[];
  /** A participant's own status; a number named only here is a participant too. */
  statuses?: Record<string, DeliveryStatus>;
}

export interface SimulateInput {
  currency?: string; timezone?: string;
  business?: { country?: string; authInternational?: Record<string, string> };
  options?: SimulateOptions; events: SimEvent[];
}

export interface MessageVerdict {
  index: number; at: string; localDate: string; user: string; from: string | null;
  kind: "template" | "message" | "reaction" | "marketing_lite"; country: string | null; market: string;
  pricingModel: "CBP" | "PMP";
  category: "marketing" | "utility" | "authentication" | "authentication_international" | "service"
    | "user_initiated" | "business_initiated" | "referral_conversion"
    | "group_marketing" | "group_utility" | "group_service";
  type: "regular" | "free_customer_service" | "free_entry_point" | "free_tier" | "not_delivered"
    | "free_group_customer_service";
  /** Meta's pricing.billable (SPEC §14): PMP, charged; CBP, in a conversation and not an entry point. */
  billable: boolean;
  charged: boolean; amount: Money; rate: Money | null; tier: number | null;
  conversation: { id: number; category: string; start: string; end: string; opened: boolean } | null;
  /** The English of explanationCode with explanationParams (docs/messages.md). */
  explanation: string;
  explanationCode: string;
  explanationParams: MessageParams;
}

/** The parameters of a message: money and numbers as decimal strings, dates YYYY-MM-DD, counts integers. */
export type MessageParams = Record<string, string | number>;

/** A warning or notice (docs/messages.md). */
export interface EngineMessage {
  code: string; params: MessageParams; message: string; path: string | null; index: number | null;
}

/**
 * A window the simulation opened (SPEC §6): `service`, 24 h from a customer's message; `entry_point`,
 * the free-entry-point window from the business message that opened it. `index` is the input position
 * of that message; instants are RFC 3339 in UTC, `end` exclusive.
 */
export interface SimWindow {
  kind: "service" | "entry_point"; index: number; user: string; start: string; end: string;
}

export interface SimulateResult {
  currency: string; timezone: string; messages: MessageVerdict[];
  /** The windows opened, in order of instants; empty with `messages: 'none'`. */
  windows: SimWindow[];
  totals: {
    amount: Money; byCategory: Record<string, Money>; byMarket: Record<string, Money>; byMonth: Record<string, Money>;
    messages: number; charged: number; free: number; notDelivered: number;
    byType: Record<string, number>; conversations: Record<string, number>; tierSavings: Money;
    /** False when a charged message had no rate in force: `amount` is then at least what is owed. */
    complete: boolean; unpriced: Unpriced[];
  };
  cards: Array<{ date: string; currency: string; pricingModel: "CBP" | "PMP" }>;
  warnings: EngineMessage[];
}

/** Charged messages of one market × category with no rate on the card of the date (whole messages). */
export interface Unpriced { market: string; category: string; messages: number }

export interface Scenario {
  business?: {
    currency?: string; timezone?: string; phoneNumbers?: number; country?: string;
    authInternational?: Record<string, string>; date?: string;
    messagingLimit?: 250 | 1000 | 2000 | 10000 | 100000 | "unlimited";
  };
  audience: { contacts: number; mix: Array<{ country?: string; market?: string; share?: number; count?: number }> };
  journeys: Journey[];
  reseller?: Reseller;
  options?: SimulateOptions;
}

export interface Journey {
  preset?: "marketing_campaign" | "order_lifecycle" | "otp_login" | "support" | "ad_lead";
  name?: string; share?: number; timesPerMonth?: number; occurrencesPerMonth?: number;
  params?: Record<string, number | boolean | string | object>;
  steps?: Array<{ afterHours: number; kind: SimEvent["kind"]; category?: SimEvent["category"];
                  referral?: "ctwa"; status?: "delivered" | "failed" | "sent"; share?: number }>;
}

export interface Reseller {
  perOutbound?: Money; perInbound?: Money; perFailed?: Money;
  markupPercent?: Record<string, number>;
  perNumberMonthly?: Money; platformMonthly?: Money; setupFee?: Money;
  subAccounts?: { count: number; monthlyFee: Money };
  package?: { kind: "messages" | "active_users" | "conversations"; included: number; price: Money; overage?: Money };
  prepaid?: { pointPrice: Money; pointsPerUnit?: Money | number; handlingPercent?: number };
  quoteCurrency?: string; fxRate?: Money; fxMarginPercent?: number;
}

export interface Estimate {
  date: string; month: string; currency: string; timezone: string; contacts: string;
  total: Money;
  /** False when a charged message had no rate: `total` is then at least what is owed. */
  complete: boolean; unpriced: Unpriced[];
  meta: { total: Money; byCategory: Record<string, Money>; byMarket: Record<string, Money>;
          lines: Array<{ market: string; category: string; charged: string; free: string; amount: Money;
                         rate: Money | null; tierSavings: Money }> };
  free: { window: string; entryPoint: string; allowance: string; freeTier: string; conversation: string; total: string };
  notDelivered: string; tierSavings: Money;
  reseller: { total: Money; oneTime: Money;
              lines: Array<{ code: string; label: string; quantity: string; unitPrice: Money; amount: Money; oneTime: boolean }> };
  quote: { currency: string; fxRate: Money; total: Money; oneTime: Money } | null;
  perContact: Money | null; perDeliveredMessage: Money | null;
  messages: { business: string; delivered: string; charged: string; free: string; notDelivered: string; inbound: string };
  journeys: Array<{ name: string; contacts: string; amount: Money; messages: string; occurrences: string; timesPerMonth: string }>;
  cards: Array<{ date: string; currency: string; pricingModel: "CBP" | "PMP"; confidence: string; sources: string }>;
  limits: { peakDailyRecipients: string; tier: number | null; ok: boolean; neededTier: number | null; rampDays: number;
            rampHours: number; verification: boolean; scope: "number" | "portfolio"; tiers: Array<number | null>;
            defaultTier: number; ramp: "two_days_per_step" | "six_hours_once_half_used"; rulesFrom: string };
  warnings: EngineMessage[];
}

export interface Comparison {
  dates: string[]; complete: boolean; estimates: Estimate[];
  deltas: Array<{ from: string; to: string; total: Money; meta: Money; byCategory: Record<string, Money>; byMarket: Record<string, Money> }>;
  /** What changed between each date and the next (docs/estimate.md, "What changed"). */
  changes: Array<{ from: string; to: string; total: Money; changes: Change[] }>;
}

export interface Change {
  code: string; params: Record<string, string>; message: string;
  /** Signed effect on the total; null when grouped by the combined_change that follows. */
  effect: Money | null;
}

export interface QuoteMeta {
  seller?: string; customer?: string; issued: string; validDays?: number; reference?: string;
  linesBy?: "category" | "market"; markup?: "line" | "folded";
  taxes?: Array<{ name: string; percent: number; on: "meta" | "reseller" | "all" }>; customerTaxId?: string;
  validUntil?: string; paymentTerms?: string; fxSource?: string;
  wallet?: { days: number; minimumTopUp?: Money; cardFeePercent?: number };
  maxPrice?: { perThousand: Money; currency: "USD" | "EUR" | "GBP" | "AUD" | "MXN" | "BRL"; multipliers?: Record<string, number> };
}

/** A sentence of a quote: a stable code, its values, and the English message. */
export interface QuoteNote { code: string; params: Record<string, string | number>; message: string }

export interface QuoteLine {
  label: string; quantity: string; unitPrice: Money; amount: Money; kind: "meta" | "reseller" | "tax" | "fee" | "one_time";
  category?: string; market?: string; markets?: string[];
}

export interface Quote {
  id: string; seller: string; customer: string; issued: string; validUntil: string; reference: string | null;
  /** A quote with unpriced lines is a draft (`draftReason: "unpriced"`), never final. */
  status: "final" | "draft"; draftReason: "unpriced" | null; complete: boolean; unpriced: Unpriced[];
  currency: string; lines: QuoteLine[]; total: Money; oneTimeLines: QuoteLine[]; oneTimeTotal: Money;
  subtotal?: Money; taxLines?: QuoteLine[];
  assumptions: string[]; terms: QuoteNote[]; estimate: Estimate; encoded: string;
  fx?: { from: string; to: string; rate: Money; source?: string };
  wallet?: {
    days: number; daysInMonth: number; monthlyTotal: Money; exact: Money; minimumTopUp: Money; topUp: Money;
    fee?: QuoteLine; payable: Money; notes: QuoteNote[];
  };
  maxPrice?: {
    currency: string; perThousand: Money; ceilingTotal: Money; rateTotal: Money; note: QuoteNote;
    lines: Array<{ market: string; messages: string; rate: Money | null; rateAmount: Money; ceiling: Money; ceilingAmount: Money; aboveRate: boolean }>;
  };
}

export interface Decoded { scenario: Scenario; meta: QuoteMeta | null }
