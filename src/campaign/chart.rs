//! The lift chart: relative lift in revenue per customer per segment, with its bootstrap
//! interval, as an SVG string (no I/O).

use plotters::prelude::*;

use super::lift::LiftReport;
use crate::error::{Error, Result};
use crate::i18n::{fill, Lang};
use crate::model::SegmentLabel;

const FONT: &str = "sans-serif";

/// Relative revenue lift per segment (dot) with its percentile bootstrap interval (bar), and
/// the size-weighted overall lift at the bottom.
pub fn lift_svg(r: &LiftReport, lang: Lang) -> Result<String> {
    let height = (140 + 44 * (r.lift.segments.len() + 1)) as u32;
    svg(900, height, |root| draw_lift(root, r, lang))
}

/// [`lift_svg`] as a PNG.
pub fn lift_png(r: &LiftReport, lang: Lang) -> Result<Vec<u8>> {
    let height = (140 + 44 * (r.lift.segments.len() + 1)) as u32;
    png(900, height, |root| draw_lift(root, r, lang))
}

type Dr = std::result::Result<(), String>;

/// A row of the lift chart: label, relative lift, its interval, significant.
type LiftRow = (String, Option<f64>, Option<(f64, f64)>, bool);

fn svg<F>(w: u32, h: u32, draw: F) -> Result<String>
where
    F: Fn(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> Dr,
{
    crate::render::register_font();
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
        root.fill(&WHITE)
            .map_err(|e| Error::Render(format!("{e:?}")))?;
        draw(&root).map_err(Error::Render)?;
        root.present()
            .map_err(|e| Error::Render(format!("{e:?}")))?;
    }
    Ok(out)
}

fn png<F>(w: u32, h: u32, draw: F) -> Result<Vec<u8>>
where
    F: Fn(&DrawingArea<BitMapBackend, plotters::coord::Shift>) -> Dr,
{
    crate::render::register_font();
    let mut rgb = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        root.fill(&WHITE)
            .map_err(|e| Error::Render(format!("{e:?}")))?;
        draw(&root).map_err(Error::Render)?;
        root.present()
            .map_err(|e| Error::Render(format!("{e:?}")))?;
    }
    let mut out = Vec::new();
    let err = |e: ::png::EncodingError| Error::Render(format!("PNG encoding: {e}"));
    {
        let mut enc = ::png::Encoder::new(&mut out, w, h);
        enc.set_color(::png::ColorType::Rgb);
        enc.set_depth(::png::BitDepth::Eight);
        let mut writer = enc.write_header().map_err(err)?;
        writer.write_image_data(&rgb).map_err(err)?;
    }
    Ok(out)
}

fn draw_lift<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    r: &LiftReport,
    lang: Lang,
) -> Dr {
    let t = lang.campaign();
    let mut rows: Vec<LiftRow> = r
        .lift
        .segments
        .iter()
        .map(|s| {
            (
                crate::render::short(
                    &format!("{} {}", s.segment, lang.segment_name(&s.naming)),
                    34,
                ),
                s.revenue.raw.relative,
                s.revenue.bootstrap_relative_ci.map(|c| (c.low, c.high)),
                s.significant,
            )
        })
        .collect();
    let o = &r.lift.overall;
    rows.push((
        t.overall.to_string(),
        o.revenue_relative,
        o.revenue_relative_ci.map(|c| (c.low, c.high)),
        false,
    ));
    let mut lo: f64 = 0.0;
    let mut hi: f64 = 0.0;
    for (_, v, ci, _) in &rows {
        for x in v.iter().chain(ci.iter().flat_map(|c| [&c.0, &c.1])) {
            if x.is_finite() {
                lo = lo.min(*x);
                hi = hi.max(*x);
            }
        }
    }
    let pad = ((hi - lo) * 0.08).max(0.02);
    let (lo, hi) = (lo - pad, hi + pad);
    let n = rows.len();
    let fail = |e: String| format!("lift: {e}");
    {
        let title = lift_title(r, lang);
        let mut chart = ChartBuilder::on(root)
            .caption(title, (FONT, 20))
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(260)
            .build_cartesian_2d(lo..hi, -0.5..(n as f64 - 0.5))
            .map_err(|e| fail(format!("{e:?}")))?;
        let labels: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&|y| {
                let i = (n as f64 - 1.0 - y).round();
                if (y - y.round()).abs() < 1e-6 && i >= 0.0 && (i as usize) < n {
                    labels[i as usize].clone()
                } else {
                    String::new()
                }
            })
            .x_label_formatter(&|x| {
                let p = lang.percent(*x, 0);
                if *x > 0.0 {
                    format!("+{p}")
                } else {
                    p
                }
            })
            .x_desc(t.lift_axis)
            .label_style((FONT, 14))
            .draw()
            .map_err(|e| fail(format!("{e:?}")))?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, -0.5), (0.0, n as f64 - 0.5)],
                BLACK.stroke_width(1),
            )))
            .map_err(|e| fail(format!("{e:?}")))?;
        for (i, (_, v, ci, sig)) in rows.iter().enumerate() {
            let y = n as f64 - 1.0 - i as f64;
            let colour = if i + 1 == n {
                RGBColor(0x33, 0x33, 0x33)
            } else if *sig {
                RGBColor(0x00, 0x72, 0xb2)
            } else {
                RGBColor(0x99, 0x99, 0x99)
            };
            if let Some((a, b)) = ci {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(*a, y), (*b, y)],
                        colour.stroke_width(3),
                    )))
                    .map_err(|e| fail(format!("{e:?}")))?;
            }
            if let Some(v) = v {
                chart
                    .draw_series(std::iter::once(Circle::new((*v, y), 6, colour.filled())))
                    .map_err(|e| fail(format!("{e:?}")))?;
            }
        }
    }
    Ok(())
}

/// The lift chart's title (with the intervals' level), as the chart and the report say it.
pub fn lift_title(r: &LiftReport, lang: Lang) -> String {
    fill(
        lang.campaign().lift_title,
        &[("level", lang.percent(1.0 - r.lift.options.alpha, 0))],
    )
}

/// The alluvial chart's title (the two runs' reference dates), as the chart and the report
/// say it.
pub fn alluvial_title(c: &super::compare::Comparison, lang: Lang) -> String {
    fill(
        lang.campaign().alluvial_title,
        &[
            ("from", lang.date(&c.from_as_of)),
            ("to", lang.date(&c.to_as_of)),
        ],
    )
}

/// The migration between two runs as an alluvial chart: A's segments (and `new`) stacked on
/// the left, B's (and `gone`) on the right, a band per flow with a height proportional to
/// its customers, coloured by A's segment.
pub fn alluvial_svg(c: &super::compare::Comparison, lang: Lang) -> Result<String> {
    svg(1000, 640, |root| draw_alluvial(root, c, lang))
}

/// [`alluvial_svg`] as a PNG.
pub fn alluvial_png(c: &super::compare::Comparison, lang: Lang) -> Result<Vec<u8>> {
    png(1000, 640, |root| draw_alluvial(root, c, lang))
}

fn draw_alluvial<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    c: &super::compare::Comparison,
    lang: Lang,
) -> Dr {
    let t = lang.campaign();
    let flows = &c.migration;
    let total: usize = flows.iter().map(|f| f.customers).sum();
    let mut left: Vec<(SegmentLabel, String, usize)> = Vec::new();
    let mut right: Vec<(SegmentLabel, String, usize)> = Vec::new();
    for f in flows {
        match left.iter_mut().find(|x| x.0 == f.from) {
            Some(x) => x.2 += f.customers,
            None => left.push((f.from, f.from_name.clone(), f.customers)),
        }
        match right.iter_mut().find(|x| x.0 == f.to) {
            Some(x) => x.2 += f.customers,
            None => right.push((f.to, f.to_name.clone(), f.customers)),
        }
    }
    left.sort_by_key(|x| x.0);
    right.sort_by_key(|x| x.0);
    let h = 640i32;
    let (top, bottom, gap) = (70.0, 30.0, 8.0);
    let (x0, x1, bar) = (260.0, 740.0, 18.0);
    let avail = |n: usize| h as f64 - top - bottom - gap * (n.max(1) - 1) as f64;
    let scale = avail(left.len().max(right.len())) / total.max(1) as f64;
    let starts = |v: &[(SegmentLabel, String, usize)]| {
        let mut y = top;
        v.iter()
            .map(|x| {
                let s = y;
                y += x.2 as f64 * scale + gap;
                (x.0, s)
            })
            .collect::<Vec<_>>()
    };
    let (ls, rs) = (starts(&left), starts(&right));
    let colour = |s: SegmentLabel| match s.segment() {
        Some(id) => crate::render::segment_colour(Some(id)),
        None => RGBColor(0xa0, 0xa0, 0xa0),
    };
    let fail = |e: String| format!("migration: {e}");
    {
        let title = alluvial_title(c, lang);
        root.draw(&Text::new(title, (20, 20), (FONT, 22).into_font()))
            .map_err(|e| fail(format!("{e:?}")))?;
        let mut off_l: std::collections::HashMap<SegmentLabel, f64> = ls.iter().copied().collect();
        let mut off_r: std::collections::HashMap<SegmentLabel, f64> = rs.iter().copied().collect();
        for f in flows {
            let hgt = f.customers as f64 * scale;
            let yl = off_l[&f.from];
            let yr = off_r[&f.to];
            off_l.insert(f.from, yl + hgt);
            off_r.insert(f.to, yr + hgt);
            let steps = 24;
            let curve = |t: f64, a: f64, b: f64| a + (b - a) * (3.0 * t * t - 2.0 * t * t * t);
            let mut pts: Vec<(i32, i32)> = Vec::new();
            for i in 0..=steps {
                let t = i as f64 / steps as f64;
                pts.push((
                    (x0 + bar + (x1 - x0 - bar) * t) as i32,
                    curve(t, yl, yr) as i32,
                ));
            }
            for i in (0..=steps).rev() {
                let t = i as f64 / steps as f64;
                pts.push((
                    (x0 + bar + (x1 - x0 - bar) * t) as i32,
                    (curve(t, yl, yr) + hgt.max(1.0)) as i32,
                ));
            }
            root.draw(&Polygon::new(pts, colour(f.from).mix(0.45).filled()))
                .map_err(|e| fail(format!("{e:?}")))?;
        }
        // B's segments take the colour of the A segment they continue.
        let matched: std::collections::HashMap<SegmentLabel, SegmentLabel> = c
            .segments
            .iter()
            .filter_map(|m| Some((m.b?, m.a?)))
            .collect();
        for (side, v, st) in [(0, &left, &ls), (1, &right, &rs)] {
            for ((label, name, n), (_, y)) in v.iter().zip(st.iter()) {
                let seg = if side == 1 {
                    matched.get(label).copied().unwrap_or(SegmentLabel::New)
                } else {
                    *label
                };
                let x = if side == 0 { x0 } else { x1 };
                let hgt = (*n as f64 * scale).max(1.0);
                root.draw(&Rectangle::new(
                    [(x as i32, *y as i32), ((x + bar) as i32, (y + hgt) as i32)],
                    colour(seg).filled(),
                ))
                .map_err(|e| fail(format!("{e:?}")))?;
                let shown = match (c.name_in(side == 1, *label, lang), label) {
                    (Some(n), _) => n,
                    (None, SegmentLabel::New) => t.new.to_string(),
                    (None, SegmentLabel::Gone) => t.gone.to_string(),
                    (None, _) => name.clone(),
                };
                let label = format!(
                    "{} ({})",
                    crate::render::short(&shown, 28),
                    lang.number(*n as f64, 0)
                );
                let (tx, anchor) = if side == 0 {
                    (x as i32 - 8, plotters::style::text_anchor::HPos::Right)
                } else {
                    (
                        (x + bar) as i32 + 8,
                        plotters::style::text_anchor::HPos::Left,
                    )
                };
                let style = (FONT, 14).into_font().into_text_style(root).pos(
                    plotters::style::text_anchor::Pos::new(
                        anchor,
                        plotters::style::text_anchor::VPos::Center,
                    ),
                );
                root.draw(&Text::new(label, (tx, (y + hgt / 2.0) as i32), style))
                    .map_err(|e| fail(format!("{e:?}")))?;
            }
        }
    }
    Ok(())
}
