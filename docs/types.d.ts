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
}

export interface SimulateOptions {
  fepHours?: number; unlistedNanpMarket?: string; kazakhstanMarketBefore202610?: string;
  serviceAllowanceScope?: "number" | "waba"; serviceAllowance?: number; conversationFreeTier?: number;
  nonprofit?: boolean; messages?: "all" | "none";
}

export interface SimEvent {
  at: Instant; user: string;
  kind: "inbound" | "template" | "message" | "reaction" | "marketing_lite" | "direct_send";
  category?: "marketing" | "utility" | "authentication"; referral?: "ctwa";
  from?: string; status?: "delivered" | "read" | "failed" | "sent";
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
    | "user_initiated" | "business_initiated" | "referral_conversion";
  type: "regular" | "free_customer_service" | "free_entry_point" | "free_tier" | "not_delivered";
  /** Meta's pricing.billable (SPEC §14): PMP, charged; CBP, in a conversation and not an entry point. */
  billable: boolean;
  charged: boolean; amount: Money; rate: Money | null; tier: number | null;
  conversation: { id: number; category: string; start: string; end: string; opened: boolean } | null;
  explanation: string;
}

export interface SimulateResult {
  currency: string; timezone: string; messages: MessageVerdict[];
  totals: {
    amount: Money; byCategory: Record<string, Money>; byMarket: Record<string, Money>; byMonth: Record<string, Money>;
    messages: number; charged: number; free: number; notDelivered: number;
    byType: Record<string, number>; conversations: Record<string, number>; tierSavings: Money;
    /** False when a charged message had no rate in force: `amount` is then at least what is owed. */
    complete: boolean; unpriced: Unpriced[];
  };
  cards: Array<{ date: string; currency: string; pricingModel: "CBP" | "PMP" }>;
  warnings: Array<{ code: string; message: string; index: number | null }>;
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
  warnings: Array<{ code: string; message: string; path: string | null }>;
}

export interface Comparison {
  dates: string[]; complete: boolean; estimates: Estimate[];
  deltas: Array<{ from: string; to: string; total: Money; meta: Money; byCategory: Record<string, Money>; byMarket: Record<string, Money> }>;
}

export interface QuoteMeta { seller?: string; customer?: string; issued: string; validDays?: number; reference?: string }

export interface QuoteLine { label: string; quantity: string; unitPrice: Money; amount: Money; kind: "meta" | "reseller" }

export interface Quote {
  id: string; seller: string; customer: string; issued: string; validUntil: string; reference: string | null;
  /** A quote with unpriced lines is a draft (`draftReason: "unpriced"`), never final. */
  status: "final" | "draft"; draftReason: "unpriced" | null; complete: boolean; unpriced: Unpriced[];
  currency: string; lines: QuoteLine[]; total: Money; oneTimeLines: QuoteLine[]; oneTimeTotal: Money;
  assumptions: string[]; estimate: Estimate; encoded: string;
}

export interface Decoded { scenario: Scenario; meta: QuoteMeta | null }
