//! Charts: each drawn once with plotters into an SVG (for the HTML report) and a PNG (for
//! slides and wikis), from plain data the report stage prepares.
//!
//! Text is laid out with a bundled font (DejaVu Sans, `fonts/`), registered with plotters'
//! `ab_glyph` support, so the PNGs do not depend on the fonts of the machine and the same run
//! gives byte-identical charts everywhere. Segment colours come from one fixed, colour-blind
//! safe palette ([`segment_colour`]): segment 1 has the same colour in every chart.
//!
//! The module returns bytes; it never writes files.

mod charts;

use plotters::coord::Shift;
use plotters::prelude::*;
use serde::Serialize;

pub use charts::{
    short, BoxSet, Bubble, ChartData, HeatRow, KPoint, MapPoint, ReachBubble, SegmentBar,
    SegmentKey, Whale,
};

use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::model::SegmentId;

/// The kinds of chart, one file pair each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Segment sizes with revenue and profit shares side by side.
    Sizes,
    /// Segments × top features, coloured by lift.
    Heatmap,
    /// Inertia, silhouette and Calinski–Harabasz over k.
    ChooseK,
    /// DBSCAN's k-distance curve with eps.
    KDistance,
    /// Principal-component scatter coloured by segment.
    SegmentMap,
    /// Cumulative profit by customer rank.
    Whale,
    /// Return rate against revenue per segment.
    Returns,
    /// Per-segment distributions of key features.
    Boxplots,
    /// Value per customer (revenue after returns) against the share reachable, per segment.
    ValueReach,
    /// Where the customers went between an earlier run and this one (`segmint compare`;
    /// drawn by [`crate::campaign`], not part of [`ChartKind::ALL`]).
    Migration,
    /// Campaign lift per segment (`segmint lift`; drawn by [`crate::campaign`], not part of
    /// [`ChartKind::ALL`]).
    Lift,
}

impl ChartKind {
    /// Every kind drawn from a run, in report order.
    pub const ALL: [ChartKind; 9] = [
        ChartKind::Sizes,
        ChartKind::Heatmap,
        ChartKind::ChooseK,
        ChartKind::KDistance,
        ChartKind::SegmentMap,
        ChartKind::Whale,
        ChartKind::Returns,
        ChartKind::Boxplots,
        ChartKind::ValueReach,
    ];

    /// File stem and HTML marker (`sizes`, `heatmap`, ...).
    pub fn slug(self) -> &'static str {
        match self {
            ChartKind::Sizes => "sizes",
            ChartKind::Heatmap => "heatmap",
            ChartKind::ChooseK => "choose_k",
            ChartKind::KDistance => "k_distance",
            ChartKind::SegmentMap => "segment_map",
            ChartKind::Whale => "whale",
            ChartKind::Returns => "returns",
            ChartKind::Boxplots => "boxplots",
            ChartKind::ValueReach => "value_reach",
            ChartKind::Migration => "migration",
            ChartKind::Lift => "lift",
        }
    }

    /// The localised title, for a run with or without cost data ([`Lang::texts_for`]).
    pub fn title(self, lang: Lang, no_cost: bool) -> &'static str {
        let t = lang.texts_for(no_cost);
        match self {
            ChartKind::Sizes => t.chart_sizes,
            ChartKind::Heatmap => t.chart_heatmap,
            ChartKind::ChooseK => t.chart_k,
            ChartKind::KDistance => t.chart_kdist,
            ChartKind::SegmentMap => t.chart_map,
            ChartKind::Whale => t.chart_whale,
            ChartKind::Returns => t.chart_returns,
            ChartKind::Boxplots => t.chart_boxes,
            ChartKind::ValueReach => t.value_reach,
            ChartKind::Migration => lang.campaign().compare_heading,
            ChartKind::Lift => lang.campaign().results_heading,
        }
    }
}

/// A rendered chart.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Which chart.
    pub kind: ChartKind,
    /// Localised title (also drawn in the chart).
    pub title: String,
    /// SVG document.
    pub svg: String,
    /// PNG file bytes.
    pub png: Vec<u8>,
    /// Width in pixels (SVG user units and PNG pixels).
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Width of every chart: readable at A4 width in print and on screen.
pub const WIDTH: u32 = 1000;

/// The palette: Okabe & Ito's eight colour-blind safe colours (black left out), then Paul
/// Tol's muted scheme for segments 8–12. Segment `i` (0-based) always gets `PALETTE[i % 12]`.
pub const PALETTE: [(u8, u8, u8); 12] = [
    (0, 114, 178),   // blue
    (230, 159, 0),   // orange
    (0, 158, 115),   // bluish green
    (213, 94, 0),    // vermillion
    (86, 180, 233),  // sky blue
    (204, 121, 167), // reddish purple
    (240, 228, 66),  // yellow
    (51, 34, 136),   // indigo
    (68, 170, 153),  // teal
    (153, 153, 51),  // olive
    (136, 34, 85),   // wine
    (17, 119, 51),   // green
];

/// Colour of unassigned customers.
pub const UNASSIGNED: RGBColor = RGBColor(160, 160, 160);

/// The colour of a segment (`None`: unassigned).
pub fn segment_colour(segment: Option<SegmentId>) -> RGBColor {
    match segment {
        Some(s) => {
            let (r, g, b) = PALETTE[s.index() % PALETTE.len()];
            RGBColor(r, g, b)
        }
        None => UNASSIGNED,
    }
}

/// The CSS colour of a segment, for the HTML report.
pub fn segment_css(segment: Option<SegmentId>) -> String {
    let RGBColor(r, g, b) = segment_colour(segment);
    format!("#{r:02x}{g:02x}{b:02x}")
}

static FONT: std::sync::Once = std::sync::Once::new();

pub(crate) fn register_font() {
    FONT.call_once(|| {
        let bytes: &'static [u8] = include_bytes!("fonts/DejaVuSans.ttf");
        // The font is part of the binary; registering it cannot fail for a valid file, which a
        // unit test checks.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, bytes);
    });
}

/// Something that draws itself on any plotters backend.
trait Draw {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, lang: Lang) -> Dr;
}

/// Drawing errors as text (plotters' error types depend on the backend).
type Dr = std::result::Result<(), String>;

trait DrawContext<T> {
    fn d(self) -> std::result::Result<T, String>;
}

impl<T, E: std::fmt::Debug> DrawContext<T> for std::result::Result<T, E> {
    fn d(self) -> std::result::Result<T, String> {
        self.map_err(|e| format!("{e:?}"))
    }
}

fn render(
    kind: ChartKind,
    height: u32,
    lang: Lang,
    no_cost: bool,
    plot: &impl Draw,
) -> Result<Chart> {
    register_font();
    let (w, h) = (WIDTH, height);
    let fail = |e: String| Error::Render(format!("{}: {e}", kind.slug()));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).d().map_err(fail)?;
        plot.draw(&root, lang).map_err(fail)?;
        root.present().d().map_err(fail)?;
    }
    let mut rgb = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        root.fill(&WHITE).d().map_err(fail)?;
        plot.draw(&root, lang).map_err(fail)?;
        root.present().d().map_err(fail)?;
    }
    Ok(Chart {
        kind,
        title: kind.title(lang, no_cost).to_string(),
        svg,
        png: encode_png(&rgb, w, h)?,
        width: w,
        height: h,
    })
}

/// RGB pixels as a PNG file.
fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let err = |e: png::EncodingError| Error::Render(format!("PNG encoding: {e}"));
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Best);
        let mut writer = enc.write_header().map_err(err)?;
        writer.write_image_data(rgb).map_err(err)?;
    }
    Ok(out)
}

/// Renders every chart the data allows (the k-distance chart only when DBSCAN ran), in
/// [`ChartKind::ALL`] order, the charts in parallel (each is drawn and encoded on its own).
pub fn render_all(data: &ChartData, lang: Lang) -> Result<Vec<Chart>> {
    use rayon::prelude::*;
    let charts: Vec<Option<Chart>> = ChartKind::ALL
        .par_iter()
        .map(|&kind| charts::render_kind(kind, data, lang))
        .collect::<Result<_>>()?;
    Ok(charts.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_font_is_valid() {
        let bytes: &'static [u8] = include_bytes!("fonts/DejaVuSans.ttf");
        assert!(plotters::style::register_font("test-font", FontStyle::Normal, bytes).is_ok());
    }

    #[test]
    fn palette_is_fixed_per_segment() {
        assert_eq!(segment_css(Some(SegmentId(0))), "#0072b2");
        assert_eq!(
            segment_css(Some(SegmentId(12))),
            segment_css(Some(SegmentId(0)))
        );
        assert_eq!(segment_css(None), "#a0a0a0");
        let mut seen: Vec<_> = PALETTE.to_vec();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), PALETTE.len());
    }
}
