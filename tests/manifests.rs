//! Manifests as a learner pastes them: a corpus of bad manifests with the API server's (and kubectl's) answers as
//! snapshots, the book's and the Kubernetes documentation's manifests applying cleanly, and the round trip through
//! `kubectl get -o yaml`.
//!
//! Snapshots live in `tests/manifests/snapshots`; after an intended change, review them with `cargo insta review`
//! (or run once with `INSTA_UPDATE=always` and read the diff).
// Native only: it reads the corpus from disk, and proptest is a native dev-dependency.
#![cfg(not(target_arch = "wasm32"))]

use kubeplay::api::{Deployment, Service};
use kubeplay::apply::{printed, Outcome, Report};
use kubeplay::cluster::store::{Kind, ObjRef, Resource};
use kubeplay::cluster::Settings;
use kubeplay::manifest::{self, Severity};
use kubeplay::sim::Sim;
use std::path::{Path, PathBuf};

/// What kubectl prints for a report (its words live in `kubectl`, not in `apply`).
trait Printed {
    fn stdout(&self) -> String;
    fn stderr(&self) -> String;
}

impl Printed for kubeplay::apply::Report {
    fn stdout(&self) -> String {
        kubeplay::kubectl::report_output(self).stdout
    }
    /// Standard error: the warnings kubectl writes before its output, then the errors.
    fn stderr(&self) -> String {
        let out = kubeplay::kubectl::report_output(self);
        out.warnings + &out.stderr
    }
}

fn files(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/manifests").join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "json")))
        .collect();
    files.sort();
    files
}

/// A manifest of `tests/manifests/good/`.
fn good(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/manifests/good").join(name)).unwrap()
}

fn name_of(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

/// Lines, with a run of identical lines shown once and counted.
fn collapse(lines: &[String]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        let mut j = i + 1;
        while j < lines.len() && lines[j] == lines[i] {
            j += 1;
        }
        out.push_str("  ");
        out.push_str(&lines[i].replace('\n', "\n  "));
        if j - i > 1 {
            out.push_str(&format!("   [{} times]", j - i));
        }
        out.push('\n');
        i = j;
    }
    out
}

fn render(report: &Report) -> String {
    let diags: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| {
            let sev = if d.severity == Severity::Error { "error" } else { "warning" };
            let hint = d.suggestion.as_ref().map(|s| format!(" — {s}")).unwrap_or_default();
            format!(
                "{}:{}-{}:{} {sev}: {}{hint}",
                d.span.start.line, d.span.start.col, d.span.end.line, d.span.end.col, d.message
            )
        })
        .collect();
    let stdout: Vec<String> = report.stdout().lines().map(str::to_string).collect();
    let stderr: Vec<String> = report.stderr().lines().map(str::to_string).collect();
    format!("diagnostics:\n{}stdout:\n{}stderr:\n{}", collapse(&diags), collapse(&stdout), collapse(&stderr))
}

#[test]
fn every_bad_manifest_gets_the_api_servers_answer_at_its_line() {
    let bad = files("bad");
    assert!(bad.len() >= 60, "the corpus must hold at least 60 bad manifests, it holds {}", bad.len());
    for path in &bad {
        let name = name_of(path);
        let text = std::fs::read_to_string(path).unwrap();
        let mut sim = Sim::new(Settings::default());
        let report = sim.apply_manifest(&text, &name);
        assert!(
            report.diagnostics.iter().any(|d| d.severity == Severity::Error),
            "{name}: no error was reported\n{}",
            render(&report)
        );
        assert!(!report.ok(), "{name}: every document applied\n{}", render(&report));
        // The editor's check, without a cluster, finds the same problems except those only a cluster can find.
        let checked = manifest::check(&text);
        for d in &checked {
            assert!(report.diagnostics.contains(d), "{name}: check() found {d} that apply did not");
        }
        insta::with_settings!({
            snapshot_path => "manifests/snapshots",
            prepend_module_to_snapshot => false,
            description => text.chars().take(2_000).collect::<String>(),
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name.trim_end_matches(".yaml").trim_end_matches(".json"), render(&report));
        });
    }
}

/// Prints `r` as `kubectl get -o yaml` does.
fn print_ref(sim: &Sim, r: &ObjRef) -> String {
    fn p<T: Resource>(sim: &Sim, r: &ObjRef) -> String {
        printed(sim.cluster().get::<T>(r).unwrap_or_else(|| panic!("{r} is not stored")), false)
    }
    kubeplay::with_kind!(r.kind, T => p::<T>(sim, r))
}

#[test]
fn the_books_and_the_documentations_manifests_apply_cleanly_and_round_trip() {
    let good = files("good");
    assert!(good.len() >= 10);
    for path in &good {
        let name = name_of(path);
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(manifest::check(&text), [], "{name}");
        let mut sim = Sim::new(Settings::default());
        let report = sim.apply_manifest(&text, &name);
        assert!(report.diagnostics.is_empty() && report.stderr().is_empty(), "{name}\n{}", render(&report));
        assert!(report.results.iter().all(|r| r.outcome() == Some(Outcome::Created)), "{name}\n{}", render(&report));
        sim.run_until_idle(120_000);

        // The same file again: nothing to do.
        let again = sim.apply_manifest(&text, &name);
        assert!(again.results.iter().all(|r| r.outcome() == Some(Outcome::Unchanged)), "{name}\n{}", render(&again));

        // `kubectl get -o yaml` → apply: the printed object reads back without a single problem, and applying it
        // changes nothing but the last-applied annotation (kubectl rewrites it to the new file, so the first time
        // is `configured`, as on a real cluster); the next print → apply is `unchanged`.
        for r in report.results.iter().filter_map(|r| r.object.clone()) {
            let yaml = print_ref(&sim, &r);
            assert_eq!(manifest::check(&yaml), [], "{name}: {r} printed as\n{yaml}");
            let generation = generation_of(&sim, &r);
            let first = sim.apply_manifest(&yaml, "printed.yaml");
            assert!(first.ok() && first.stderr().is_empty(), "{name}: {r}\n{}\n{yaml}", render(&first));
            assert_eq!(generation_of(&sim, &r), generation, "{name}: {r}: the spec changed on the round trip");
            let yaml = print_ref(&sim, &r);
            let second = sim.apply_manifest(&yaml, "printed.yaml");
            assert_eq!(
                second.results.iter().map(|x| x.outcome()).collect::<Vec<_>>(),
                [Some(Outcome::Unchanged)],
                "{name}: {r}\n{}\n{yaml}",
                render(&second)
            );
            // JSON prints read back too.
            let json = printed_json(&sim, &r);
            assert_eq!(manifest::check(&json), [], "{name}: {r} printed as\n{json}");
        }
    }
}

fn generation_of(sim: &Sim, r: &ObjRef) -> Option<i64> {
    match r.kind {
        Kind::Deployment => sim.cluster().get::<Deployment>(r).and_then(|d| d.metadata.generation),
        _ => None,
    }
}

fn printed_json(sim: &Sim, r: &ObjRef) -> String {
    match r.kind {
        Kind::Deployment => printed(sim.cluster().get::<Deployment>(r).unwrap(), true),
        Kind::Service => printed(sim.cluster().get::<Service>(r).unwrap(), true),
        _ => "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"x\"}}".into(),
    }
}

#[test]
fn the_book_deployment_prints_as_kubectl_get_o_yaml() {
    let text = good("book-my-nginx-deployment.yaml");
    let mut sim = Sim::new(Settings::default());
    sim.apply_manifest(&text, "deployment.yaml");
    sim.run_until_idle(120_000);
    let d = sim.cluster().get::<Deployment>(&ObjRef::new(Kind::Deployment, "default", "my-nginx-deployment")).unwrap();
    insta::with_settings!({snapshot_path => "manifests/snapshots", prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!("printed-my-nginx-deployment-yaml", printed(d, false));
        insta::assert_snapshot!("printed-my-nginx-deployment-json", printed(d, true));
    });
}

#[test]
fn apply_configures_merges_and_removes_as_client_side_apply_does() {
    let base = good("docs-nginx-deployment.yaml");
    let mut sim = Sim::new(Settings::default());
    assert_eq!(sim.apply_manifest(&base, "d.yaml").stdout(), "deployment.apps/nginx-deployment created\n");
    sim.run_until_idle(120_000);
    let r = ObjRef::new(Kind::Deployment, "default", "nginx-deployment");
    let gen = |sim: &Sim| sim.cluster().get::<Deployment>(&r).unwrap().metadata.generation.unwrap();
    assert_eq!(gen(&sim), 1);

    // `kubectl scale` then re-applying a file without `replicas`… the file has replicas: 3, so it wins back.
    sim.scale("default", "nginx-deployment", 5).unwrap();
    assert_eq!(sim.apply_manifest(&base, "d.yaml").stdout(), "deployment.apps/nginx-deployment configured\n");
    assert_eq!(sim.cluster().get::<Deployment>(&r).unwrap().spec.as_ref().unwrap().replicas, Some(3));

    // A label removed from the file is removed from the object; a metadata-only change does not bump generation.
    let g = gen(&sim);
    let without_label = base.replacen("  labels:\n    app: nginx\nspec:", "spec:", 1);
    assert_eq!(sim.apply_manifest(&without_label, "d.yaml").stdout(), "deployment.apps/nginx-deployment configured\n");
    let d = sim.cluster().get::<Deployment>(&r).unwrap();
    assert!(d.metadata.labels.as_ref().is_none_or(|l| !l.contains_key("app")), "{:?}", d.metadata.labels);
    assert_eq!(gen(&sim), g);
    // A template change is a spec change.
    let new_image = without_label.replace("nginx:1.14.2", "nginx:1.16.1");
    assert_eq!(sim.apply_manifest(&new_image, "d.yaml").stdout(), "deployment.apps/nginx-deployment configured\n");
    assert_eq!(gen(&sim), g + 1);
    assert_eq!(sim.apply_manifest(&new_image, "d.yaml").stdout(), "deployment.apps/nginx-deployment unchanged\n");

    // Switching to Recreate clears the defaulted rollingUpdate block (retainKeys), so the switch is valid.
    let recreate =
        new_image.replacen("spec:\n  replicas: 3\n", "spec:\n  replicas: 3\n  strategy:\n    type: Recreate\n", 1);
    let out = sim.apply_manifest(&recreate, "d.yaml");
    assert_eq!(out.stdout(), "deployment.apps/nginx-deployment configured\n", "{}", render(&out));

    // The last-applied annotation holds the file, as kubectl writes it.
    let d = sim.cluster().get::<Deployment>(&r).unwrap();
    let last = d.metadata.annotations.as_ref().unwrap()["kubectl.kubernetes.io/last-applied-configuration"].clone();
    assert!(last.ends_with("}\n"));
    assert!(last.starts_with("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"annotations\":{},\"name\":\"nginx-deployment\",\"namespace\":\"default\"},\"spec\":{"), "{last}");
}

#[test]
fn create_refuses_existing_objects_and_apply_warns_about_the_missing_annotation() {
    let text = good("docs-nginx-deployment.yaml");
    let mut sim = Sim::new(Settings::default());
    let first = sim.create_manifest(&text, "d.yaml");
    assert_eq!(first.stdout(), "deployment.apps/nginx-deployment created\n");
    let second = sim.create_manifest(&text, "d.yaml");
    assert_eq!(second.stdout(), "");
    assert_eq!(
        second.stderr(),
        "Error from server (AlreadyExists): error when creating \"d.yaml\": deployments.apps \"nginx-deployment\" already exists\n"
    );
    let applied = sim.apply_manifest(&text, "d.yaml");
    assert_eq!(applied.stdout(), "deployment.apps/nginx-deployment configured\n");
    assert!(applied.stderr().starts_with("Warning: resource deployments/nginx-deployment is missing the kubectl.kubernetes.io/last-applied-configuration annotation"), "{}", applied.stderr());
}

#[test]
fn a_stale_printed_object_is_a_conflict() {
    let text = good("docs-nginx-deployment.yaml");
    let mut sim = Sim::new(Settings::default());
    sim.apply_manifest(&text, "d.yaml");
    sim.run_until_idle(120_000);
    let r = ObjRef::new(Kind::Deployment, "default", "nginx-deployment");
    let old = print_ref(&sim, &r);
    sim.scale("default", "nginx-deployment", 4).unwrap();
    let out = sim.apply_manifest(&old, "old.yaml");
    assert_eq!(out.stderr(), "Error from server (Conflict): error when applying \"old.yaml\": Operation cannot be fulfilled on deployments.apps \"nginx-deployment\": the object has been modified; please apply your changes to the latest version and try again\n");
}

#[test]
fn edge_scalars_become_what_kubectl_makes_of_them() {
    // `yes` in a string field is the boolean true (an error); quoted it is the string "yes". A key `on:` is "true".
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: \"yes\"\n  b: '0777'\n  c: !!str 1.10\n  on: \"x\"\n";
    let m = manifest::read(cm, "c.yaml");
    assert!(m.docs[0].error.is_none(), "{:?}", m.docs[0].diagnostics);
    let Some(manifest::Object::ConfigMap(c)) = &m.docs[0].object else { panic!() };
    let data = c.data.clone().unwrap();
    assert_eq!(data["a"], "yes");
    assert_eq!(data["b"], "0777");
    assert_eq!(data["c"], "1.10");
    assert_eq!(data["true"], "x");
    let bad = manifest::check(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: yes\n  b: 0777\n  c: 1.10\n  d: ~\n",
    );
    let messages: Vec<&str> = bad.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "json: cannot unmarshal bool into Go struct field ConfigMap.data of type string",
            "json: cannot unmarshal number into Go struct field ConfigMap.data of type string",
            "json: cannot unmarshal number into Go struct field ConfigMap.data of type string",
        ]
    );
}

#[test]
fn documents_apply_independently_in_order() {
    let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: dev\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: B\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n";
    let mut sim = Sim::new(Settings::default());
    let r = sim.apply_manifest(text, "f.yaml");
    assert_eq!(r.stdout(), "namespace/dev created\nconfigmap/a created\nconfigmap/c created\n");
    assert!(
        r.stderr().starts_with(
            "The ConfigMap \"B\" is invalid: metadata.name: Invalid value: \"B\": a lowercase RFC 1123 subdomain"
        ),
        "{}",
        r.stderr()
    );
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!(r.diagnostics[0].span.start.line, 15);
}

mod printer_properties {
    use kubeplay::manifest::{print, yaml};
    use proptest::prelude::*;
    use serde_json::Value;

    /// Strings made of the characters that make YAML quoting hard.
    fn tricky_string() -> impl Strategy<Value = String> {
        let atoms = prop::sample::select(vec![
            "a", "Z", "0", "1", "-", "_", ".", ":", ": ", " ", "#", " #", "'", "\"", "\\", "\n", "\t", "\r", "*", "&",
            "!", "|", ">", "%", "@", "`", "[", "]", "{", "}", ",", "?", "~", "yes", "no", "on", "null", "true", "0x1F",
            "1e3", ".inf", "<<", "---", "...", "é", "한", "\u{85}", "\u{feff}", "\u{2028}", "0777", "1_000",
        ]);
        prop::collection::vec(atoms, 0..6).prop_map(|parts| parts.concat())
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            (-1e12f64..1e12).prop_map(Value::from),
            tricky_string().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::btree_map(tricky_string(), inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: std::env::var("KUBEPLAY_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(2_000),
            ..ProptestConfig::default()
        })]

        /// `kubectl get -o yaml` output always reads back to the very same value.
        #[test]
        fn printed_yaml_reads_back_to_the_same_value(v in json_value()) {
            let text = print::to_yaml(&v);
            let mut diags = Vec::new();
            let docs = yaml::parse_stream(&text, &mut diags);
            prop_assert!(diags.is_empty(), "{diags:?}\n{text}");
            let back = docs.first().and_then(|d| d.root.as_ref()).map_or(Value::Null, |r| r.to_json());
            prop_assert_eq!(back, v, "{}", text);
        }

        /// The editor's colouring never panics on what a learner types (any text, mangled YAML included), gives
        /// back every line exactly, and marks only characters under a diagnostic of `check`.
        #[test]
        fn colouring_never_panics_and_gives_back_the_text(
            v in json_value(),
            cut in 0..400usize,
            noise in "[ -~\t\n#:'\"\\-]{0,40}",
        ) {
            let yaml = print::to_yaml(&v);
            let at = (0..=cut.min(yaml.len())).rev().find(|i| yaml.is_char_boundary(*i)).unwrap_or(0);
            let text = format!("{}{noise}{}", &yaml[..at], &yaml[at..]);
            let diags = kubeplay::manifest::check(&text);
            let lines = kubeplay::manifest::highlight::highlight(&text, &diags);
            let back: Vec<String> = lines.iter().map(|l| l.iter().map(|p| p.text.as_str()).collect()).collect();
            let want: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
            prop_assert_eq!(back, want);
            for piece in lines.iter().flatten() {
                if let Some(d) = piece.diagnostic {
                    prop_assert!(d < diags.len());
                }
            }
        }
    }
}

#[test]
fn the_api_servers_warnings_are_shown_and_do_not_stop_the_apply() {
    let text = good("docs-nginx-deployment.yaml").replace(
        "        ports:\n        - containerPort: 80\n",
        "        env:\n        - name: MODE\n          value: a\n        - name: MODE\n          value: b\n        ports:\n        - containerPort: 80\n        - containerPort: 80\n",
    );
    let diags: Vec<String> = manifest::check(&text).iter().map(ToString::to_string).collect();
    assert_eq!(
        diags,
        [
            "23:11: warning: spec.template.spec.containers[0].env[1]: hides previous definition of \"MODE\", which may be dropped when using apply",
            "27:11: warning: spec.template.spec.containers[0].ports[1]: duplicate port definition with spec.template.spec.containers[0].ports[0]",
        ]
    );
    let mut sim = Sim::new(Settings::default());
    let r = sim.apply_manifest(&text, "d.yaml");
    assert_eq!(r.stdout(), "deployment.apps/nginx-deployment created\n");
    assert_eq!(
        r.stderr(),
        "Warning: spec.template.spec.containers[0].env[1]: hides previous definition of \"MODE\", which may be dropped when using apply\nWarning: spec.template.spec.containers[0].ports[1]: duplicate port definition with spec.template.spec.containers[0].ports[0]\n"
    );
}
