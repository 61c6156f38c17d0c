//! `kubectl diff -f FILE` (`pkg/cmd/diff`): each object of the file as it is live and as it would be after `kubectl
//! apply` (the API server's answer to a server-side dry run, without the last-applied annotation), both printed as
//! YAML into two folders, compared by `diff -u -N` (kubectl's default `KUBECTL_EXTERNAL_DIFF`). Exit code 0: no
//! differences, 1: differences, 2: an error.
//!
//! The folders' names and the files' times are the virtual clock's (a real run shows random names and the wall
//! clock).

use super::flags::{val, Parsed, Spec};
use super::{errors, get, namespace, Context, Output};
use crate::manifest::merge::LAST_APPLIED;
use crate::sim::Sim;
use serde_json::Value;

pub const FLAGS: &[Spec] = &[val("filename", Some('f')), super::flags::flag("server-side", None)];

fn fail(message: impl Into<String>) -> Output {
    let mut o = Output::err(message);
    o.code = 2;
    o
}

/// `kubectl diff -f FILENAME`.
pub fn run(sim: &Sim, f: &Parsed, ctx: &Context<'_>) -> Output {
    let files = f.all("filename");
    if files.is_empty() {
        return fail("error: must specify one of -f and -k");
    }
    if f.bool("server-side") {
        return fail("error: kubeplay simulates client-side apply; kubectl diff --server-side is not simulated");
    }
    let ns = namespace(f);
    let mut ahead = sim.clone();
    // (file name, live YAML, merged YAML), as the two folders hold them.
    let mut pairs: Vec<(String, String, String)> = Vec::new();
    for file in files {
        let (text, source) = match super::read_file(file, ctx) {
            Ok(t) => t,
            Err(e) => return fail(e),
        };
        let live: Vec<Option<Value>> = crate::manifest::read(&text, &source)
            .docs
            .iter()
            .map(|d| {
                d.object.as_ref().map(|o| {
                    get::object_json(ahead.cluster().store(), o.kind(), &super::api_namespace(o, &ns), o.name())
                })
            })
            .collect();
        let report = ahead.send_manifest_in(&text, &source, false, &ns, f.has("namespace"), None);
        for (i, r) in report.results.iter().enumerate() {
            let before = live.get(i).cloned().flatten().unwrap_or(Value::Null);
            let (obj, stored) = match (&r.object, &r.result, &r.stored) {
                (Some(obj), Ok(_), Some(stored)) => (obj, stored.clone()),
                (_, Err(why), _) => {
                    use crate::apply::DocFailure;
                    let line = match why {
                        DocFailure::Api { error, existed } => errors::check(&errors::with_source(
                            error,
                            if *existed { "patching" } else { "creating" },
                            &source,
                        )),
                        other => errors::doc_failure(other, &source, false),
                    };
                    return fail(line);
                }
                _ => continue,
            };
            let mut merged = stored;
            // `diff` patches without the last-applied annotation: the live one (or none) stays.
            let annotations = &mut merged["metadata"]["annotations"];
            match before["metadata"]["annotations"][LAST_APPLIED].as_str() {
                Some(a) => annotations[LAST_APPLIED] = Value::String(a.to_string()),
                None => {
                    if let Some(m) = annotations.as_object_mut() {
                        m.remove(LAST_APPLIED);
                        if m.is_empty() {
                            merged["metadata"].as_object_mut().map(|m| m.remove("annotations"));
                        }
                    }
                }
            }
            // A dry run stores nothing: an update keeps the live resourceVersion, a create has none.
            if before.is_null() {
                super::create::dry_run_created(&mut merged);
            } else {
                merged["metadata"]["resourceVersion"] = before["metadata"]["resourceVersion"].clone();
            }
            let kind = obj.kind;
            let version = kind.api_version().rsplit('/').next().unwrap_or_default();
            let group = if kind.group().is_empty() { String::new() } else { format!("{}.", kind.group()) };
            let name = format!("{group}{version}.{}.{}.{}", kind.name(), obj.namespace, obj.name);
            let yaml = |v: &Value| if v.is_null() { String::new() } else { crate::manifest::print::to_yaml(v) };
            pairs.push((name, yaml(&before), yaml(&merged)));
        }
    }
    crate::util::sort_by(&mut pairs, |a, b| a.0.cmp(&b.0));
    let now = sim.now();
    // Two folder names as `os.MkdirTemp` makes them, from the virtual clock (so a run is the same every time).
    let live_dir = format!("/tmp/LIVE-{}", 1_000_000_000 + (now.wrapping_mul(2_654_435_761) % 3_000_000_000));
    let merged_dir = format!("/tmp/MERGED-{}", 1_000_000_000 + (now.wrapping_mul(40_503) % 3_000_000_000));
    let stamp = {
        let t = crate::api::time::time_at(now).0.to_string();
        let (date, time) = t.trim_end_matches('Z').split_once('T').unwrap_or(("", ""));
        format!("{date} {time}.{:09} +0000", (now % 1000) * 1_000_000)
    };
    let mut out = Output::default();
    for (name, before, after) in &pairs {
        if before == after {
            continue;
        }
        let (a, b) = (format!("{live_dir}/{name}"), format!("{merged_dir}/{name}"));
        out.stdout.push_str(&format!("diff -u -N {a} {b}\n--- {a}\t{stamp}\n+++ {b}\t{stamp}\n"));
        out.stdout.push_str(&unified(before, after, 3));
        out.code = 1;
    }
    out
}

/// One line of an edit script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edit {
    Same(usize, usize),
    Del(usize),
    Add(usize),
}

/// The shortest edit script from `a` to `b` (a longest common subsequence; deletions before insertions in each
/// change, as GNU diff prints them). Beyond a size bound, everything is replaced.
fn edits(a: &[&str], b: &[&str]) -> Vec<Edit> {
    let (n, m) = (a.len(), b.len());
    if n.saturating_mul(m) > 4_000_000 {
        return (0..n).map(Edit::Del).chain((0..m).map(Edit::Add)).collect();
    }
    // lcs[i][j]: the LCS of a[i..] and b[j..].
    let w = m + 1;
    let mut lcs = vec![0u32; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * w + j] =
                if a[i] == b[j] { lcs[(i + 1) * w + j + 1] + 1 } else { lcs[(i + 1) * w + j].max(lcs[i * w + j + 1]) };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(n + m);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push(Edit::Same(i, j));
            i += 1;
            j += 1;
        } else if j >= m || (i < n && lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
            out.push(Edit::Del(i));
            i += 1;
        } else {
            out.push(Edit::Add(j));
            j += 1;
        }
    }
    out
}

/// GNU `diff -u`'s hunks of two texts (without the file header), `context` lines around each change.
pub fn unified(a: &str, b: &str, context: usize) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let script = edits(&a, &b);
    let changes: Vec<usize> = (0..script.len()).filter(|&k| !matches!(script[k], Edit::Same(..))).collect();
    let mut out = String::new();
    let mut k = 0;
    while k < changes.len() {
        // A hunk: changes closer than 2 × context lines join.
        let start = changes[k].saturating_sub(context);
        let mut last = changes[k];
        while k + 1 < changes.len() && changes[k + 1] - last <= 2 * context {
            k += 1;
            last = changes[k];
        }
        let end = (last + context + 1).min(script.len());
        let hunk = &script[start..end];
        // Where the hunk starts in each file (the line before it when it has none of that file's lines).
        let (mut a_start, mut b_start) = (None, None);
        let (mut a_len, mut b_len) = (0, 0);
        for e in hunk {
            match *e {
                Edit::Same(i, j) => {
                    a_start.get_or_insert(i);
                    b_start.get_or_insert(j);
                    a_len += 1;
                    b_len += 1;
                }
                Edit::Del(i) => {
                    a_start.get_or_insert(i);
                    a_len += 1;
                }
                Edit::Add(j) => {
                    b_start.get_or_insert(j);
                    b_len += 1;
                }
            }
        }
        // Lines before the hunk in each file: the count of the other kind's script entries before `start`.
        let before = &script[..start];
        let a_before = before.iter().filter(|e| !matches!(e, Edit::Add(_))).count();
        let b_before = before.iter().filter(|e| !matches!(e, Edit::Del(_))).count();
        let range = |first: Option<usize>, len: usize, before: usize| match (len, first) {
            (0, _) => format!("{before},0"),
            (1, Some(f)) => format!("{}", f + 1),
            (_, Some(f)) => format!("{},{len}", f + 1),
            (_, None) => format!("{before},0"),
        };
        out.push_str(&format!("@@ -{} +{} @@\n", range(a_start, a_len, a_before), range(b_start, b_len, b_before)));
        for e in hunk {
            match *e {
                Edit::Same(i, _) => out.push_str(&format!(" {}\n", a[i])),
                Edit::Del(i) => out.push_str(&format!("-{}\n", a[i])),
                Edit::Add(j) => out.push_str(&format!("+{}\n", b[j])),
            }
        }
        k += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_are_gnu_diff_u_hunks() {
        let a = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\n";
        let b = "a\nb\nc\nd\nE\nf\ng\nh\ni\nj\nk\nl\nM\nn\n";
        // Two changes 8 lines apart: two hunks.
        assert_eq!(
            unified(a, b, 3),
            "@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n@@ -10,5 +10,5 @@\n j\n k\n l\n-m\n+M\n n\n"
        );
        // A new file; an emptied one; no change.
        assert_eq!(unified("", "x\ny\n", 3), "@@ -0,0 +1,2 @@\n+x\n+y\n");
        assert_eq!(unified("x\n", "", 3), "@@ -1 +0,0 @@\n-x\n");
        assert_eq!(unified("x\n", "x\n", 3), "");
    }
}
