//! The eight charts. Each is a small struct of plain data that draws itself on any plotters
//! backend, so the SVG and the PNG come from the same code.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::Serialize;

use super::{render, segment_colour, Chart, ChartKind, Dr, Draw, DrawContext};
use crate::error::Result;
use crate::i18n::Lang;
use crate::model::SegmentId;

/// A segment as charts show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentKey {
    /// Segment id (`None`: unassigned customers).
    pub segment: Option<SegmentId>,
    /// Label, e.g. `1 Lapsed`.
    pub label: String,
}

/// A segment's size and money shares.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentBar {
    /// The segment.
    pub key: SegmentKey,
    /// Share of customers.
    pub customer_share: f64,
    /// Share of net revenue.
    pub revenue_share: f64,
    /// Share of return-adjusted profit (may be negative); in a run without cost data
    /// ([`ChartData::no_cost`]), share of revenue after returns.
    pub profit_share: f64,
}

/// One heatmap row: a segment's lift per feature.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeatRow {
    /// The segment.
    pub key: SegmentKey,
    /// Lift (standardised mean difference) per heatmap feature.
    pub lifts: Vec<Option<f64>>,
}

/// Scores of the k-means candidate with `k` segments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KPoint {
    /// Number of segments.
    pub k: usize,
    /// Inertia.
    pub inertia: Option<f64>,
    /// Mean silhouette.
    pub silhouette: Option<f64>,
    /// Calinski–Harabasz index.
    pub calinski_harabasz: Option<f64>,
}

/// A point of the segment map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapPoint {
    /// First principal component.
    pub x: f64,
    /// Second principal component.
    pub y: f64,
    /// Segment (`None`: unassigned).
    pub segment: Option<SegmentId>,
}

/// The whale curve.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Whale {
    /// (share of customers, cumulative share of profit), customers ranked by profit.
    pub curve: Vec<(f64, f64)>,
    /// The same points for the customers of the flagged segment.
    pub flagged: Vec<(f64, f64)>,
    /// The flagged segment, when there is one.
    pub flagged_key: Option<SegmentKey>,
}

/// A segment's bubble: revenue against return rate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bubble {
    /// The segment.
    pub key: SegmentKey,
    /// Net revenue.
    pub net_revenue: f64,
    /// Return rate by value.
    pub return_rate: f64,
    /// Customers.
    pub customers: usize,
    /// Flagged low-profit, high-return.
    pub flagged: bool,
}

/// A segment in the value-versus-reachability chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReachBubble {
    /// The segment.
    pub key: SegmentKey,
    /// Revenue after returns per customer.
    pub value: f64,
    /// Share of the segment active within the report's reach window.
    pub reachable: f64,
    /// Customers.
    pub customers: usize,
}

/// Box plots of one feature: per segment, the lower whisker, first quartile, median, third
/// quartile and upper whisker (Tukey: the most extreme values within 1.5 IQR of the box).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoxSet {
    /// Feature label.
    pub feature: String,
    /// One box per segment.
    pub boxes: Vec<(SegmentKey, [f64; 5])>,
}

/// Everything the charts draw.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChartData {
    /// Segments (unassigned last) with their shares.
    pub bars: Vec<SegmentBar>,
    /// Heatmap columns (feature labels).
    pub heat_features: Vec<String>,
    /// Heatmap rows.
    pub heat_rows: Vec<HeatRow>,
    /// k-means candidates by k.
    pub k_points: Vec<KPoint>,
    /// The elbow of the inertia curve.
    pub elbow_k: Option<usize>,
    /// Segments of the proposal.
    pub chosen_k: usize,
    /// DBSCAN's k-distance curves: (min_samples, distances in descending order).
    pub k_distance: Vec<(usize, Vec<f64>)>,
    /// The chosen eps (DBSCAN proposal) or the knee's eps, with its min_samples.
    pub eps: Option<(f64, usize)>,
    /// Whether the proposal is a DBSCAN candidate.
    pub dbscan_chosen: bool,
    /// Sampled customers in the first two principal components.
    pub map: Vec<MapPoint>,
    /// Segment centroids in the same plane.
    pub centroids: Vec<MapPoint>,
    /// Share of variance of the two components.
    pub map_variance: (f64, f64),
    /// Segment labels for legends (unassigned last, if any).
    pub keys: Vec<SegmentKey>,
    /// Whale curve.
    pub whale: Whale,
    /// Return rate against revenue.
    pub bubbles: Vec<Bubble>,
    /// Base return rate by value.
    pub base_return_rate: f64,
    /// Box plots of key features.
    pub boxes: Vec<BoxSet>,
    /// Value per customer against reachability, per segment.
    pub reach: Vec<ReachBubble>,
    /// Revenue after returns per customer of all customers.
    pub base_value: f64,
    /// The run had no cost data: the profit shares and the whale curve are revenue after
    /// returns and their handling, and the labels say so ([`Lang::texts_for`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_cost: bool,
}

pub(super) fn render_kind(kind: ChartKind, d: &ChartData, lang: Lang) -> Result<Option<Chart>> {
    let n = d.bars.len() as u32;
    Ok(Some(match kind {
        ChartKind::Sizes => render(kind, 130 + 70 * n.max(2), lang, d.no_cost, &Sizes(d))?,
        ChartKind::Heatmap => {
            if d.heat_features.is_empty() {
                return Ok(None);
            }
            render(kind, 240 + 50 * n.max(2), lang, d.no_cost, &Heatmap(d))?
        }
        ChartKind::ChooseK => {
            if d.k_points.is_empty() {
                return Ok(None);
            }
            render(kind, 430, lang, d.no_cost, &ChooseK(d))?
        }
        ChartKind::KDistance => {
            if d.k_distance.is_empty() {
                return Ok(None);
            }
            render(kind, 480, lang, d.no_cost, &KDist(d))?
        }
        ChartKind::SegmentMap => render(kind, 640, lang, d.no_cost, &SegmentMap(d))?,
        ChartKind::Whale => render(kind, 520, lang, d.no_cost, &WhaleChart(d))?,
        ChartKind::Returns => render(kind, 560, lang, d.no_cost, &Returns(d))?,
        ChartKind::Boxplots => {
            if d.boxes.is_empty() {
                return Ok(None);
            }
            render(kind, 720, lang, d.no_cost, &Boxes(d))?
        }
        ChartKind::ValueReach => {
            if d.reach.is_empty() {
                return Ok(None);
            }
            render(kind, 560, lang, d.no_cost, &ValueReachChart(d))?
        }
        // Drawn from the campaign results, not from a run's chart data.
        ChartKind::Migration | ChartKind::Lift => return Ok(None),
    }))
}

const FONT: &str = "sans-serif";
const INK: RGBColor = RGBColor(40, 40, 40);
const GRID: RGBColor = RGBColor(225, 225, 225);

fn title<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
) -> std::result::Result<DrawingArea<DB, Shift>, String> {
    root.titled(text, (FONT, 26).into_font().color(&INK)).d()
}

fn text_style(size: u32) -> TextStyle<'static> {
    (FONT, size).into_font().color(&INK)
}

fn anchored(size: u32, h: HPos, v: VPos) -> TextStyle<'static> {
    text_style(size).pos(Pos::new(h, v))
}

/// Shortens a label to `max` characters with an ellipsis, at the last word boundary when one
/// falls in the second half (a word cut in two reads as another word: Danish "returneringer"
/// cut to "return…" reads as English).
pub fn short(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        return label.to_string();
    }
    let s: String = label.chars().take(max.max(2) - 1).collect();
    let cut = match s.rfind(' ') {
        Some(i) if s[..i].chars().count() >= max / 2 => &s[..i],
        _ => s.as_str(),
    };
    format!("{}…", cut.trim_end_matches([' ', ',', ';', ':']))
}

/// The series legend in a white box at `pos`.
fn legend_box<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    pos: SeriesLabelPosition,
) -> Dr {
    chart
        .configure_series_labels()
        .position(pos)
        .background_style(WHITE.mix(0.9))
        .border_style(GRID)
        .label_font(text_style(15))
        .draw()
        .d()
}

/// A legend swatch entry drawn at pixel position (x, y) of `area`.
fn swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    style: ShapeStyle,
    label: &str,
) -> Dr {
    area.draw(&Rectangle::new([(x, y - 8), (x + 18, y + 8)], style))
        .d()?;
    area.draw(&Text::new(
        label.to_string(),
        (x + 26, y),
        anchored(16, HPos::Left, VPos::Center),
    ))
    .d()
}

struct Sizes<'a>(&'a ChartData);

impl Draw for Sizes<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, lang: Lang) -> Dr {
        let d = self.0;
        let t = lang.texts_for(d.no_cost);
        let area = title(root, t.chart_sizes)?;
        let (legend, area) = area.split_vertically(40);
        let n = d.bars.len();
        let values = d
            .bars
            .iter()
            .flat_map(|b| [b.customer_share, b.revenue_share, b.profit_share]);
        let lo = values.clone().fold(0.0f64, f64::min);
        let hi = values.fold(0.0f64, f64::max).max(0.05);
        let x0 = if lo < 0.0 { lo * 1.25 } else { 0.0 };
        let mut chart = ChartBuilder::on(&area)
            .margin_right(60)
            .margin_left(10)
            .x_label_area_size(50)
            .y_label_area_size(270)
            .build_cartesian_2d(x0..hi * 1.15, -0.5..n as f64 - 0.5)
            .d()?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .disable_y_axis()
            .y_labels(0)
            .x_labels(8)
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .x_label_formatter(&|v| lang.percent(*v, 0))
            .x_label_style(text_style(15))
            .x_desc(t.axis_share)
            .axis_desc_style(text_style(16))
            .draw()
            .d()?;
        let row_y = |i: usize| (n - 1 - i) as f64;
        for (i, b) in d.bars.iter().enumerate() {
            let c = segment_colour(b.key.segment);
            let y = row_y(i);
            let bars = [
                (b.customer_share, c.filled(), 0.27),
                (b.revenue_share, c.mix(0.45).filled(), 0.0),
                (b.profit_share, WHITE.filled(), -0.27),
            ];
            for (v, style, off) in bars {
                let (ya, yb) = (y + off - 0.12, y + off + 0.12);
                chart
                    .draw_series(std::iter::once(Rectangle::new([(0.0, ya), (v, yb)], style)))
                    .d()?;
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(0.0, ya), (v, yb)],
                        c.stroke_width(2),
                    )))
                    .d()?;
                let (h, x) = if v >= 0.0 {
                    (HPos::Left, v)
                } else {
                    (HPos::Right, v)
                };
                let (px, py) = chart.backend_coord(&(x, y + off));
                let dx = if v >= 0.0 { 6 } else { -6 };
                root.draw(&Text::new(
                    lang.percent(v, 0),
                    (px + dx, py),
                    anchored(13, h, VPos::Center),
                ))
                .d()?;
            }
            let (px, py) = chart.backend_coord(&(x0, y));
            root.draw(&Text::new(
                short(&b.key.label, 30),
                (px - 12, py),
                anchored(16, HPos::Right, VPos::Center),
            ))
            .d()?;
        }
        let grey = RGBColor(110, 110, 110);
        let (lw, _) = legend.dim_in_pixel();
        let step = lw as i32 / 3;
        swatch(&legend, (60, 18), grey.filled(), t.customer_share)?;
        swatch(
            &legend,
            (60 + step, 18),
            grey.mix(0.45).filled(),
            t.revenue_share,
        )?;
        swatch(
            &legend,
            (60 + 2 * step, 18),
            grey.stroke_width(2),
            if d.no_cost {
                t.kept_share
            } else {
                t.profit_share
            },
        )?;
        Ok(())
    }
}

/// Blue (below the base) – white – red (above), ColorBrewer RdBu: colour-blind safe.
fn diverging(lift: f64) -> RGBColor {
    let x = (lift / 2.5).clamp(-1.0, 1.0);
    let (end, w) = if x >= 0.0 {
        ((178.0, 24.0, 43.0), x)
    } else {
        ((33.0, 102.0, 172.0), -x)
    };
    let mix = |a: f64, b: f64| (a + (b - a) * w).round() as u8;
    RGBColor(mix(255.0, end.0), mix(255.0, end.1), mix(255.0, end.2))
}

struct Heatmap<'a>(&'a ChartData);

impl Draw for Heatmap<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, lang: Lang) -> Dr {
        let d = self.0;
        let t = lang.texts_for(d.no_cost);
        let area = title(root, t.chart_heatmap)?;
        let nf = d.heat_features.len();
        let ns = d.heat_rows.len();
        let mut chart = ChartBuilder::on(&area)
            .margin(10)
            .margin_right(20)
            .x_label_area_size(175)
            .y_label_area_size(260)
            .build_cartesian_2d(0.0..nf as f64, 0.0..ns as f64)
            .d()?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(0)
            .y_labels(0)
            .draw()
            .d()?;
        for (r, row) in d.heat_rows.iter().enumerate() {
            let y = (ns - 1 - r) as f64;
            for (j, lift) in row.lifts.iter().enumerate() {
                let x = j as f64;
                let fill = lift.map_or(RGBColor(240, 240, 240), diverging);
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x, y), (x + 1.0, y + 1.0)],
                        fill.filled(),
                    )))
                    .d()?;
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x, y), (x + 1.0, y + 1.0)],
                        WHITE.stroke_width(2),
                    )))
                    .d()?;
                let label = lift.map_or_else(|| "–".to_string(), |l| lang.number(l, 1));
                let ink = if lift.is_some_and(|l| l.abs() > 1.6) {
                    WHITE
                } else {
                    INK
                };
                let (px, py) = chart.backend_coord(&(x + 0.5, y + 0.5));
                root.draw(&Text::new(
                    label,
                    (px, py),
                    text_style(14)
                        .color(&ink)
                        .pos(Pos::new(HPos::Center, VPos::Center)),
                ))
                .d()?;
            }
            let (px, py) = chart.backend_coord(&(0.0, y + 0.5));
            root.draw(&Rectangle::new(
                [(px - 22, py - 8), (px - 8, py + 8)],
                segment_colour(row.key.segment).filled(),
            ))
            .d()?;
            root.draw(&Text::new(
                short(&row.key.label, 28),
                (px - 30, py),
                anchored(15, HPos::Right, VPos::Center),
            ))
            .d()?;
        }
        for (j, f) in d.heat_features.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(j as f64 + 0.5, 0.0));
            root.draw(&Text::new(
                short(f, 30),
                (px, py + 8),
                text_style(14)
                    .transform(FontTransform::Rotate90)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .d()?;
        }
        Ok(())
    }
}

struct ChooseK<'a>(&'a ChartData);

impl Draw for ChooseK<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, lang: Lang) -> Dr {
        let d = self.0;
        let t = lang.texts_for(d.no_cost);
        let area = title(root, t.chart_k)?;
        let panels = area.split_evenly((1, 3));
        let kmin = d.k_points.iter().map(|p| p.k).min().unwrap_or(2) as f64;
        let kmax = d.k_points.iter().map(|p| p.k).max().unwrap_or(2) as f64;
        type Get = fn(&KPoint) -> Option<f64>;
        let series: [(&str, Get, usize); 3] = [
            (t.axis_inertia, |p| p.inertia, 0),
            (t.silhouette, |p| p.silhouette, 2),
            ("Calinski–Harabasz", |p| p.calinski_harabasz, 0),
        ];
        for (panel, (name, get, decimals)) in panels.iter().zip(series) {
            let pts: Vec<(f64, f64)> = d
                .k_points
                .iter()
                .filter_map(|p| get(p).map(|v| (p.k as f64, v)))
                .collect();
            let lo = pts.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
            let hi = pts.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
            let (lo, hi) = if lo.is_finite() && hi > lo {
                let pad = 0.08 * (hi - lo);
                (lo - pad, hi + pad)
            } else {
                (0.0, 1.0)
            };
            let mut chart = ChartBuilder::on(panel)
                .caption(name, text_style(18))
                .margin(12)
                .x_label_area_size(45)
                .y_label_area_size(if decimals == 0 { 75 } else { 55 })
                .build_cartesian_2d(kmin - 0.5..kmax + 0.5, lo..hi)
                .d()?;
            chart
                .configure_mesh()
                .light_line_style(TRANSPARENT)
                .bold_line_style(GRID)
                .x_labels((kmax - kmin + 1.0) as usize)
                .x_label_formatter(&|v| {
                    if (v - v.round()).abs() < 1e-9 {
                        format!("{}", v.round() as i64)
                    } else {
                        String::new()
                    }
                })
                .y_labels(6)
                .y_label_formatter(&|v| compact(lang, *v, decimals))
                .label_style(text_style(13))
                .x_desc(t.axis_k)
                .axis_desc_style(text_style(14))
                .draw()
                .d()?;
            let k = d.chosen_k as f64;
            chart
                .draw_series(DashedLineSeries::new(
                    [(k, lo), (k, hi)],
                    6,
                    4,
                    RGBColor(213, 94, 0).stroke_width(2),
                ))
                .d()?;
            chart
                .draw_series(LineSeries::new(pts.iter().copied(), INK.stroke_width(2)))
                .d()?;
            chart
                .draw_series(pts.iter().map(|&p| Circle::new(p, 4, INK.filled())))
                .d()?;
            let (px, py) = chart.backend_coord(&(k, hi));
            root.draw(&Text::new(
                format!("{} k = {}", t.chosen_short, d.chosen_k),
                (px + 4, py + 4),
                anchored(13, HPos::Left, VPos::Top).color(&RGBColor(170, 60, 0)),
            ))
            .d()?;
            if name == t.axis_inertia {
                if let Some(e) = d.elbow_k {
                    if let Some(&p) = pts.iter().find(|p| p.0 == e as f64) {
                        chart
                            .draw_series(std::iter::once(Circle::new(p, 9, INK.stroke_width(2))))
                            .d()?;
                        let (px, py) = chart.backend_coord(&p);
                        root.draw(&Text::new(
                            format!("{} (k = {e})", t.elbow),
                            (px + 12, py - 14),
                            anchored(13, HPos::Left, VPos::Bottom),
                        ))
                        .d()?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// A tick label: large numbers in thousands or millions, as the language writes them
/// ([`Lang::compact`]).
fn compact(lang: Lang, v: f64, decimals: usize) -> String {
    lang.compact(v, decimals)
}

struct KDist<'a>(&'a ChartData);

const LINE_GREYS: [RGBColor; 4] = [
    RGBColor(20, 20, 20),
    RGBColor(100, 100, 100),
    RGBColor(160, 160, 160),
    RGBColor(60, 60, 60),
];

impl Draw for KDist<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, lang: Lang) -> Dr {
        let d = self.0;
        let t = lang.texts_for(d.no_cost);
        let area = title(root, t.chart_kdist)?;
        let hi = d
            .k_distance
            .iter()
            .flat_map(|(_, v)| v.iter().copied())
            .fold(0.0f64, f64::max)
            .max(d.eps.map_or(0.0, |e| e.0))
            * 1.05;
        let mut chart = ChartBuilder::on(&area)
            .margin(12)
            .margin_right(30)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..1.0, 0.0..hi.max(1e-9))
            .d()?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .x_label_formatter(&|v| lang.percent(*v, 0))
            .y_label_formatter(&|v| lang.number(*v, 1))
            .label_style(text_style(14))
            .x_desc(t.axis_rows_sorted)
            .y_desc(t.axis_kth)
            .axis_desc_style(text_style(16))
            .draw()
            .d()?;
        for (i, (m, dist)) in d.k_distance.iter().enumerate() {
            let n = dist.len().max(2) as f64;
            let c = LINE_GREYS[i % LINE_GREYS.len()];
            chart
                .draw_series(LineSeries::new(
                    dist.iter()
                        .enumerate()
                        .map(|(j, &v)| (j as f64 / (n - 1.0), v)),
                    c.stroke_width(2),
                ))
                .d()?
                .label(format!("min_samples = {m}"))
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], c.stroke_width(3)));
        }
        if let Some((eps, m)) = d.eps {
            let accent = RGBColor(213, 94, 0);
            chart
                .draw_series(DashedLineSeries::new(
                    [(0.0, eps), (1.0, eps)],
                    8,
                    5,
                    accent.stroke_width(2),
                ))
                .d()?
                .label(format!(
                    "{} = {} (min_samples {m}{})",
                    t.eps,
                    lang.number(eps, 2),
                    if d.dbscan_chosen {
                        format!(", {}", t.chosen_short)
                    } else {
                        String::new()
                    }
                ))
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 20, y)], accent.stroke_width(3))
                });
        }
        legend_box(&mut chart, SeriesLabelPosition::UpperRight)?;
        Ok(())
    }
}

struct SegmentMap<'a>(&'a ChartData);

impl Draw for SegmentMap<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, lang: Lang) -> Dr {
        let d = self.0;
        let t = lang.texts_for(d.no_cost);
        let area = title(root, t.chart_map)?;
        let (plot, legend) = area.split_horizontally(720);
        let all = d.map.iter().chain(&d.centroids);
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for p in all {
            x0 = x0.min(p.x);
            x1 = x1.max(p.x);
            y0 = y0.min(p.y);
            y1 = y1.max(p.y);
        }
        if x0 > x1 {
            (x0, x1, y0, y1) = (-1.0, 1.0, -1.0, 1.0);
        }
        let (px, py) = (0.05 * (x1 - x0).max(1e-9), 0.05 * (y1 - y0).max(1e-9));
        let mut chart = ChartBuilder::on(&plot)
            .margin(12)
            .x_label_area_size(50)
            .y_label_area_size(60)
            .build_cartesian_2d(x0 - px..x1 + px, y0 - py..y1 + py)
            .d()?;
        let (v1, v2) = d.map_variance;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .x_label_formatter(&|v| lang.number(*v, 0))
            .y_label_formatter(&|v| lang.number(*v, 0))
            .label_style(text_style(14))
            .x_desc(format!("{} 1 ({})", t.axis_pc, lang.percent(v1, 0)))
            .y_desc(format!("{} 2 ({})", t.axis_pc, lang.percent(v2, 0)))
            .axis_desc_style(text_style(16))
            .draw()
            .d()?;
        // Unassigned first, so segments are drawn on top.
        let mut points: Vec<&MapPoint> = d.map.iter().collect();
        points.sort_by_key(|p| p.segment);
        chart
            .draw_series(
                points.iter().map(|p| {
                    Circle::new((p.x, p.y), 3, segment_colour(p.segment).mix(0.55).filled())
                }),
            )
            .d()?;
        for c in &d.centroids {
            let colour = segment_colour(c.segment);
            chart
                .draw_series(std::iter::once(Circle::new(
                    (c.x, c.y),
                    13,
                    colour.filled(),
                )))
                .d()?;
            chart
                .draw_series(std::iter::once(Circle::new(
                    (c.x, c.y),
                    13,
                    BLACK.stroke_width(2),
                )))
                .d()?;
            let (bx, by) = chart.backend_coord(&(c.x, c.y));
            root.draw(&Text::new(
                c.segment.map_or("–".into(), SegmentId::label),
                (bx, by),
                text_style(15)
                    .color(&WHITE)
                    .pos(Pos::new(HPos::Center, VPos::Center)),
            ))
            .d()?;
        }
        let mut y = 30;
        for key in &d.keys {
            swatch(
                &legend,
                (10, y),
                segment_colour(key.segment).filled(),
                &short(&key.label, 26),
            )?;
            y += 28;
        }
        legend
            .draw(&Circle::new((19, y + 6), 9, BLACK.stroke_width(2)))
            .d()?;
        legend
            .draw(&Text::new(
                t.centroid.to_string(),
                (36, y + 6),
                anchored(16, HPos::Left, VPos::Center),
            ))
            .d()?;
        Ok(())
    }
}

struct WhaleChart<'a>(&'a ChartData);

impl Draw for WhaleChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, lang: Lang) -> Dr {
        let t = lang.texts_for(self.0.no_cost);
        let w = &self.0.whale;
        let area = title(root, t.chart_whale)?;
        let hi = w.curve.iter().map(|p| p.1).fold(1.0f64, f64::max) * 1.08;
        let lo = w.curve.iter().map(|p| p.1).fold(0.0f64, f64::min);
        let lo = if lo < 0.0 { lo * 1.1 } else { 0.0 };
        let mut chart = ChartBuilder::on(&area)
            .margin(12)
            .margin_right(30)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..1.0, lo..hi)
            .d()?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .x_label_formatter(&|v| lang.percent(*v, 0))
            .y_label_formatter(&|v| lang.percent(*v, 0))
            .label_style(text_style(14))
            .x_desc(t.axis_customers_ranked)
            .y_desc(t.axis_cum_profit)
            .axis_desc_style(text_style(16))
            .draw()
            .d()?;
        chart
            .draw_series(DashedLineSeries::new(
                [(0.0, 1.0), (1.0, 1.0)],
                6,
                4,
                RGBColor(150, 150, 150).stroke_width(1),
            ))
            .d()?;
        chart
            .draw_series(LineSeries::new(
                w.curve.iter().copied(),
                INK.stroke_width(3),
            ))
            .d()?
            .label(t.all_customers)
            .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], INK.stroke_width(3)));
        if let Some(key) = &w.flagged_key {
            let c = segment_colour(key.segment);
            chart
                .draw_series(
                    w.flagged
                        .iter()
                        .map(|&p| Circle::new(p, 3, c.mix(0.8).filled())),
                )
                .d()?
                .label(format!("{}: {}", t.flagged, key.label))
                .legend(move |(x, y)| Circle::new((x + 10, y), 5, c.filled()));
        }
        legend_box(&mut chart, SeriesLabelPosition::LowerRight)?;
        Ok(())
    }
}

struct Returns<'a>(&'a ChartData);

impl Draw for Returns<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, lang: Lang) -> Dr {
        let d = self.0;
        let t = lang.texts_for(d.no_cost);
        let area = title(root, t.chart_returns)?;
        let per_customer = |b: &Bubble| (b.net_revenue / b.customers.max(1) as f64).max(1.0);
        let xmin = d
            .bubbles
            .iter()
            .map(per_customer)
            .fold(f64::INFINITY, f64::min);
        let xmax = d.bubbles.iter().map(per_customer).fold(10.0f64, f64::max);
        let xmin = if xmin.is_finite() {
            xmin.min(xmax / 10.0)
        } else {
            1.0
        };
        let ymax = d
            .bubbles
            .iter()
            .map(|b| b.return_rate)
            .fold(d.base_return_rate, f64::max)
            .max(0.05)
            * 1.15;
        let mut chart = ChartBuilder::on(&area)
            .margin(12)
            .margin_right(40)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(
                (xmin / 2.5..xmax * 4.0).log_scale(),
                -0.04 * ymax..ymax.min(1.2),
            )
            .d()?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .x_label_formatter(&|v| compact(lang, *v, 0))
            .y_label_formatter(&|v| lang.percent(*v, 0))
            .label_style(text_style(14))
            .x_desc(t.revenue_per_customer)
            .y_desc(t.return_rate)
            .axis_desc_style(text_style(16))
            .draw()
            .d()?;
        let base = d.base_return_rate;
        chart
            .draw_series(DashedLineSeries::new(
                [(xmin / 2.5, base), (xmax * 4.0, base)],
                6,
                4,
                RGBColor(120, 120, 120).stroke_width(1),
            ))
            .d()?;
        let (bx, by) = chart.backend_coord(&(xmax * 4.0, base));
        root.draw(&Text::new(
            format!("{} {}", t.all_customers, lang.percent(base, 0)),
            (bx - 6, by - 6),
            anchored(13, HPos::Right, VPos::Bottom),
        ))
        .d()?;
        let max_n = d
            .bubbles
            .iter()
            .map(|b| b.customers)
            .max()
            .unwrap_or(1)
            .max(1) as f64;
        let radius = |b: &Bubble| (6.0 + 30.0 * (b.customers as f64 / max_n).sqrt()) as i32;
        for b in &d.bubbles {
            let (r, c) = (radius(b), segment_colour(b.key.segment));
            let p = (per_customer(b), b.return_rate);
            chart
                .draw_series(std::iter::once(Circle::new(p, r, c.mix(0.7).filled())))
                .d()?;
            let edge = if b.flagged {
                BLACK.stroke_width(4)
            } else {
                c.stroke_width(1)
            };
            chart
                .draw_series(std::iter::once(Circle::new(p, r, edge)))
                .d()?;
        }
        // Labels after every bubble, each moved down while it would overlap one drawn before.
        let mut taken: Vec<(i32, i32)> = Vec::new();
        for b in &d.bubbles {
            let (px, mut py) = chart.backend_coord(&(per_customer(b), b.return_rate));
            let lx = px + radius(b) + 4;
            while taken
                .iter()
                .any(|&(x, y)| (x - lx).abs() < 220 && (y - py).abs() < 18)
            {
                py += 18;
            }
            taken.push((lx, py));
            let label = if b.flagged {
                format!("{} ({})", short(&b.key.label, 28), t.flagged)
            } else {
                short(&b.key.label, 28)
            };
            root.draw(&Text::new(
                label,
                (lx, py),
                anchored(14, HPos::Left, VPos::Center),
            ))
            .d()?;
        }
        let (w, _) = area.dim_in_pixel();
        area.draw(&Text::new(
            t.bubble_note.to_string(),
            (w as i32 - 50, 10),
            anchored(13, HPos::Right, VPos::Top).color(&RGBColor(110, 110, 110)),
        ))
        .d()?;
        Ok(())
    }
}

struct ValueReachChart<'a>(&'a ChartData);

impl Draw for ValueReachChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, lang: Lang) -> Dr {
        let d = self.0;
        let t = lang.texts_for(d.no_cost);
        let area = title(root, t.value_reach)?;
        // Value on a log scale (a few segments are worth many times the rest); a value under
        // 1 (or a loss) sits on the axis floor.
        let value = |b: &ReachBubble| b.value.max(1.0);
        let vmax = d
            .reach
            .iter()
            .map(value)
            .fold(d.base_value.max(10.0), f64::max);
        let vmin = d
            .reach
            .iter()
            .map(value)
            .fold(d.base_value.max(1.0), f64::min)
            .min(vmax / 10.0);
        let (ylo, yhi) = (vmin / 2.5, vmax * 2.5);
        let days = [("days", crate::model::ACTIVE_DAYS.to_string())];
        let mut chart = ChartBuilder::on(&area)
            .margin(12)
            .margin_right(40)
            .x_label_area_size(50)
            .y_label_area_size(80)
            .build_cartesian_2d(-0.05..1.15f64, (ylo..yhi).log_scale())
            .d()?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .x_labels(6)
            .x_label_formatter(&|v| {
                if (-1e-9..=1.0 + 1e-9).contains(v) {
                    lang.percent(*v, 0)
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|v| compact(lang, *v, 0))
            .label_style(text_style(14))
            .x_desc(crate::i18n::fill(t.reachable, &days))
            .y_desc(t.value_per_customer)
            .axis_desc_style(text_style(16))
            .draw()
            .d()?;
        // The quadrant lines: half the segment reachable, the shop's own value per customer.
        let grey = RGBColor(120, 120, 120).stroke_width(1);
        chart
            .draw_series(DashedLineSeries::new([(0.5, ylo), (0.5, yhi)], 6, 4, grey))
            .d()?;
        let base = d.base_value.max(1.0);
        chart
            .draw_series(DashedLineSeries::new(
                [(-0.05, base), (1.15, base)],
                6,
                4,
                grey,
            ))
            .d()?;
        let (bx, by) = chart.backend_coord(&(1.15, base));
        root.draw(&Text::new(
            format!("{} {}", t.all_customers, compact(lang, d.base_value, 0)),
            (bx - 6, by - 6),
            anchored(13, HPos::Right, VPos::Bottom),
        ))
        .d()?;
        let max_n = d
            .reach
            .iter()
            .map(|b| b.customers)
            .max()
            .unwrap_or(1)
            .max(1) as f64;
        let radius = |b: &ReachBubble| (6.0 + 30.0 * (b.customers as f64 / max_n).sqrt()) as i32;
        for b in &d.reach {
            let (r, c) = (radius(b), segment_colour(b.key.segment));
            let p = (b.reachable, value(b));
            chart
                .draw_series(std::iter::once(Circle::new(p, r, c.mix(0.7).filled())))
                .d()?;
            chart
                .draw_series(std::iter::once(Circle::new(p, r, c.stroke_width(1))))
                .d()?;
        }
        // Labels after every bubble, each moved down while it would overlap one drawn before;
        // right of the bubble, or left of it near the right edge.
        let (w, _) = area.dim_in_pixel();
        let mut taken: Vec<(i32, i32)> = Vec::new();
        for b in &d.reach {
            let (px, mut py) = chart.backend_coord(&(b.reachable, value(b)));
            let right = px < w as i32 - 260;
            let lx = if right {
                px + radius(b) + 4
            } else {
                px - radius(b) - 4
            };
            while taken
                .iter()
                .any(|&(x, y)| (x - lx).abs() < 220 && (y - py).abs() < 18)
            {
                py += 18;
            }
            taken.push((lx, py));
            let pos = if right { HPos::Left } else { HPos::Right };
            root.draw(&Text::new(
                short(&b.key.label, 28),
                (lx, py),
                anchored(14, pos, VPos::Center),
            ))
            .d()?;
        }
        area.draw(&Text::new(
            t.bubble_note.to_string(),
            (w as i32 - 50, 10),
            anchored(13, HPos::Right, VPos::Top).color(&RGBColor(110, 110, 110)),
        ))
        .d()?;
        Ok(())
    }
}

struct Boxes<'a>(&'a ChartData);

impl Draw for Boxes<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, lang: Lang) -> Dr {
        let d = self.0;
        let t = lang.texts_for(d.no_cost);
        let area = title(root, t.chart_boxes)?;
        let panels = area.split_evenly((2, 2));
        for (panel, set) in panels.iter().zip(&d.boxes) {
            let n = set.boxes.len();
            let lo = set
                .boxes
                .iter()
                .map(|b| b.1[0])
                .fold(f64::INFINITY, f64::min);
            let hi = set
                .boxes
                .iter()
                .map(|b| b.1[4])
                .fold(f64::NEG_INFINITY, f64::max);
            let (lo, hi) = if lo.is_finite() && hi > lo {
                let pad = 0.06 * (hi - lo);
                (lo - pad, hi + pad)
            } else {
                (lo.min(0.0), lo.max(0.0) + 1.0)
            };
            let mut chart = ChartBuilder::on(panel)
                .caption(&set.feature, text_style(17))
                .margin(10)
                .x_label_area_size(30)
                .y_label_area_size(70)
                .build_cartesian_2d(-0.5..n as f64 - 0.5, lo..hi)
                .d()?;
            let labels: Vec<String> = set
                .boxes
                .iter()
                .map(|(k, _)| k.segment.map_or("–".into(), SegmentId::label))
                .collect();
            chart
                .configure_mesh()
                .disable_x_mesh()
                .light_line_style(TRANSPARENT)
                .bold_line_style(GRID)
                .x_labels(n + 1)
                .x_label_formatter(&|v| {
                    let i = v.round();
                    if (v - i).abs() < 1e-9 && i >= 0.0 && (i as usize) < labels.len() {
                        labels[i as usize].clone()
                    } else {
                        String::new()
                    }
                })
                .y_labels(6)
                .y_label_formatter(&|v| compact(lang, *v, if hi - lo < 5.0 { 2 } else { 0 }))
                .label_style(text_style(13))
                .draw()
                .d()?;
            for (i, (key, q)) in set.boxes.iter().enumerate() {
                let x = i as f64;
                let c = segment_colour(key.segment);
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        [(x, q[0]), (x, q[1])],
                        INK.stroke_width(1),
                    )))
                    .d()?;
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        [(x, q[3]), (x, q[4])],
                        INK.stroke_width(1),
                    )))
                    .d()?;
                for w in [q[0], q[4]] {
                    chart
                        .draw_series(std::iter::once(PathElement::new(
                            [(x - 0.15, w), (x + 0.15, w)],
                            INK.stroke_width(1),
                        )))
                        .d()?;
                }
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x - 0.3, q[1]), (x + 0.3, q[3])],
                        c.mix(0.75).filled(),
                    )))
                    .d()?;
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x - 0.3, q[1]), (x + 0.3, q[3])],
                        INK.stroke_width(1),
                    )))
                    .d()?;
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        [(x - 0.3, q[2]), (x + 0.3, q[2])],
                        INK.stroke_width(3),
                    )))
                    .d()?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diverging_scale_is_white_at_zero_and_saturates() {
        assert_eq!(diverging(0.0), RGBColor(255, 255, 255));
        assert_eq!(diverging(10.0), RGBColor(178, 24, 43));
        assert_eq!(diverging(-2.5), RGBColor(33, 102, 172));
    }

    #[test]
    fn short_labels_end_at_a_word() {
        assert_eq!(short("Serial returners", 30), "Serial returners");
        // 26 characters: "6 Kunder med mange return" would be cut inside a word.
        assert_eq!(
            short("6 Kunder med mange returneringer", 26),
            "6 Kunder med mange…"
        );
        // No space in the second half: cut inside the word.
        assert_eq!(short("Storreturnerende kunder", 12), "Storreturne…");
        // A comma before the cut is dropped.
        assert_eq!(short("Lapsed, many days since", 16), "Lapsed, many…");
        assert_eq!(short("Lapsed, many days since", 14), "Lapsed, many…");
    }

    #[test]
    fn compact_ticks() {
        // English keeps k and M; the Nordic languages write thousands in full, grouped, and
        // millions with their own abbreviation (no "25k" in a Norwegian chart).
        assert_eq!(compact(Lang::En, 2_500_000.0, 0), "2.5M");
        assert_eq!(compact(Lang::En, 25_000.0, 0), "25k");
        assert_eq!(compact(Lang::Nb, 25_000.0, 0), "25\u{a0}000");
        assert_eq!(compact(Lang::Nb, 2_500_000.0, 0), "2,5\u{a0}mill.");
        assert_eq!(compact(Lang::Sv, 2_500_000.0, 0), "2,5\u{a0}milj.");
        assert_eq!(compact(Lang::Da, -20_000.0, 0), "−20.000");
        assert_eq!(compact(Lang::Da, 2_500_000.0, 0), "2,5\u{a0}mio.");
        assert_eq!(compact(Lang::Sv, 0.25, 2), "0,25");
        assert_eq!(compact(Lang::Nb, 9_999.0, 0), "9\u{a0}999");
    }
}
