//! `--engine ballista`: a command's work on an Apache DataFusion Ballista cluster.
//!
//! The distributed path is the workspace crate `segmint-ballista` (its own program), so that
//! segmint's default build never compiles DataFusion. `segmint features|discover|assign
//! --engine ballista --scheduler df://HOST:PORT` hands the job to that program with the same
//! inputs; its output goes straight to the terminal. The program is found as the path in
//! `SEGMINT_BALLISTA`, else next to this executable (`cargo build -p segmint-ballista` puts it
//! there), else on `PATH`.
//!
//! What each command becomes (see `segmint-ballista --help` and docs/distributed.md):
//!
//! ```text
//! features --config M --out O        → segmint-ballista features --config M --out O
//! discover --config M --out O        → features …, then discover --features O/features …
//! assign   --model J --config M --out O
//!                                    → features …, then assign --model J --features O/features …
//! run      --config M --out O        → discover … --out O/cluster, then [`collect`] into O and
//!                                      profile and report on this machine
//! ```

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::Algorithm;
use crate::prepare::Prepared;
use crate::run::cluster::{self, ClusterDiscovery};
use crate::run::{self as files, names, OutDir, RunId, Stage};

/// The program's name.
pub const PROGRAM: &str = "segmint-ballista";

/// Where the cluster is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// `df://HOST:PORT` of the scheduler.
    pub scheduler: String,
    /// Partitions of each stage (the program's default when `None`).
    pub partitions: Option<usize>,
}

/// A job for the cluster.
#[derive(Debug, Clone, PartialEq)]
pub enum Job<'a> {
    /// The feature table: `out/features/*.parquet`.
    Features {
        /// The mapping.
        config: &'a Path,
        /// Output folder (on a filesystem every executor sees).
        out: &'a Path,
    },
    /// The feature table, then the sweep on a seeded sample and the final Lloyd iterations and
    /// assignment on the cluster.
    Discover {
        /// The mapping.
        config: &'a Path,
        /// Output folder.
        out: &'a Path,
        /// A forced number of segments.
        k: Option<usize>,
        /// k-means candidates only (the cluster refines k-means models only).
        kmeans: bool,
    },
    /// The feature table of the mapping's customers, then their assignment to the model.
    Assign {
        /// model.json of a discover run.
        model: &'a Path,
        /// The mapping of the customers to assign.
        config: &'a Path,
        /// Output folder.
        out: &'a Path,
    },
}

impl Cluster {
    /// The cluster a command runs on: `None` for the local engine. `ballista` is
    /// `--engine ballista`; a scheduler without it, or it without a scheduler, is an error that
    /// says what to add or drop.
    pub fn choose(
        ballista: bool,
        scheduler: Option<&str>,
        partitions: Option<usize>,
    ) -> Result<Option<Cluster>> {
        match (ballista, scheduler) {
            (true, Some(s)) => Ok(Some(Cluster {
                scheduler: s.to_string(),
                partitions,
            })),
            (true, None) => Err(Error::Data(
                "--engine ballista needs --scheduler df://HOST:PORT".into(),
            )),
            (false, Some(_)) => Err(Error::Data(
                "--scheduler is for --engine ballista; add it, or drop --scheduler".into(),
            )),
            (false, None) => Ok(None),
        }
    }
}

impl<'a> Job<'a> {
    /// A discovery on the cluster, refused for what only the local engine does: the cluster
    /// refines k-means segmentations, so DBSCAN (`algorithm`) and a thread count (`threads`)
    /// are errors; `--k` forces one k.
    pub fn discover(
        config: &'a Path,
        out: &'a Path,
        k: Option<usize>,
        algorithm: Option<Algorithm>,
        threads: Option<usize>,
    ) -> Result<Job<'a>> {
        if algorithm == Some(Algorithm::Dbscan) || threads.is_some() {
            return Err(Error::Data(
                "--algorithm dbscan and --threads are for the local engine; the cluster refines k-means segmentations (--k forces one)".into(),
            ));
        }
        Ok(Job::Discover {
            config,
            out,
            k,
            kmeans: algorithm == Some(Algorithm::KMeans),
        })
    }
}

/// Runs the job on the cluster with the [`program`] found for it.
pub fn submit(job: &Job, cluster: &Cluster) -> Result<()> {
    run(&program(), job, cluster)
}

/// The program's argument lists, one per step, in order.
pub fn steps(job: &Job, cluster: &Cluster) -> Vec<Vec<OsString>> {
    let engine = |mut a: Vec<OsString>| {
        a.push("--scheduler".into());
        a.push(cluster.scheduler.clone().into());
        if let Some(p) = cluster.partitions {
            a.push("--partitions".into());
            a.push(p.to_string().into());
        }
        a
    };
    let features = |config: &Path, out: &Path| {
        engine(vec![
            "features".into(),
            "--config".into(),
            config.into(),
            "--out".into(),
            out.into(),
        ])
    };
    match job {
        Job::Features { config, out } => vec![features(config, out)],
        Job::Discover {
            config,
            out,
            k,
            kmeans,
        } => {
            let mut d: Vec<OsString> = vec![
                "discover".into(),
                "--config".into(),
                (*config).into(),
                "--features".into(),
                out.join("features").into(),
                "--out".into(),
                (*out).into(),
            ];
            if let Some(k) = k {
                d.push("--k".into());
                d.push(k.to_string().into());
            }
            if *kmeans {
                d.push("--kmeans".into());
            }
            vec![features(config, out), engine(d)]
        }
        Job::Assign { model, config, out } => vec![
            features(config, out),
            engine(vec![
                "assign".into(),
                "--model".into(),
                (*model).into(),
                "--features".into(),
                out.join("features").into(),
                "--out".into(),
                (*out).into(),
            ]),
        ],
    }
}

/// The `segmint-ballista` program: `SEGMINT_BALLISTA`, else next to this executable, else the
/// name (looked up on `PATH` when run).
pub fn program() -> PathBuf {
    if let Some(p) = std::env::var_os("SEGMINT_BALLISTA") {
        return PathBuf::from(p);
    }
    let exe = format!("{PROGRAM}{}", std::env::consts::EXE_SUFFIX);
    std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(|d| d.join(&exe)))
        .filter(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from(exe))
}

/// Runs the job's steps with `program`, stopping at the first that fails.
pub fn run(program: &Path, job: &Job, cluster: &Cluster) -> Result<()> {
    if !cluster.scheduler.starts_with("df://") {
        return Err(Error::Engine(format!(
            "the scheduler `{}` is not a df://HOST:PORT address (e.g. --scheduler df://10.0.0.5:50050)",
            cluster.scheduler
        )));
    }
    for args in steps(job, cluster) {
        let status = Command::new(program).args(&args).status().map_err(|e| {
            Error::Engine(format!(
                "cannot start {} ({e}); build it with `cargo build --release -p segmint-ballista` next to segmint, or set SEGMINT_BALLISTA to its path",
                program.display()
            ))
        })?;
        if !status.success() {
            let step = args[0].to_string_lossy().into_owned();
            return Err(Error::Engine(format!(
                "{} {step} failed ({status}); its message is above",
                program.display()
            )));
        }
    }
    Ok(())
}

/// The folder of a run folder `O` that `segmint run --engine ballista` has the cluster write
/// to (`O/cluster/`: canonical tables, features, assignments, model.json, discover.json).
pub const CLUSTER_DIR: &str = "cluster";

/// What [`collect`] wrote.
#[derive(Debug, Clone)]
pub struct Collected {
    /// What the cluster's discovery did.
    pub discovery: ClusterDiscovery,
    /// The run id of the run folder.
    pub run_id: RunId,
    /// Files written.
    pub files: usize,
}

/// Reads what a discovery on the cluster wrote to `cluster_dir` (the feature table, the
/// assignment of every customer, the refined model, the sample sweep's candidates) and
/// writes it to `dir` as a discovered run folder (manifest, features, matrix, assignments,
/// candidates, model), which `segmint profile` and `segmint report` read as they read a local
/// one. The matrix is the model's transforms on every customer; the assignments are the
/// cluster's, which must hold every customer of the feature table once.
pub fn collect(config: &Config, cluster_dir: &Path, dir: &mut OutDir) -> Result<Collected> {
    let discovery = cluster::read_discovery(cluster_dir)?;
    let (catalog, features) = cluster::read_features(&cluster_dir.join("features"))?;
    let model = files::model_file::read(&cluster_dir.join(names::MODEL))?.body;
    let candidates = files::candidates::read(cluster_dir)?.body;
    let assignment = cluster::read_assignments(&cluster_dir.join("assignments"))?;
    let ids: Vec<String> = crate::frame::column_str(&features.table, "customer_id")?
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect();
    if assignment.ids != ids {
        return Err(Error::Data(format!(
            "{}: the cluster's assignments hold {} customers, its feature table {}, not the same ones; run the job again",
            cluster_dir.display(),
            assignment.ids.len(),
            ids.len()
        )));
    }
    let prepared = Prepared {
        matrix: model.prepare.transform(&features.table)?,
        ids,
        model: model.prepare.clone(),
    };
    let mut ingest = catalog.ingest.clone().unwrap_or_default();
    for n in &discovery.notes {
        ingest.note(n.clone());
    }
    ingest.note(crate::model::RunNote::ClusterDiscovery {
        sample: discovery.sample,
        customers: discovery.customers,
        seed: discovery.sample_seed,
        steps: discovery.iterations,
        settled: discovery.converged,
    });
    // The reference date came from the mapping, or else from the data (config checks its form).
    let manifest = super::MappingRecord::of(config, &features).manifest(
        &features,
        &model.prepare,
        ingest,
        config.mapping.as_of.is_some(),
    );
    let mut tables = files::features::outputs(&features, &prepared)?;
    tables.extend(files::assignments::outputs(
        Stage::Discover,
        &assignment,
        config.mapping.output.csv_copies,
    )?);
    let out = super::outputs::run_outputs(tables, &manifest, &candidates, &model)?;
    dir.write(&out.run_id, &out.files)?;
    Ok(Collected {
        discovery,
        run_id: out.run_id,
        files: out.files.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[OsString]) -> Vec<String> {
        v.iter().map(|s| s.to_string_lossy().into_owned()).collect()
    }

    #[test]
    fn a_discover_job_is_the_features_then_discover_on_them() {
        let cluster = Cluster {
            scheduler: "df://10.0.0.5:50050".into(),
            partitions: Some(8),
        };
        let job = Job::Discover {
            config: Path::new("m.toml"),
            out: Path::new("o"),
            k: Some(5),
            kmeans: false,
        };
        let s = steps(&job, &cluster);
        assert_eq!(
            strings(&s[0]),
            "features --config m.toml --out o --scheduler df://10.0.0.5:50050 --partitions 8"
                .split(' ')
                .collect::<Vec<_>>()
        );
        assert_eq!(
            strings(&s[1]),
            "discover --config m.toml --features o/features --out o --k 5 --scheduler df://10.0.0.5:50050 --partitions 8"
                .split(' ')
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_engine_needs_a_scheduler_and_the_cluster_only_refines_kmeans() {
        assert_eq!(Cluster::choose(false, None, Some(4)).unwrap(), None);
        assert_eq!(
            Cluster::choose(true, Some("df://h:50050"), Some(4)).unwrap(),
            Some(Cluster {
                scheduler: "df://h:50050".into(),
                partitions: Some(4),
            })
        );
        let e = Cluster::choose(true, None, None).unwrap_err().to_string();
        assert!(e.contains("needs --scheduler"), "{e}");
        let e = Cluster::choose(false, Some("df://h:1"), None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("drop --scheduler"), "{e}");
        let (m, o) = (Path::new("m.toml"), Path::new("out"));
        for (algorithm, threads) in [(Some(Algorithm::Dbscan), None), (None, Some(2))] {
            let e = Job::discover(m, o, None, algorithm, threads).unwrap_err();
            assert!(e.to_string().contains("local engine"), "{e}");
        }
        assert_eq!(
            Job::discover(m, o, Some(5), Some(Algorithm::KMeans), None).unwrap(),
            Job::Discover {
                config: m,
                out: o,
                k: Some(5),
                kmeans: true,
            }
        );
    }

    #[test]
    fn a_missing_program_or_a_bad_address_says_what_to_do() {
        let job = Job::Features {
            config: Path::new("m.toml"),
            out: Path::new("o"),
        };
        let bad = Cluster {
            scheduler: "10.0.0.5:50050".into(),
            partitions: None,
        };
        let e = run(Path::new("/nonexistent/segmint-ballista"), &job, &bad).unwrap_err();
        assert!(e.to_string().contains("df://HOST:PORT"), "{e}");
        let ok = Cluster {
            scheduler: "df://127.0.0.1:1".into(),
            partitions: None,
        };
        let e = run(Path::new("/nonexistent/segmint-ballista"), &job, &ok).unwrap_err();
        assert!(e.to_string().contains("SEGMINT_BALLISTA"), "{e}");
    }

    #[test]
    fn a_failing_step_stops_the_job() {
        // `false` exits 1 whatever its arguments: the first step fails, the second never runs.
        let job = Job::Assign {
            model: Path::new("model.json"),
            config: Path::new("m.toml"),
            out: Path::new("o"),
        };
        let cluster = Cluster {
            scheduler: "df://127.0.0.1:1".into(),
            partitions: None,
        };
        let e = run(Path::new("false"), &job, &cluster).unwrap_err();
        assert!(e.to_string().contains("false features failed"), "{e}");
    }
}
