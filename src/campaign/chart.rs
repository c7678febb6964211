//! The lift chart: relative lift in revenue per customer per segment, with its bootstrap
//! interval, as an SVG string (no I/O).

use plotters::prelude::*;

use super::lift::LiftReport;
use crate::error::{Error, Result};

const FONT: &str = "sans-serif";

/// Relative revenue lift per segment (dot) with its percentile bootstrap interval (bar), and
/// the size-weighted overall lift at the bottom.
pub fn lift_svg(r: &LiftReport) -> Result<String> {
    crate::render::register_font();
    let mut rows: Vec<(String, Option<f64>, Option<(f64, f64)>, bool)> = r
        .lift
        .segments
        .iter()
        .map(|s| {
            (
                crate::render::short(&format!("{} {}", s.segment, s.name), 34),
                s.revenue.raw.relative,
                s.revenue.bootstrap_relative_ci.map(|c| (c.low, c.high)),
                s.significant,
            )
        })
        .collect();
    let o = &r.lift.overall;
    rows.push((
        "All (size-weighted)".to_string(),
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
    let height = (140 + 44 * n) as u32;
    let mut svg = String::new();
    let fail = |e: String| Error::Render(format!("lift: {e}"));
    {
        let root = SVGBackend::with_string(&mut svg, (900, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(format!("{e:?}")))?;
        let title = format!(
            "Revenue per customer: lift against the control group ({:.0}% intervals)",
            100.0 * (1.0 - r.lift.options.alpha)
        );
        let mut chart = ChartBuilder::on(&root)
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
            .x_label_formatter(&|x| format!("{:+.0}%", 100.0 * x))
            .x_desc("relative lift (treatment / control − 1)")
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
        root.present().map_err(|e| fail(format!("{e:?}")))?;
    }
    Ok(svg)
}
