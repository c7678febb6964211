//! `report.md`: the report's content as Markdown for wikis, charts linked as the PNG files
//! written beside it (`charts/<kind>.png`).

use super::html::with_interval;
use std::fmt::Write;

use super::campaign::{CampaignResults, OverTime};
use super::{FeatureRow, Report};
use crate::i18n::Lang;
use crate::render::{Chart, ChartKind};

/// Makes text safe inside a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn row(out: &mut String, cells: &[String]) {
    let _ = writeln!(
        out,
        "| {} |",
        cells
            .iter()
            .map(|c| cell(c))
            .collect::<Vec<_>>()
            .join(" | ")
    );
}

/// A table header; columns `numeric.0..numeric.1` are right-aligned.
fn header(out: &mut String, cells: &[&str], numeric: (usize, usize)) {
    row(
        out,
        &cells.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
    );
    let rule: Vec<String> = (0..cells.len())
        .map(|i| {
            if (numeric.0..numeric.1).contains(&i) {
                "---:"
            } else {
                "---"
            }
            .to_string()
        })
        .collect();
    let _ = writeln!(out, "|{}|", rule.join("|"));
}

fn chart(out: &mut String, charts: &[Chart], kind: ChartKind) {
    if let Some(c) = charts.iter().find(|c| c.kind == kind) {
        let _ = writeln!(out, "![{}](charts/{}.png)\n", c.title, kind.slug());
    }
}

fn features(out: &mut String, lang: Lang, rows: &[FeatureRow], with_lift: bool, cur: Option<&str>) {
    let t = lang.texts();
    if with_lift {
        header(
            out,
            &[
                t.feature,
                t.mean_per_customer,
                lang.persona_text("median"),
                lang.persona_text("base_mean"),
                t.lift,
            ],
            (1, 5),
        );
    } else {
        header(
            out,
            &[
                t.feature,
                t.mean,
                t.base_mean,
                lang.persona_text("scale"),
                lang.persona_text("respondents"),
            ],
            (1, 5),
        );
    }
    for f in rows {
        let mut cells = vec![f.label.clone(), f.value(lang, f.mean, cur)];
        if with_lift {
            cells.push(f.value(lang, f.median, cur));
        }
        cells.push(f.value(lang, f.base_mean, cur));
        if with_lift {
            cells.push(lang.opt_number(f.lift, 2));
        } else {
            cells.push(super::scale_text(lang, f.scale));
            cells.push(f.n.map_or("–".to_string(), |n| lang.number(n as f64, 0)));
        }
        row(out, &cells);
    }
    out.push('\n');
}

/// The "Segments over time" section.
fn over_time(o: &mut String, ot: &OverTime, r: &Report, charts: &[Chart]) {
    let (lang, cur) = (r.lang, r.currency.as_deref());
    let t = lang.texts_for(r.no_cost);
    let ct = lang.campaign();
    let _ = writeln!(o, "## {}\n\n{}\n", ct.compare_heading, ot.intro);
    let _ = writeln!(o, "**{}**\n\n{}\n", ct.migration_heading, ot.matrix_note);
    let first = format!("{} → {}", ct.col_earlier, ct.col_later);
    let mut cols: Vec<&str> = vec![first.as_str()];
    cols.extend(ot.columns.iter().map(String::as_str));
    cols.push(ct.col_customers);
    header(o, &cols, (1, cols.len()));
    for r in &ot.rows {
        let mut cells = vec![r.label.clone()];
        cells.extend(r.cells.iter().map(|(n, share)| {
            if *n > 0 {
                format!(
                    "{} ({})",
                    lang.number(*n as f64, 0),
                    lang.percent(*share, 1)
                )
            } else {
                "–".to_string()
            }
        }));
        cells.push(lang.number(r.customers as f64, 0));
        row(o, &cells);
    }
    o.push('\n');
    chart(o, charts, ChartKind::Migration);
    let _ = writeln!(o, "**{}**\n", ct.matched_heading);
    header(
        o,
        &[
            ct.col_earlier,
            ct.col_later,
            ct.col_match,
            ct.col_customers,
            ct.col_net_revenue,
            t.profit,
            t.return_rate,
            ct.col_drift,
        ],
        (2, 7),
    );
    let pair = |p: [Option<f64>; 2], f: &dyn Fn(Option<f64>) -> String| {
        format!("{} → {}", f(p[0]), f(p[1]))
    };
    for s in &ot.segments {
        row(
            o,
            &[
                s.earlier.clone(),
                s.later.clone(),
                lang.opt_number(s.similarity, 2),
                pair(s.customers, &|x| lang.opt_number(x, 0)),
                pair(s.net_revenue, &|x| lang.opt_money(x, cur)),
                pair(s.profit, &|x| lang.opt_number(x, 0)),
                pair(s.return_rate, &|x| lang.opt_percent(x, 1)),
                s.drift
                    .iter()
                    .map(|(f, sd)| format!("{f} {}", lang.signed(*sd, 2)))
                    .collect::<Vec<_>>()
                    .join(", "),
            ],
        );
    }
    o.push('\n');
}

/// The "Campaign results" section.
fn campaign(o: &mut String, c: &CampaignResults, lang: Lang, charts: &[Chart]) {
    let ct = lang.campaign();
    let money = |x: f64| lang.signed_money(x, 0, c.currency.as_deref());
    let pp = |x: f64| lang.signed(100.0 * x, 1);
    let rel = |x: f64| lang.signed_percent(x, 0);
    let _ = writeln!(
        o,
        "## {}\n\n{}\n\n{}\n",
        ct.results_heading, c.intro, c.window
    );
    let _ = writeln!(
        o,
        "- {}: {}\n- {}: {}\n- {}: {}\n",
        ct.col_incremental,
        with_interval(c.incremental, |x| lang.money(x, c.currency.as_deref())),
        ct.col_revenue,
        with_interval(c.revenue, money),
        ct.col_conversion,
        with_interval(c.conversion, pp)
    );
    header(
        o,
        &[
            ct.col_segment,
            ct.col_treatment,
            ct.col_control,
            ct.col_conversion,
            ct.col_revenue,
            ct.col_relative,
            ct.col_p,
            ct.col_incremental,
        ],
        (1, 8),
    );
    for s in &c.segments {
        let mut label = s.label.clone();
        if let Some(w) = &s.warning {
            label.push_str(&format!(" ({w})"));
        }
        row(
            o,
            &[
                label,
                lang.number(s.treatment as f64, 0),
                lang.number(s.control as f64, 0),
                with_interval(s.conversion, pp),
                with_interval(s.revenue, money),
                s.relative_text(rel),
                if s.significant {
                    format!("{} ({})", lang.number(s.p_holm, 3), ct.significant)
                } else {
                    lang.number(s.p_holm, 3)
                },
                with_interval(s.incremental, money),
            ],
        );
    }
    let _ = writeln!(o, "\n{}\n", c.overall);
    chart(o, charts, ChartKind::Lift);
}

/// The report as Markdown.
pub fn markdown(r: &Report, charts: &[Chart]) -> String {
    let lang = r.lang;
    let t = lang.texts_for(r.no_cost);
    let n = |x: f64, d: usize| lang.number(x, d);
    let pc = |x: f64| lang.percent(x, 1);
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", r.title);
    let _ = writeln!(
        o,
        "{} {} · {} {} · {} {}\n",
        t.as_of,
        lang.date(&r.as_of),
        n(r.customers as f64, 0),
        t.customers.to_lowercase(),
        r.k,
        t.segments.to_lowercase()
    );
    let _ = writeln!(o, "{}\n", r.amounts);

    let ex = &r.executive;
    let _ = writeln!(o, "## {}\n", t.exec_summary);
    if !ex.findings.is_empty() {
        let _ = writeln!(o, "**{}**\n", t.findings);
        for f in &ex.findings {
            let _ = writeln!(o, "- {f}");
        }
        o.push('\n');
    }
    if !ex.recommendations.is_empty() {
        let _ = writeln!(o, "**{}**\n", t.recommendations);
        for (i, rec) in ex.recommendations.iter().enumerate() {
            let _ = writeln!(o, "{}. {rec}", i + 1);
        }
        o.push('\n');
    }
    for c in &ex.caveats {
        let _ = writeln!(o, "> {c}\n");
    }
    let _ = writeln!(o, "## {}\n\n{}\n", t.summary, r.headline);
    if let Some(c) = &r.customers_accounted {
        let _ = writeln!(o, "{c}\n");
    }
    // Without cost data the profit is the revenue after returns (and their handling) shown
    // beside it: not stated twice ([`Report::no_cost`]).
    let profit = !r.no_cost;
    let money = |x: f64| lang.money(x, r.currency.as_deref());
    let lines = [
        (t.net_revenue, money(r.net_revenue)),
        (t.kept_revenue, money(r.kept_revenue)),
    ]
    .into_iter()
    .chain(profit.then(|| (t.profit, money(r.profit))))
    .chain([(t.return_rate, lang.opt_percent(r.return_rate, 1))]);
    for (label, value) in lines {
        let _ = writeln!(o, "- {label}: {value}");
    }
    o.push('\n');
    let mut cols = vec![
        t.segment,
        t.customers,
        t.customer_share,
        t.revenue_share,
        t.kept_share,
    ];
    cols.extend(profit.then_some(t.profit_share));
    cols.extend([t.return_rate, t.flags]);
    header(&mut o, &cols, (1, cols.len() - 1));
    for s in &r.segments {
        let mut cells = vec![
            format!("{} {}", s.segment, s.name),
            n(s.customers as f64, 0),
            pc(s.customer_share),
            pc(s.revenue_share),
            pc(s.kept_share),
        ];
        cells.extend(profit.then(|| pc(s.profit_share)));
        cells.extend([
            lang.opt_percent(s.return_rate, 1),
            s.flags
                .iter()
                .map(|f| f.label.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ]);
        row(&mut o, &cells);
    }
    o.push('\n');
    if r.flags.is_empty() {
        let _ = writeln!(o, "{}\n", t.no_flags);
    }
    for f in r.flags.iter().filter(|f| f.in_economics()) {
        let _ = writeln!(
            o,
            "> **{} – {} {}**: {}\n",
            f.label, f.segment, f.name, f.message
        );
    }
    chart(&mut o, charts, ChartKind::Sizes);
    chart(&mut o, charts, ChartKind::Returns);
    chart(&mut o, charts, ChartKind::Whale);

    let _ = writeln!(o, "## {}\n", t.segments);
    for s in &r.segments {
        let _ = writeln!(o, "### {} · {}\n\n{}\n", s.segment, s.name, s.description);
        if !s.persona.is_empty() {
            let _ = writeln!(
                o,
                "**{}**: {}\n",
                lang.persona_text("heading"),
                s.persona.join(" ")
            );
        }
        let with_share = |x: f64, sh: f64| format!("{} ({})", money(x), pc(sh));
        let lines = [
            (
                t.customers,
                format!("{} ({})", n(s.customers as f64, 0), pc(s.customer_share)),
            ),
            (t.net_revenue, with_share(s.net_revenue, s.revenue_share)),
            (t.kept_revenue, with_share(s.kept_revenue, s.kept_share)),
        ]
        .into_iter()
        .chain(profit.then(|| (t.profit, with_share(s.profit, s.profit_share))))
        .chain(profit.then(|| (t.profit_margin, lang.opt_percent(s.profit_margin, 1))))
        .chain([
            (t.return_rate, lang.opt_percent(s.return_rate, 1)),
            (t.aov, lang.opt_money(s.aov, r.currency.as_deref())),
            (t.orders_per_customer, n(s.frequency, 1)),
            (t.recency, lang.opt_days(s.recency_days)),
        ]);
        for (label, value) in lines {
            let _ = writeln!(o, "- {label}: {value}");
        }
        o.push('\n');
        for f in &s.flags {
            let _ = writeln!(o, "> **{}**: {}\n", f.label, f.message);
        }
        if !s.distinguishing.is_empty() {
            let _ = writeln!(o, "**{}**\n", t.distinguishing);
            features(&mut o, lang, &s.distinguishing, true, r.currency.as_deref());
            if let Some(p) = &s.browsing_period {
                let _ = writeln!(o, "_{p}_\n");
            }
        }
        if !s.survey.is_empty() {
            let _ = writeln!(o, "**{}**\n", t.survey_profile);
            features(&mut o, lang, &s.survey, false, r.currency.as_deref());
        }
        if !s.composition.is_empty() {
            let _ = writeln!(o, "**{}**\n", t.composition);
            header(
                &mut o,
                &[t.feature, t.share_in_segment, t.share_in_base],
                (1, 3),
            );
            for c in &s.composition {
                row(
                    &mut o,
                    &[
                        format!("{}: {}", lang.feature(&c.feature), lang.level(&c.level)),
                        lang.percent(c.share, 0),
                        lang.percent(c.base_share, 0),
                    ],
                );
            }
            o.push('\n');
        }
        if !s.actions.is_empty() {
            let _ = writeln!(o, "**{}**\n", t.actions);
            for a in &s.actions {
                let _ = writeln!(o, "- {a}");
            }
            o.push('\n');
            if let Some([goal, channel, kpi]) = &s.play {
                let _ = writeln!(
                    o,
                    "**{}**: {}: {goal} · {}: {channel} · {}: {kpi}\n",
                    t.play, t.play_goal, t.play_channel, t.play_kpi
                );
            }
        }
    }
    chart(&mut o, charts, ChartKind::Heatmap);
    chart(&mut o, charts, ChartKind::Boxplots);
    chart(&mut o, charts, ChartKind::SegmentMap);
    if !r.value_reach.is_empty() {
        let days = [("days", super::ACTIVE_DAYS.to_string())];
        let _ = writeln!(
            o,
            "## {}\n\n{}\n",
            t.value_reach,
            crate::i18n::fill(t.value_reach_note, &days)
        );
        chart(&mut o, charts, ChartKind::ValueReach);
        let reachable = crate::i18n::fill(t.reachable, &days);
        header(
            &mut o,
            &[t.segment, t.value_per_customer, &reachable, t.quadrant],
            (1, 3),
        );
        for v in &r.value_reach {
            row(
                &mut o,
                &[
                    format!("{} {}", v.segment, v.name),
                    lang.money(v.value, r.currency.as_deref()),
                    pc(v.reachable),
                    v.meaning.clone(),
                ],
            );
        }
        o.push('\n');
    }
    if !r.opportunities.is_empty() {
        let _ = writeln!(
            o,
            "## {}\n\n{}\n",
            lang.opportunity_text("heading"),
            lang.opportunity_text("intro")
        );
        header(
            &mut o,
            &[
                t.segment,
                lang.opportunity_text("col_action"),
                lang.opportunity_text("col_size"),
                lang.opportunity_text("col_measure"),
                lang.opportunity_text("col_how"),
            ],
            (2, 3),
        );
        for op in &r.opportunities {
            row(
                &mut o,
                &[
                    format!("{} {}", op.segment, op.name),
                    op.action.clone(),
                    op.size.clone(),
                    op.measure_text.clone(),
                    op.text.clone(),
                ],
            );
        }
        o.push('\n');
    }
    let _ = writeln!(o, "## {}\n", t.measurement);
    for p in &r.measurement {
        let _ = writeln!(o, "- {p}");
    }
    o.push('\n');
    if let Some(ot) = &r.over_time {
        over_time(&mut o, ot, r, charts);
    }
    if let Some(c) = &r.campaign {
        campaign(&mut o, c, lang, charts);
    }

    let sel = &r.selection;
    let ids: Vec<String> = sel.candidates.iter().map(|c| c.id.clone()).collect();
    let code = |text: &str| {
        super::split_ids(text, &ids)
            .into_iter()
            .map(|(id, s)| if id { format!("`{s}`") } else { s.to_string() })
            .collect::<String>()
    };
    let _ = writeln!(
        o,
        "## {}: {}\n\n**{}**\n",
        t.appendix,
        t.chosen,
        code(&sel.proposal)
    );
    let _ = writeln!(o, "{}\n", code(&sel.reason));
    let _ = writeln!(o, "{}\n\n{} {}\n", sel.rule, sel.preferred, sel.agreement);
    chart(&mut o, charts, ChartKind::ChooseK);
    chart(&mut o, charts, ChartKind::KDistance);
    header(
        &mut o,
        &[
            t.candidate,
            "k",
            t.silhouette,
            "Calinski–Harabasz",
            "Davies–Bouldin",
            t.valley,
            t.stability,
            t.smallest,
            t.unassigned,
            t.composite,
            t.eligible,
        ],
        (1, 10),
    );
    for c in &sel.candidates {
        row(
            &mut o,
            &[
                if c.chosen {
                    format!("**`{}`** ({})", c.id, t.chosen_mark)
                } else {
                    format!("`{}`", c.id)
                },
                c.k.to_string(),
                lang.opt_number(c.scores.silhouette, 3),
                lang.opt_number(c.scores.calinski_harabasz, 0),
                lang.opt_number(c.scores.davies_bouldin, 2),
                lang.opt_number(c.scores.valley, 2),
                lang.opt_number(c.scores.stability, 2),
                pc(c.scores.smallest_share),
                pc(c.scores.noise_share),
                lang.opt_number(c.composite, 3),
                if c.eligible {
                    t.yes.to_string()
                } else {
                    format!("{}: {}", t.no, c.fails_text.join("; "))
                },
            ],
        );
    }
    o.push('\n');

    let dq = &r.data_quality;
    let _ = writeln!(o, "## {}: {}\n", t.appendix, t.data_quality);
    header(
        &mut o,
        &[t.table, t.file, t.rows_read, t.rows_used, t.rows_skipped],
        (2, 4),
    );
    for tb in &dq.tables {
        row(
            &mut o,
            &[
                lang.table_name(&tb.table),
                tb.file.clone(),
                n(tb.rows_read as f64, 0),
                n(tb.rows_used as f64, 0),
                tb.skipped
                    .iter()
                    .map(|(reason, k)| format!("{}: {reason}", n(*k as f64, 0)))
                    .collect::<Vec<_>>()
                    .join("; "),
            ],
        );
    }
    o.push('\n');
    for w in &dq.warnings {
        let _ = writeln!(o, "_{w}_\n");
    }
    let _ = writeln!(o, "**{}**: {}\n", t.excluded, dq.excluded);
    let _ = writeln!(o, "**{}**: {}\n", t.flagged_customers, dq.flagged);
    if !dq.missing.is_empty() {
        let _ = writeln!(o, "**{}**\n", t.missing_values);
        header(&mut o, &[t.feature, t.missing_share], (1, 2));
        for ((_, share), label) in dq.missing.iter().zip(&dq.missing_labels) {
            row(&mut o, &[label.clone(), pc(*share)]);
        }
        o.push('\n');
    }
    let _ = writeln!(o, "## {}: {}\n", t.appendix, t.method);
    for p in &r.method {
        let _ = writeln!(o, "{p}\n");
    }
    let _ = writeln!(o, "---\n{} {}", t.generated_by, r.segmint_version);
    escape_html(&o)
}

/// Markdown renders raw HTML: every `<` that could open a tag, a comment or a declaration
/// (followed by a letter, `/`, `!` or `?`) and every `&` that could start an entity is written
/// as an entity, so a value from the client's data such as `<img src=x onerror=alert(1)>` (a
/// region, a segment title, a file name) shows as text and never runs. A `<` before a space
/// or a digit (`stability 0.45 < 0.75`) cannot start HTML and stays as it is. The report's own
/// Markdown uses neither.
fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        match c {
            '<' if next.is_some_and(|n| n.is_ascii_alphabetic() || "/!?".contains(n)) => {
                out.push_str("&lt;")
            }
            '&' if next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#') => {
                out.push_str("&amp;")
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn html_in_the_text_is_escaped_and_comparisons_are_not() {
        assert_eq!(
            escape_html("<img src=x onerror=alert(1)> and </script> <!-- &amp; &#60;"),
            "&lt;img src=x onerror=alert(1)> and &lt;/script> &lt;!-- &amp;amp; &amp;#60;"
        );
        assert_eq!(
            escape_html("stability 0.45 < 0.75 & more"),
            "stability 0.45 < 0.75 & more"
        );
    }
}
