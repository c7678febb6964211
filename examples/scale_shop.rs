//! Writes the demo shop at scale, for the scale benchmark (`benches/scale.sh`).
//!
//! ```text
//! cargo run --release --example scale_shop -- OUT_DIR --customers 100000 [--sessions-factor 3] [--seed 42]
//! segmint run --config OUT_DIR/mapping.toml --out OUT_DIR/out --timings
//! ```
//!
//! The shop is `segmint demo`'s (same planted segments, same conventions); `--sessions-factor`
//! multiplies every customer's browsing sessions (3 gives about 100 events per customer, so a
//! million customers have about a hundred million events). Files are written in pieces, so
//! generating is not the bottleneck. Prints the files with their sizes and lines.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage =
        "usage: scale_shop OUT_DIR --customers N [--sessions-factor F] [--seed S]".to_string();
    let (mut customers, mut factor, mut seed, mut out) = (None, 1u64, 42u64, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().and_then(|v| v.parse::<u64>().ok());
        match a.as_str() {
            "--customers" => customers = value(),
            "--sessions-factor" => factor = value().unwrap_or(0),
            "--seed" => seed = value().unwrap_or(42),
            _ if out.is_none() && !a.starts_with("--") => out = Some(PathBuf::from(a)),
            _ => {
                eprintln!("{usage}");
                return ExitCode::FAILURE;
            }
        }
    }
    let (Some(customers), Some(out)) = (customers, out) else {
        eprintln!("{usage}");
        return ExitCode::FAILURE;
    };
    if factor == 0 {
        eprintln!("--sessions-factor must be a whole number of at least 1\n{usage}");
        return ExitCode::FAILURE;
    }
    let t = std::time::Instant::now();
    let params = segmint::demo::DemoParams {
        customers: customers as usize,
        seed,
    };
    let files = match segmint::demo::write_shop(&params, factor as u32, &out) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "wrote {} in {:.1} s",
        out.display(),
        t.elapsed().as_secs_f64()
    );
    for f in files {
        let path = out.join(&f);
        let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let lines = count_lines(&path).unwrap_or(0);
        println!(
            "  {f:<18} {:>10.1} MB {:>12} lines",
            bytes as f64 / 1e6,
            lines
        );
    }
    ExitCode::SUCCESS
}

fn count_lines(path: &std::path::Path) -> std::io::Result<usize> {
    let mut file = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 1 << 20];
    let mut lines = 0;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(lines);
        }
        lines += buf[..n].iter().filter(|&&b| b == b'\n').count();
    }
}
