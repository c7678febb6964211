//! Writing a guess as a commented mapping file.

use std::fmt::Write as _;

use serde::Serialize;

use crate::config::{
    default_date_formats, AttributeKind, EventTypes, FeatureOptions, FileOptions, Format,
    PrepareOptions, Scale, Sheet, SurveyLayout,
};

use super::{Guess, Role, TODO};

/// A TOML string (quotes and escapes included).
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A TOML array of strings, one item a line when it gets long.
fn q_list(v: &[String]) -> String {
    let items: Vec<String> = v.iter().map(|s| q(s)).collect();
    let line = format!("[{}]", items.join(", "));
    if line.chars().count() <= 80 {
        return line;
    }
    format!("[\n    {},\n]", items.join(",\n    "))
}

fn q_scale(s: &Scale) -> String {
    let num = |x: f64| toml::Value::Float(x).to_string();
    format!("{{ min = {}, max = {} }}", num(s.min), num(s.max))
}

/// Names in quotes, comma-separated (`"a", "b"`).
pub(super) fn list(cols: &[String]) -> String {
    cols.iter()
        .map(|c| format!("{c:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes `text` as comment lines of at most about 100 characters.
fn comment(o: &mut String, text: &str) {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut line = String::from("#");
    for w in clean.split(' ').filter(|w| !w.is_empty()) {
        if line.len() > 3 && line.chars().count() + 1 + w.chars().count() > 98 {
            o.push_str(&line);
            o.push('\n');
            line = String::from("#");
        }
        line.push(' ');
        line.push_str(w);
    }
    o.push_str(&line);
    o.push('\n');
}

type Pairs<'a> = Vec<(&'static str, Option<&'a String>)>;

/// Writes one table section: remarks, file keys, the table's own keys and its columns.
fn section(
    o: &mut String,
    g: &Guess,
    role: Role,
    f: &FileOptions,
    own: &[(&str, String)],
    cols: Pairs<'_>,
) {
    let name = role.section();
    let tg = g.tables.iter().find(|t| t.role == role);
    o.push('\n');
    if let Some(t) = tg {
        comment(
            o,
            &format!("[{name}] from {}: {}.", t.file.display(), t.reason),
        );
        for n in &t.notes {
            comment(o, &format!("Note: {n}"));
        }
    }
    let _ = writeln!(o, "[{name}]");
    if let Some(t) = tg.filter(|t| t.todos.iter().any(|d| d.key == "path")) {
        comment(
            o,
            &format!(
                "{TODO}: {}; none of the files given looks like it. Give it here (relative to this file).",
                t.reason
            ),
        );
    }
    let _ = writeln!(o, "path = {}", q(&f.path.to_string_lossy()));
    if let Some(fmt) = f.format {
        let fmt = match fmt {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
            Format::Whitespace => "whitespace",
            Format::Xlsx => "xlsx",
        };
        let _ = writeln!(o, "format = {}", q(fmt));
    }
    let eff = f.format();
    if eff == Format::Csv || f.delimiter != "," {
        let _ = writeln!(o, "delimiter = {}", q(&f.delimiter));
    }
    if eff != Format::Parquet || f.decimal != "." {
        let _ = writeln!(o, "decimal = {}", q(&f.decimal));
    }
    if let Some(t) = &f.thousands {
        let _ = writeln!(o, "thousands = {}", q(t));
    }
    match &f.sheet {
        Some(Sheet::Name(n)) => {
            let _ = writeln!(o, "sheet = {}", q(n));
        }
        Some(Sheet::Index(i)) => {
            let _ = writeln!(o, "sheet = {i}");
        }
        None => {}
    }
    if eff != Format::Parquet || f.date_formats != default_date_formats() {
        let _ = writeln!(o, "date_formats = {}", q_list(&f.date_formats));
    }
    let evidence = |o: &mut String, k: &str| {
        if let Some(t) = tg {
            if let Some((_, e)) = t.evidence.iter().find(|(f, _)| f == k) {
                comment(o, &format!("{k}: {e}"));
            }
            if let Some(d) = t.todos.iter().find(|d| d.key == k) {
                comment(
                    o,
                    &format!(
                        "{TODO}: no column was found for {}; write its name here. Columns in the file: {}",
                        d.what,
                        list(&t.columns)
                    ),
                );
            }
        }
    };
    for (k, v) in own {
        evidence(o, k);
        let _ = writeln!(o, "{k} = {v}");
    }
    let _ = writeln!(o, "\n[{name}.columns]");
    for (k, v) in cols {
        match v {
            Some(c) => {
                evidence(o, k);
                let _ = writeln!(o, "{k} = {}", q(c));
            }
            None => {
                let _ = writeln!(o, "# {k} = \"\"");
            }
        }
    }
    if let Some(t) = tg.filter(|t| !t.unmapped.is_empty()) {
        comment(o, &format!("Columns not used: {}", list(&t.unmapped)));
    }
}

/// Writes a guess as a commented mapping file that [`crate::config::Config::from_toml`] reads
/// back as `g.mapping`.
pub fn render(g: &Guess) -> String {
    let m = &g.mapping;
    let mut o =
        String::from("# segmint mapping — written by \"segmint init\"; check every guess\n");
    comment(
        &mut o,
        "Paths are relative to this file; column names must match the file's header exactly. A \
         commented-out key (# key = \"\") is an optional field no column was found for: fill it \
         in and remove the #. The comment above each key is its evidence: the header words \
         (`name`) and what the sampled values look like (`sniffed`). A `TODO` value is a \
         required field init could not fill: `segmint check` and every other command stop and \
         name it until you write the column's name there. Run `segmint check --config` on this \
         file after every edit.",
    );
    for n in &g.notes {
        comment(&mut o, &format!("Note: {n}"));
    }
    if let Some(d) = &m.as_of {
        let _ = writeln!(o, "\nas_of = {}", q(d));
    }
    if let Some(c) = &m.currency {
        o.push('\n');
        comment(
            &mut o,
            "currency: sniffed from the order lines' currency column (one code in every sampled value); \
             amounts are shown with it",
        );
        let _ = writeln!(o, "currency = {}", q(c));
    }
    o.push('\n');
    comment(
        &mut o,
        "vat: whether the amounts include VAT (\"included\") or not (\"excluded\"); the report \
         states it. Left out, the report says the amounts are as given, their VAT basis not stated.",
    );
    let _ = writeln!(o, "# vat = \"included\"");

    let t = &m.transactions;
    let c = &t.columns;
    let own: Vec<_> = t
        .cancel_prefix
        .iter()
        .map(|p| ("cancel_prefix", q(p)))
        .collect();
    #[rustfmt::skip]
    let cols = vec![
        ("customer_id", Some(&c.customer_id)), ("order_id", c.order_id.as_ref()),
        ("timestamp", Some(&c.timestamp)), ("quantity", Some(&c.quantity)),
        ("unit_price", c.unit_price.as_ref()), ("line_total", c.line_total.as_ref()),
        ("product_id", c.product_id.as_ref()), ("category", c.category.as_ref()),
        ("brand", c.brand.as_ref()), ("unit_cost", c.unit_cost.as_ref()),
        ("margin_pct", c.margin_pct.as_ref()), ("discount", c.discount.as_ref()),
        ("discount_pct", c.discount_pct.as_ref()), ("channel", c.channel.as_ref()),
        ("refunded_quantity", c.refunded_quantity.as_ref()),
        ("refunded_amount", c.refunded_amount.as_ref()),
    ];
    section(&mut o, g, Role::Transactions, &t.file(), &own, cols);

    if let Some(r) = &m.returns {
        let c = &r.columns;
        #[rustfmt::skip]
        let cols = vec![
            ("order_id", Some(&c.order_id)), ("product_id", c.product_id.as_ref()),
            ("quantity", Some(&c.quantity)), ("refund", c.refund.as_ref()),
            ("handling_cost", c.handling_cost.as_ref()), ("timestamp", c.timestamp.as_ref()),
        ];
        section(&mut o, g, Role::Returns, &r.file(), &[], cols);
    }

    if let Some(e) = &m.events {
        let c = &e.columns;
        #[rustfmt::skip]
        let cols = vec![
            ("customer_id", Some(&c.customer_id)), ("session_id", Some(&c.session_id)),
            ("timestamp", Some(&c.timestamp)), ("event_type", Some(&c.event_type)),
            ("category", c.category.as_ref()), ("dwell_seconds", c.dwell_seconds.as_ref()),
            ("dwell_milliseconds", c.dwell_milliseconds.as_ref()),
        ];
        section(&mut o, g, Role::Events, &e.file(), &[], cols);
        let ty = &e.event_types;
        if *ty != EventTypes::default() {
            o.push_str("\n[events.event_types]\n");
            for (k, v) in [
                ("view", &ty.view),
                ("cart", &ty.cart),
                ("search", &ty.search),
                ("purchase", &ty.purchase),
            ] {
                let _ = writeln!(o, "{k} = {}", q_list(v));
            }
        }
    }

    if let Some(s) = &m.survey {
        let mut own = Vec::new();
        if s.layout == SurveyLayout::Long {
            own.push(("layout", q("long")));
        }
        if !s.items.is_empty() {
            own.push(("items", q_list(&s.items)));
        }
        if s.scale != Scale::default() {
            own.push(("scale", q_scale(&s.scale)));
        }
        let c = &s.columns;
        let cols = vec![
            ("customer_id", Some(&c.customer_id)),
            ("question", c.question.as_ref()),
            ("answer", c.answer.as_ref()),
        ];
        section(&mut o, g, Role::Survey, &s.file(), &own, cols);
        if !s.item_scales.is_empty() {
            o.push_str("\n[survey.item_scales]\n");
            for (k, v) in &s.item_scales {
                let _ = writeln!(o, "{} = {}", q(k), q_scale(v));
            }
        }
        if !s.factors.is_empty() {
            o.push_str("\n[survey.factors]\n");
            for (k, v) in &s.factors {
                let _ = writeln!(o, "{} = {}", q(k), q_list(v));
            }
        }
        // The report's words for each item: without them it shows the column's name, in
        // whatever language the export is in; a stub per item to fill in (an empty one is
        // ignored, so uncommenting without filling in changes nothing).
        let unlabelled: Vec<&String> = s
            .items
            .iter()
            .chain(s.factors.keys())
            .filter(|i| !s.labels.contains_key(*i))
            .collect();
        if !unlabelled.is_empty() {
            o.push('\n');
            comment(
                &mut o,
                "How the report names each survey item and factor, per report language (en, nb, \
                 sv, da); without a label it shows the column's name. Fill in the languages you \
                 report in and remove the #:",
            );
            let _ = writeln!(o, "# [survey.labels]");
            for i in unlabelled {
                let _ = writeln!(
                    o,
                    "# {} = {{ en = \"\", nb = \"\", sv = \"\", da = \"\" }}",
                    q(i)
                );
            }
        }
    }

    if let Some(cu) = &m.customers {
        let c = &cu.columns;
        #[rustfmt::skip]
        let cols = vec![
            ("customer_id", Some(&c.customer_id)), ("birth_year", c.birth_year.as_ref()),
            ("age", c.age.as_ref()), ("gender", c.gender.as_ref()),
            ("country", c.country.as_ref()), ("region", c.region.as_ref()),
            ("postcode", c.postcode.as_ref()), ("signup_date", c.signup_date.as_ref()),
            ("email", c.email.as_ref()), ("phone", c.phone.as_ref()),
            ("first_name", c.first_name.as_ref()), ("last_name", c.last_name.as_ref()),
        ];
        section(&mut o, g, Role::Customers, &cu.file(), &[], cols);
        if !cu.attributes.is_empty() {
            o.push_str("\n[customers.attributes]\n");
            comment(
                &mut o,
                "Further columns as demographic features: kind = \"categorical\" (levels), \"ordinal\" (bands such as \"35-44\" read as their midpoint, or levels = [...] lowest first) or \"numeric\". Values listed in `missing` are not known. Remove a line to leave the column out.",
            );
            let tg = g.tables.iter().find(|t| t.role == Role::Customers);
            for (name, a) in &cu.attributes {
                if let Some((_, e)) = tg.and_then(|t| {
                    t.evidence
                        .iter()
                        .find(|(k, _)| *k == format!("attributes.{name}"))
                }) {
                    comment(&mut o, &format!("{name}: {e}"));
                }
                let inline = |v: &[String]| {
                    format!(
                        "[{}]",
                        v.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")
                    )
                };
                let mut parts = Vec::new();
                if let Some(c) = &a.column {
                    parts.push(format!("column = {}", q(c)));
                }
                let kind = match a.kind {
                    AttributeKind::Categorical => "categorical",
                    AttributeKind::Ordinal => "ordinal",
                    AttributeKind::Numeric => "numeric",
                };
                parts.push(format!("kind = {}", q(kind)));
                if !a.levels.is_empty() {
                    parts.push(format!("levels = {}", inline(&a.levels)));
                }
                if !a.missing.is_empty() {
                    parts.push(format!("missing = {}", inline(&a.missing)));
                }
                let bare = !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                let key = if bare { name.clone() } else { q(name) };
                let _ = writeln!(o, "{key} = {{ {} }}", parts.join(", "));
            }
        }
    }

    if let Some(p) = &m.products {
        let c = &p.columns;
        #[rustfmt::skip]
        let cols = vec![
            ("product_id", Some(&c.product_id)), ("category", c.category.as_ref()),
            ("subcategory", c.subcategory.as_ref()), ("brand", c.brand.as_ref()),
            ("unit_cost", c.unit_cost.as_ref()), ("margin_pct", c.margin_pct.as_ref()),
        ];
        section(&mut o, g, Role::Products, &p.file(), &[], cols);
    }

    #[derive(Serialize)]
    struct Rest<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        features: Option<&'a FeatureOptions>,
        #[serde(skip_serializing_if = "Option::is_none")]
        prepare: Option<&'a PrepareOptions>,
    }
    let rest = Rest {
        features: (m.features != FeatureOptions::default()).then_some(&m.features),
        prepare: (m.prepare != PrepareOptions::default()).then_some(&m.prepare),
    };
    if rest.features.is_some() || rest.prepare.is_some() {
        if let Ok(text) = toml::to_string(&rest) {
            o.push('\n');
            o.push_str(&text);
        }
    }
    o
}
