//! `report.html`: one self-contained page (inline SVG and CSS, no script, no network) that
//! reads well on screen and prints to A4. Rendered with maud, which escapes every value.

use maud::{html as m, Markup, PreEscaped, DOCTYPE};

use super::campaign::{CampaignResults, OverTime};
use super::{FeatureRow, FlagNote, Report, SegmentCard};
use crate::i18n::Lang;
use crate::render::{Chart, ChartKind};

const CSS: &str = r#"
:root { --ink:#222; --muted:#666; --line:#ddd; --soft:#f5f6f8; --accent:#0072b2; --warn:#d55e00; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink);
  margin: 0 auto; max-width: 1080px; padding: 24px 32px 48px; line-height: 1.45; font-size: 15px; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 8px; }
header h1 { margin: 0 0 4px; font-size: 30px; }
header p { margin: 0 0 12px; color: var(--muted); }
nav { font-size: 14px; margin: 8px 0 24px; }
nav a { margin-right: 16px; color: var(--accent); text-decoration: none; }
h2 { font-size: 22px; border-bottom: 1px solid var(--line); padding-bottom: 4px; margin-top: 36px; }
h3 { font-size: 18px; margin: 0 0 6px; }
h4 { font-size: 14px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 14px 0 6px; }
.headline { font-size: 18px; }
.kpis { display: flex; gap: 12px; flex-wrap: wrap; margin: 12px 0; }
.kpi { background: var(--soft); border-radius: 6px; padding: 10px 14px; min-width: 160px; }
.kpi b { display: block; font-size: 20px; }
.kpi span { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; font-size: 13.5px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.n { white-space: nowrap; }
tr.chosen td { background: #e8f3fa; font-weight: 600; }
.dot { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 6px; vertical-align: -1px; }
.flag { border-left: 5px solid var(--warn); background: #fdf1e8; padding: 10px 14px; margin: 10px 0; border-radius: 0 6px 6px 0; }
.flag.vip { border-color: #009e73; background: #e9f6f1; }
.flag.churn_risk, .flag.discount_dependent { border-color: #e69f00; background: #fdf6e6; }
.flag b { display: block; }
.card { border: 1px solid var(--line); border-top: 6px solid var(--seg); border-radius: 6px; padding: 14px 18px; margin: 16px 0; }
.card .desc { color: var(--muted); margin: 0 0 8px; }
.card .persona p { margin: 0 0 8px; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 28px; }
.numbers { display: grid; grid-template-columns: repeat(3, 1fr); gap: 6px 16px; margin: 8px 0; }
.numbers div span { display: block; color: var(--muted); font-size: 12px; }
.numbers div b { font-size: 16px; }
figure.chart { margin: 16px 0; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { width: 100%; height: auto; display: block; }
svg.lift { width: 100%; max-width: 460px; height: auto; }
ul { margin: 4px 0 8px; padding-left: 20px; }
.note { color: var(--muted); font-size: 13px; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
@media (max-width: 760px) { .cols { grid-template-columns: 1fr; } .numbers { grid-template-columns: 1fr 1fr; } }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav { display: none; }
  .card, .flag, table, figure.chart { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  section { break-before: auto; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

fn figure(charts: &[Chart], kind: ChartKind) -> Markup {
    match charts.iter().find(|c| c.kind == kind) {
        Some(c) => m! {
            figure.chart data-chart=(kind.slug()) aria-label=(c.title) {
                (PreEscaped(c.svg.as_str()))
            }
        },
        None => m! {},
    }
}

fn flag_box(f: &FlagNote) -> Markup {
    m! {
        div class=(format!("flag {}", f.kind)) {
            b { (f.label) " – " (f.segment) " " (f.name) }
            (f.message)
        }
    }
}

/// A small inline chart of a segment's lifts: one bar per distinguishing feature, to the right
/// above the base and to the left below it.
fn lift_bars(rows: &[FeatureRow], colour: &str, lang: Lang) -> Markup {
    let rows: Vec<&FeatureRow> = rows.iter().filter(|r| r.lift.is_some()).collect();
    if rows.is_empty() {
        return m! {};
    }
    let (w, row_h, label_w) = (460.0, 24.0, 200.0);
    let mid = label_w + (w - label_w) / 2.0;
    let half = (w - label_w) / 2.0 - 40.0;
    let max = rows
        .iter()
        .map(|r| r.lift.unwrap_or(0.0).abs())
        .fold(1.0f64, f64::max);
    let h = row_h * rows.len() as f64 + 8.0;
    m! {
        svg.lift xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {w} {h}")) role="img" {
            line x1=(mid) y1="0" x2=(mid) y2=(h) stroke="#999" stroke-width="1" {}
            @for (i, r) in rows.iter().enumerate() {
                @let l = r.lift.unwrap_or(0.0);
                @let len = half * l.abs() / max;
                @let y = 4.0 + row_h * i as f64;
                @let x = if l >= 0.0 { mid } else { mid - len };
                text x=(label_w - 6.0) y=(y + 15.0) text-anchor="end" font-size="12" fill="#333" {
                    (crate::render::short(&r.label, 30))
                }
                rect x=(format!("{x:.1}")) y=(y + 3.0) width=(format!("{len:.1}")) height=(row_h - 8.0) fill=(colour) {}
                text x=(if l >= 0.0 { mid + len + 4.0 } else { mid - len - 4.0 }) y=(y + 15.0)
                    text-anchor=(if l >= 0.0 { "start" } else { "end" }) font-size="11" fill="#555" {
                    (lang.number_from(l, 2, 1))
                }
            }
        }
    }
}

fn card(s: &SegmentCard, r: &Report) -> Markup {
    let lang = r.lang;
    let t = lang.texts_for(r.no_cost);
    let cur = r.currency.as_deref();
    m! {
        article.card id=(format!("segment-{}", s.segment)) style=(format!("--seg:{}", s.colour)) {
            h3 { span.dot style=(format!("background:{}", s.colour)) {} (s.segment) " · " (s.name) }
            p.desc { (s.description) }
            @if !s.persona.is_empty() {
                div.persona {
                    h4 { (lang.persona_text("heading")) }
                    p { @for (i, sentence) in s.persona.iter().enumerate() { @if i > 0 { " " } (sentence) } }
                }
            }
            div.numbers {
                div { span { (t.customers) } b { (lang.number(s.customers as f64, 0)) " (" (lang.percent(s.customer_share, 1)) ")" } }
                div { span { (t.net_revenue) } b { (lang.money(s.net_revenue, cur)) " (" (lang.percent(s.revenue_share, 1)) ")" } }
                div { span { (t.kept_revenue) } b { (lang.money(s.kept_revenue, cur)) " (" (lang.percent(s.kept_share, 1)) ")" } }
                @if !r.no_cost {
                    div { span { (t.profit) } b { (lang.money(s.profit, cur)) " (" (lang.percent(s.profit_share, 1)) ")" } }
                    div { span { (t.profit_margin) } b { (lang.opt_percent(s.profit_margin, 1)) } }
                }
                div { span { (t.return_rate) } b { (lang.opt_percent(s.return_rate, 1)) } }
                div { span { (t.aov) } b { (lang.opt_money(s.aov, cur)) } }
                div { span { (t.orders_per_customer) } b { (lang.number(s.frequency, 1)) } }
                div { span { (t.recency) } b { (lang.opt_days(s.recency_days)) } }
            }
            @for f in &s.flags { (flag_box(f)) }
            div.cols {
                div {
                    h4 { (t.distinguishing) }
                    (lift_bars(&s.distinguishing, &s.colour, lang))
                    table {
                        tr { th { (t.feature) } th.n { (t.mean_per_customer) } th.n { (lang.persona_text("median")) } th.n { (lang.persona_text("base_mean")) } th.n { (t.lift) } }
                        @for f in &s.distinguishing {
                            tr { td { (f.label) } td.n { (f.value(lang, f.mean, cur)) } td.n { (f.value(lang, f.median, cur)) } td.n { (f.value(lang, f.base_mean, cur)) } td.n { (lang.opt_number(f.lift, 2)) } }
                        }
                    }
                    @if let Some(period) = &s.browsing_period { p.note { (period) } }
                }
                div {
                    @if !s.actions.is_empty() {
                        h4 { (t.actions) }
                        ul { @for a in &s.actions { li { (a) } } }
                        @if let Some([goal, channel, kpi]) = &s.play {
                            table {
                                tr { th { (t.play_goal) } td { (goal) } }
                                tr { th { (t.play_channel) } td { (channel) } }
                                tr { th { (t.play_kpi) } td { (kpi) } }
                            }
                        }
                    }
                    @if !s.survey.is_empty() {
                        h4 { (t.survey_profile) }
                        table {
                            tr { th { (t.feature) } th.n { (t.mean) } th.n { (t.base_mean) } th.n { (lang.persona_text("scale")) } th.n { (lang.persona_text("respondents")) } }
                            @for f in &s.survey {
                                tr {
                                    td { (f.label) } td.n { (f.value(lang, f.mean, cur)) } td.n { (f.value(lang, f.base_mean, cur)) }
                                    td.n { (super::scale_text(lang, f.scale)) } td.n { (f.n.map_or("–".to_string(), |n| lang.number(n as f64, 0))) }
                                }
                            }
                        }
                    }
                    @if !s.composition.is_empty() {
                        h4 { (t.composition) }
                        table {
                            tr { th { (t.feature) } th.n { (t.share_in_segment) } th.n { (t.share_in_base) } }
                            @for c in &s.composition {
                                tr { td { (lang.feature(&c.feature)) ": " (lang.level(&c.level)) } td.n { (lang.percent(c.share, 0)) } td.n { (lang.percent(c.base_share, 0)) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A value with its interval: `+12 (−3 – +27)`.
pub(super) fn with_interval(v: [f64; 3], f: impl Fn(f64) -> String) -> String {
    format!("{} ({} – {})", f(v[0]), f(v[1]), f(v[2]))
}

/// A change from earlier to now: `120 → 135`.
fn change(pair: [Option<f64>; 2], f: impl Fn(Option<f64>) -> String) -> String {
    format!("{} → {}", f(pair[0]), f(pair[1]))
}

/// The "Segments over time" section.
fn over_time(o: &OverTime, r: &Report, charts: &[Chart]) -> Markup {
    let (lang, cur) = (r.lang, r.currency.as_deref());
    let t = lang.texts_for(r.no_cost);
    let ct = lang.campaign();
    m! {
        section #over-time {
            h2 { (ct.compare_heading) }
            p { (o.intro) }
            h4 { (ct.migration_heading) }
            p.note { (o.matrix_note) }
            table.migration {
                tr {
                    th { (ct.col_earlier) " → " (ct.col_later) }
                    @for c in &o.columns { th.n { (c) } }
                    th.n { (ct.col_customers) }
                }
                @for row in &o.rows {
                    tr {
                        td { (row.label) }
                        @for (n, share) in &row.cells {
                            td.n {
                                @if *n > 0 { (lang.number(*n as f64, 0)) br; span.note { (lang.percent(*share, 1)) } }
                                @else { "–" }
                            }
                        }
                        td.n { (lang.number(row.customers as f64, 0)) }
                    }
                }
            }
            (figure(charts, ChartKind::Migration))
            h4 { (ct.matched_heading) }
            table.matched {
                tr {
                    th { (ct.col_earlier) } th { (ct.col_later) } th.n { (ct.col_match) }
                    th.n { (ct.col_customers) } th.n { (ct.col_net_revenue) } th.n { (t.profit) }
                    th.n { (t.return_rate) } th { (ct.col_drift) }
                }
                @for s in &o.segments {
                    tr {
                        td { (s.earlier) }
                        td { span.dot style=(format!("background:{}", s.colour)) {} (s.later) }
                        td.n { (lang.opt_number(s.similarity, 2)) }
                        td.n { (change(s.customers, |x| lang.opt_number(x, 0))) }
                        td.n { (change(s.net_revenue, |x| lang.opt_money(x, cur))) }
                        td.n { (change(s.profit, |x| lang.opt_number(x, 0))) }
                        td.n { (change(s.return_rate, |x| lang.opt_percent(x, 1))) }
                        td { (s.drift.iter().map(|(f, sd)| format!("{f} {}", lang.signed(*sd, 2))).collect::<Vec<_>>().join(", ")) }
                    }
                }
            }
        }
    }
}

/// The "Campaign results" section.
fn campaign(c: &CampaignResults, lang: Lang, charts: &[Chart]) -> Markup {
    let ct = lang.campaign();
    let money = |x: f64| lang.signed_money(x, 0, c.currency.as_deref());
    let cash = |x: f64| lang.money(x, c.currency.as_deref());
    let pp = |x: f64| lang.signed(100.0 * x, 1);
    let rel = |x: f64| lang.signed_percent(x, 0);
    m! {
        section #campaign {
            h2 { (ct.results_heading) }
            p { (c.intro) }
            p { (c.window) }
            div.kpis {
                div.kpi { b { (cash(c.incremental[0])) } span { (ct.col_incremental) " (" (cash(c.incremental[1])) " – " (cash(c.incremental[2])) ")" } }
                div.kpi { b { (money(c.revenue[0])) } span { (ct.col_revenue) " (" (money(c.revenue[1])) " – " (money(c.revenue[2])) ")" } }
                div.kpi { b { (pp(c.conversion[0])) } span { (ct.col_conversion) " (" (pp(c.conversion[1])) " – " (pp(c.conversion[2])) ")" } }
            }
            table.lift {
                tr {
                    th { (ct.col_segment) } th.n { (ct.col_treatment) } th.n { (ct.col_control) }
                    th.n { (ct.col_conversion) } th.n { (ct.col_revenue) } th.n { (ct.col_relative) }
                    th.n { (ct.col_p) } th.n { (ct.col_incremental) }
                }
                @for s in &c.segments {
                    tr class=(if s.significant { "chosen" } else { "" }) {
                        td {
                            span.dot style=(format!("background:{}", s.colour)) {} (s.label)
                            @if let Some(w) = &s.warning { br; span.note { (w) } }
                        }
                        td.n { (lang.number(s.treatment as f64, 0)) }
                        td.n { (lang.number(s.control as f64, 0)) }
                        td.n { (with_interval(s.conversion, pp)) }
                        td.n { (with_interval(s.revenue, money)) }
                        td.n { (s.relative_text(rel)) }
                        td.n { (lang.number(s.p_holm, 3)) @if s.significant { " (" (ct.significant) ")" } }
                        td.n { (with_interval(s.incremental, money)) }
                    }
                }
            }
            p { (c.overall) }
            (figure(charts, ChartKind::Lift))
        }
    }
}

/// A sentence with the candidate ids in it set as code.
fn ids_as_code(text: &str, ids: &[String]) -> Markup {
    maud::html! {
        @for (id, part) in super::split_ids(text, ids) {
            @if id { code { (part) } } @else { (part) }
        }
    }
}

/// The report as one HTML page, with the charts inline.
pub fn html(r: &Report, charts: &[Chart]) -> String {
    let lang = r.lang;
    let t = lang.texts_for(r.no_cost);
    let ids: Vec<String> = r
        .selection
        .candidates
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let page = m! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(format!("segmint {}", r.segmint_version));
                title { (r.title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                header {
                    h1 { (r.title) }
                    p { (t.as_of) " " (lang.date(&r.as_of)) " · " (lang.number(r.customers as f64, 0)) " " (t.customers.to_lowercase()) " · " (r.k) " " (t.segments.to_lowercase()) }
                    p { (r.amounts) }
                }
                nav {
                    a href="#executive" { (t.exec_summary) }
                    a href="#summary" { (t.summary) }
                    a href="#segments" { (t.segments) }
                    @if !r.opportunities.is_empty() { a href="#opportunities" { (lang.opportunity_text("heading")) } }
                    a href="#measurement" { (t.measurement) }
                    @if r.over_time.is_some() { a href="#over-time" { (lang.campaign().compare_heading) } }
                    @if r.campaign.is_some() { a href="#campaign" { (lang.campaign().results_heading) } }
                    a href="#selection" { (t.chosen) }
                    a href="#data-quality" { (t.data_quality) }
                    a href="#method" { (t.method) }
                }
                section #executive {
                    h2 { (t.exec_summary) }
                    @if !r.executive.findings.is_empty() {
                        h4 { (t.findings) }
                        ul { @for f in &r.executive.findings { li { (f) } } }
                    }
                    @if !r.executive.recommendations.is_empty() {
                        h4 { (t.recommendations) }
                        ol { @for rec in &r.executive.recommendations { li { (rec) } } }
                    }
                    @for c in &r.executive.caveats { p.note { (c) } }
                }
                section #summary {
                    h2 { (t.summary) }
                    p.headline { (r.headline) }
                    @if let Some(c) = &r.customers_accounted { p { (c) } }
                    div.kpis {
                        div.kpi { b { (lang.number(r.customers as f64, 0)) } span { (t.customers) } }
                        div.kpi { b { (lang.money(r.net_revenue, r.currency.as_deref())) } span { (t.net_revenue) } }
                        div.kpi { b { (lang.money(r.kept_revenue, r.currency.as_deref())) } span { (t.kept_revenue) } }
                        @if !r.no_cost {
                            div.kpi { b { (lang.money(r.profit, r.currency.as_deref())) } span { (t.profit) } }
                        }
                        div.kpi { b { (lang.opt_percent(r.return_rate, 1)) } span { (t.return_rate) } }
                    }
                    table {
                        tr {
                            th { (t.segment) } th.n { (t.customers) } th.n { (t.customer_share) }
                            th.n { (t.revenue_share) } th.n { (t.kept_share) } @if !r.no_cost { th.n { (t.profit_share) } } th.n { (t.return_rate) } th { (t.flags) }
                        }
                        @for s in &r.segments {
                            tr {
                                td { span.dot style=(format!("background:{}", s.colour)) {} a href=(format!("#segment-{}", s.segment)) { (s.segment) " " (s.name) } }
                                td.n { (lang.number(s.customers as f64, 0)) }
                                td.n { (lang.percent(s.customer_share, 1)) }
                                td.n { (lang.percent(s.revenue_share, 1)) }
                                td.n { (lang.percent(s.kept_share, 1)) }
                                @if !r.no_cost { td.n { (lang.percent(s.profit_share, 1)) } }
                                td.n { (lang.opt_percent(s.return_rate, 1)) }
                                td { (s.flags.iter().map(|f| f.label.as_str()).collect::<Vec<_>>().join(", ")) }
                            }
                        }
                    }
                    @if r.flags.is_empty() { p { (t.no_flags) } }
                    @for f in r.flags.iter().filter(|f| f.in_economics()) { (flag_box(f)) }
                    (figure(charts, ChartKind::Sizes))
                    (figure(charts, ChartKind::Returns))
                    (figure(charts, ChartKind::Whale))
                }
                section #segments {
                    h2 { (t.segments) }
                    @for s in &r.segments { (card(s, r)) }
                    (figure(charts, ChartKind::Heatmap))
                    (figure(charts, ChartKind::Boxplots))
                    (figure(charts, ChartKind::SegmentMap))
                }
                @if !r.value_reach.is_empty() {
                    section #value-reach {
                        h2 { (t.value_reach) }
                        p { (crate::i18n::fill(t.value_reach_note, &[("days", super::ACTIVE_DAYS.to_string())])) }
                        (figure(charts, ChartKind::ValueReach))
                        table {
                            tr {
                                th { (t.segment) } th.n { (t.value_per_customer) }
                                th.n { (crate::i18n::fill(t.reachable, &[("days", super::ACTIVE_DAYS.to_string())])) } th { (t.quadrant) }
                            }
                            @for v in &r.value_reach {
                                tr {
                                    td { (v.segment) " " (v.name) }
                                    td.n { (lang.money(v.value, r.currency.as_deref())) }
                                    td.n { (lang.percent(v.reachable, 1)) }
                                    td { (v.meaning) }
                                }
                            }
                        }
                    }
                }
                @if !r.opportunities.is_empty() {
                    section #opportunities {
                        h2 { (lang.opportunity_text("heading")) }
                        p { (lang.opportunity_text("intro")) }
                        table {
                            tr {
                                th { (t.segment) } th { (lang.opportunity_text("col_action")) } th.n { (lang.opportunity_text("col_size")) } th { (lang.opportunity_text("col_measure")) } th { (lang.opportunity_text("col_how")) }
                            }
                            @for o in &r.opportunities {
                                tr {
                                    td { (o.segment) " " (o.name) }
                                    td { (o.action) }
                                    td.n { (o.size) }
                                    td { (o.measure_text) }
                                    td { (o.text) }
                                }
                            }
                        }
                    }
                }
                section #measurement {
                    h2 { (t.measurement) }
                    ul { @for p in &r.measurement { li { (p) } } }
                }
                @if let Some(o) = &r.over_time { (over_time(o, r, charts)) }
                @if let Some(c) = &r.campaign { (campaign(c, lang, charts)) }
                section #selection {
                    h2 { (t.appendix) ": " (t.chosen) }
                    p { b { (ids_as_code(&r.selection.proposal, &ids)) } }
                    p { (ids_as_code(&r.selection.reason, &ids)) }
                    p { (r.selection.rule) }
                    p { (r.selection.preferred) " " (r.selection.agreement) }
                    (figure(charts, ChartKind::ChooseK))
                    (figure(charts, ChartKind::KDistance))
                    table {
                        tr {
                            th { (t.candidate) } th.n { "k" } th.n { (t.silhouette) } th.n { "Calinski–Harabasz" }
                            th.n { "Davies–Bouldin" } th.n { (t.valley) } th.n { (t.stability) } th.n { (t.smallest) } th.n { (t.unassigned) }
                            th.n { (t.composite) } th { (t.eligible) }
                        }
                        @for c in &r.selection.candidates {
                            tr class=(if c.chosen { "chosen" } else { "" }) {
                                td { code { (c.id) } @if c.chosen { " (" (t.chosen_mark) ")" } }
                                td.n { (c.k) }
                                td.n { (lang.opt_number(c.scores.silhouette, 3)) }
                                td.n { (lang.opt_number(c.scores.calinski_harabasz, 0)) }
                                td.n { (lang.opt_number(c.scores.davies_bouldin, 2)) }
                                td.n { (lang.opt_number(c.scores.valley, 2)) }
                                td.n { (lang.opt_number(c.scores.stability, 2)) }
                                td.n { (lang.percent(c.scores.smallest_share, 1)) }
                                td.n { (lang.percent(c.scores.noise_share, 1)) }
                                td.n { (lang.opt_number(c.composite, 3)) }
                                td { @if c.eligible { (t.yes) } @else { (t.no) ": " (c.fails_text.join("; ")) } }
                            }
                        }
                    }
                }
                section #data-quality {
                    h2 { (t.appendix) ": " (t.data_quality) }
                    table {
                        tr { th { (t.table) } th { (t.file) } th.n { (t.rows_read) } th.n { (t.rows_used) } th { (t.rows_skipped) } }
                        @for tb in &r.data_quality.tables {
                            tr {
                                td { (lang.table_name(&tb.table)) } td { (tb.file) }
                                td.n { (lang.number(tb.rows_read as f64, 0)) } td.n { (lang.number(tb.rows_used as f64, 0)) }
                                td { @for (reason, n) in &tb.skipped { (lang.number(*n as f64, 0)) ": " (reason) br; } }
                            }
                        }
                    }
                    @for w in &r.data_quality.warnings { p.note { (w) } }
                    h4 { (t.excluded) }
                    p { (r.data_quality.excluded) }
                    h4 { (t.flagged_customers) }
                    p { (r.data_quality.flagged) }
                    @if !r.data_quality.missing.is_empty() {
                        h4 { (t.missing_values) }
                        table {
                            tr { th { (t.feature) } th.n { (t.missing_share) } }
                            @for ((_, share), label) in r.data_quality.missing.iter().zip(&r.data_quality.missing_labels) {
                                tr { td { (label) } td.n { (lang.percent(*share, 1)) } }
                            }
                        }
                    }
                }
                section #method {
                    h2 { (t.appendix) ": " (t.method) }
                    @for p in &r.method { p { (p) } }
                }
                footer { (t.generated_by) " " (r.segmint_version) " · " (t.as_of) " " (lang.date(&r.as_of)) }
            }
        }
    };
    page.into_string()
}
