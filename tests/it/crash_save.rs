//! Crash-safe saving: a child process saves a large map through the app's save path
//! (`io::save_atomic`, what File → Save calls) and is killed (SIGKILL) at random moments.
//! The file must always load and be the old or the new version, and the temporary files of
//! killed saves must be swept by the next save.
//!
//! CI runs 40 kills; `JM_KILL_RUNS=1000 cargo test --release --test it crash_save:: -- --nocapture`
//! runs the thousand of the report and prints what it saw.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail loudly; allow-unwrap-in-tests covers only #[test] bodies"
)]

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Set in the child: the map to load and the file to save it to.
const CHILD: &str = "JM_CRASH_SAVE_CHILD";

/// The child's side: load the new version, say so, save it over the target.
#[test]
fn child_saves_when_asked() {
    let Ok(spec) = std::env::var(CHILD) else {
        return;
    };
    let (source, target) = spec.split_once('\n').unwrap();
    let (doc, _) = journeymap::io::load(Path::new(source)).unwrap();
    println!("\nJM-READY");
    journeymap::io::save_atomic(Path::new(target), &doc).unwrap();
    println!("saved");
}

fn temps(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.starts_with('.')
                && Path::new(n)
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("tmp"))
        })
        .collect()
}

#[test]
fn killing_a_save_never_corrupts_the_map_or_leaves_temporaries() {
    if std::env::var(CHILD).is_ok() {
        return;
    }
    let runs: usize = std::env::var("JM_KILL_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40);
    let dir = std::env::temp_dir().join(format!("jm-crash-save-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // Two large versions (about 650 KB each), told apart by their titles.
    let mut old = journeymap::model::synthetic_map(40, 3_000, 1);
    old.title = "old version".into();
    let mut new = journeymap::model::synthetic_map(40, 3_000, 2);
    new.title = "new version".into();
    let target = dir.join("map.journeymap.json");
    let sources: Vec<PathBuf> = [&old, &new]
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let p = dir.join(format!("source-{i}.json"));
            journeymap::io::save_atomic(&p, d).unwrap();
            p
        })
        .collect();
    journeymap::io::save_atomic(&target, &old).unwrap();
    let size = std::fs::metadata(&target).unwrap().len();

    // How long a save takes in a child, to kill within it.
    let spawn = |source: &Path| {
        Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "crash_save::child_saves_when_asked",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, format!("{}\n{}", source.display(), target.display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let wait_ready = |child: &mut std::process::Child| {
        let out = child.stdout.take().unwrap();
        let mut lines = BufReader::new(out).lines();
        loop {
            match lines.next() {
                Some(Ok(l)) if l.trim() == "JM-READY" => break,
                Some(Ok(_)) => {}
                _ => panic!("the child ended before it was ready"),
            }
        }
        lines
    };
    let mut child = spawn(&sources[1]);
    let mut lines = wait_ready(&mut child);
    let t = Instant::now();
    assert!(child.wait().unwrap().success());
    let save_time = t.elapsed();
    assert!(lines.any(|l| l.is_ok_and(|l| l.contains("saved"))));
    assert_eq!(
        journeymap::io::load(&target).unwrap().0.title,
        "new version"
    );

    let mut rng: u64 = 0x2545_F491_4F6C_DD1D;
    let (mut olds, mut news, mut most_temps) = (0, 0, 0);
    // What the file holds before each kill: what was read after the last one.
    let mut before = new.title.clone();
    for run in 0..runs {
        // Alternate which version is being written, so "old or new" means something each time.
        let to = usize::from(run % 2 == 0);
        let mut child = spawn(&sources[to]);
        let _lines = wait_ready(&mut child);
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        // A moment from the start of the save to a bit after its usual end.
        let at = save_time.mul_f64((rng % 1000) as f64 / 1000.0 * 1.3);
        std::thread::sleep(at);
        let _ = child.kill();
        let _ = child.wait();
        let (doc, _) = journeymap::io::load(&target)
            .unwrap_or_else(|e| panic!("run {run}: the map does not load after a kill: {e}"));
        let titles = [&old.title, &new.title];
        assert!(
            doc.title == before || doc.title == *titles[to],
            "run {run}: {} is neither the old nor the new version",
            doc.title
        );
        assert_eq!(
            doc.cards.len(),
            [&old, &new][usize::from(doc.title == new.title)]
                .cards
                .len()
        );
        if doc.title == before {
            olds += 1;
        } else {
            news += 1;
        }
        before = doc.title;
        // A killed save can leave its temporary; the next save sweeps it (at most one waits).
        let left = temps(&dir).len();
        most_temps = most_temps.max(left);
        assert!(left <= 1, "run {run}: {:?}", temps(&dir));
    }
    // A last, complete save sweeps what the last kill left.
    journeymap::io::save_atomic(&target, &old).unwrap();
    assert!(temps(&dir).is_empty(), "{:?}", temps(&dir));
    println!(
        "{runs} kills of a {size}-byte save (a save takes {:.0} ms): the map loaded every time, {olds} times the old version, {news} times the new; at most {most_temps} temporary file waited for the next save, none after it",
        save_time.as_secs_f64() * 1000.0
    );
    let _ = std::fs::remove_dir_all(&dir);
}
