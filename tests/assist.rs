//! The editor's knowledge of Kubernetes (`kubeplay::assist`), over the book's and the lessons' manifests: a table of
//! cursor positions → completions, hovers and quick fixes, and properties over mangled manifests (nothing panics;
//! every quick fix removes its diagnostic and adds none).

#![cfg(not(target_arch = "wasm32"))]

use kubeplay::assist::{self, edit, Hovered, ItemKind, Title};
use proptest::prelude::*;

const BOOK_DEPLOYMENT: &str = include_str!("scripts/deployment-hostname.yaml");
const SERVICES: &str = include_str!("scripts/services.yaml");
const NODEPORT: &str = include_str!("scripts/hostname-svc-nodeport.yaml");
const LANDING: &str = include_str!("../src/scenario/examples/my-nginx-deployment.yaml");

/// `base` with `typed` put right after the first `after` (on a line of its own when `after` ends a line); the
/// cursor at the end of `typed`.
fn typed_after(base: &str, after: &str, typed: &str) -> (String, usize) {
    let at = base.find(after).unwrap_or_else(|| panic!("{after:?} is not in the manifest")) + after.len();
    let mut text = base.to_string();
    if after.ends_with('\n') && at < base.len() {
        text.insert(at, '\n');
    }
    text.insert_str(at, typed);
    (text, at + typed.len())
}

fn labels(text: &str, cursor: usize) -> Vec<String> {
    let c = assist::complete(text, cursor);
    assert!(!c.loading, "natively the field lists are always here");
    c.items.iter().map(|i| i.label.clone()).collect()
}

/// A row of the completion table: (manifest, after, typed) → the labels offered first, and labels that must not be
/// offered.
type Row = (&'static str, &'static str, &'static str, &'static [&'static str], &'static [&'static str]);

#[test]
fn completions_at_cursor_positions_in_the_books_manifests() {
    #[rustfmt::skip]
    let rows: &[Row] = &[
        // A new key in a Deployment's spec: what it does not have yet, required ones first.
        (BOOK_DEPLOYMENT, "  replicas: 3\n", "  ", &["minReadySeconds", "paused", "progressDeadlineSeconds", "revisionHistoryLimit", "strategy"], &["replicas", "selector", "template", "status"]),
        (BOOK_DEPLOYMENT, "  replicas: 3\n", "  str", &["strategy"], &[]),
        // Inside the strategy: its fields, then the type's values.
        (BOOK_DEPLOYMENT, "  replicas: 3\n", "  strategy:\n    ", &["rollingUpdate", "type"], &[]),
        (BOOK_DEPLOYMENT, "  replicas: 3\n", "  strategy:\n    type: ", &["Recreate", "RollingUpdate"], &[]),
        (BOOK_DEPLOYMENT, "  replicas: 3\n", "  strategy:\n    type: Ro", &["RollingUpdate"], &["Recreate"]),
        // A container's fields, after its last line.
        (BOOK_DEPLOYMENT, "containerPort: 80\n", "        imagePull", &["imagePullPolicy"], &[]),
        (BOOK_DEPLOYMENT, "containerPort: 80\n", "        imagePullPolicy: ", &["Always", "IfNotPresent", "Never"], &[]),
        (BOOK_DEPLOYMENT, "containerPort: 80\n", "        ", &["args", "command", "env"], &["name", "image", "ports"]),
        // A port item's fields and the protocol's values.
        (BOOK_DEPLOYMENT, "containerPort: 80\n", "          proto", &["protocol"], &[]),
        (BOOK_DEPLOYMENT, "containerPort: 80\n", "          protocol: ", &["SCTP", "TCP", "UDP"], &[]),
        // A second container item: `name` first (required), no sibling excluded from the first item.
        (BOOK_DEPLOYMENT, "containerPort: 80\n", "      - ", &["name"], &[]),
        // A workload's template restarts Always only; a Pod's may say so.
        (BOOK_DEPLOYMENT, "    spec:\n", "      restartPolicy: ", &["Always"], &["Never", "OnFailure"]),
        // Root values.
        ("apiVersion: apps/v1\nkind: ", "kind: ", "Dep", &["Deployment"], &["Pod", "Service"]),
        ("apiVersion: apps/v1\nkind: ", "kind: ", "", &["Deployment", "ReplicaSet"], &["Pod"]),
        ("kind: Deployment\napiVersion: ", "apiVersion: ", "", &["apps/v1", "v1"], &[]),
        // A value typed out in full leaves nothing to complete (not `apps/v1`, which contains `v1`).
        ("kind: Deployment\napiVersion: ", "apiVersion: ", "v1", &[], &["apps/v1"]),
        // An empty file: the type fields.
        ("", "", "", &["apiVersion", "kind", "metadata"], &["spec"]),
        ("apiVersion: v1\n", "apiVersion: v1\n", "", &["kind", "metadata"], &["apiVersion"]),
        // A Service's spec, type and a port's protocol, in the book's indented-list style.
        (NODEPORT, "  type: NodePort\n", "  sessionAffinity: ", &["ClientIP", "None"], &[]),
        (NODEPORT, "spec:\n", "  externalTrafficPolicy: ", &["Cluster", "Local"], &[]),
        (NODEPORT, "      nodePort: 31514\n", "      proto", &["protocol"], &[]),
        ("apiVersion: v1\nkind: Service\nspec:\n  type: ", "type: ", "", &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"], &[]),
        // Labels: a template's labels offer the selector's, a Service's selector the template's.
        (BOOK_DEPLOYMENT, "      labels:\n", "        tier: x\n        app: ", &["webserver"], &[]),
        ("apiVersion: v1\nkind: Service\nspec:\n  selector:\n    app: \n---\nkind: Deployment\nspec:\n  template:\n    metadata:\n      labels:\n        app: hello\n", "    app: ", "", &["hello"], &[]),
        // Resource maps name their resources.
        (BOOK_DEPLOYMENT, "containerPort: 80\n", "        resources:\n          limits:\n            ", &["cpu", "memory"], &[]),
        // Booleans.
        (BOOK_DEPLOYMENT, "  replicas: 3\n", "  paused: ", &["true", "false"], &[]),
    ];
    for (base, after, typed, first, absent) in rows {
        let (text, cursor) = typed_after(base, after, typed);
        let got = labels(&text, cursor);
        assert!(got.len() >= first.len() && got[..first.len()] == first[..], "at {typed:?} after {after:?}: {got:?}");
        for a in *absent {
            assert!(!got.iter().any(|g| g == a), "at {typed:?}: {a} should not be offered: {got:?}");
        }
    }
}

#[test]
fn a_templates_labels_offer_the_selectors() {
    let base = BOOK_DEPLOYMENT.replacen("      labels:\n        app: webserver\n", "      labels:\n", 1);
    let (text, cursor) = typed_after(&base, "      labels:\n", "        ");
    let c = assist::complete(&text, cursor);
    assert_eq!(c.items.len(), 1, "{:?}", c.items);
    assert_eq!((c.items[0].insert.as_str(), c.items[0].kind), ("app: webserver", ItemKind::Label));
    // Once written, it is not offered again.
    let (text, cursor) = typed_after(BOOK_DEPLOYMENT, "      labels:\n", "        ");
    assert_eq!(labels(&text, cursor), Vec::<String>::new());
}

#[test]
fn images_come_from_kubeplays_registry() {
    let (text, cursor) = typed_after(LANDING, "        image: ", "");
    let text = text.replacen("nginx:1.10", "ngi", 1);
    let cursor = cursor + 3;
    let c = assist::complete(&text, cursor);
    assert!(c.items.iter().all(|i| i.label.starts_with("nginx:")), "{:?}", c.items);
    assert!(c.items.iter().any(|i| i.label == "nginx:1.10"));
    assert!(c.items.iter().all(|i| i.kind == ItemKind::Value && i.detail == "kubeplay image"));
    // The value typed so far is what an accepted image replaces: `ngi` (and nothing past the cursor).
    assert_eq!(&text[c.replace.clone()], "ngi");
}

#[test]
fn accepting_a_block_field_writes_its_next_line() {
    let item = |base: &str, after: &str, typed: &str, label: &str| {
        let (text, cursor) = typed_after(base, after, typed);
        let c = assist::complete(&text, cursor);
        c.items.into_iter().find(|i| i.label == label).unwrap_or_else(|| panic!("no {label} at {typed:?}"))
    };
    let strategy = item(BOOK_DEPLOYMENT, "  replicas: 3\n", "  str", "strategy");
    assert_eq!((strategy.insert.as_str(), strategy.detail.as_str()), ("strategy:\n    ", "DeploymentStrategy"));
    assert_eq!(strategy.doc, "The deployment strategy to use to replace existing pods with new ones.");
    // A list of structs: the list at the key's indentation, and the item's required name.
    let body = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n";
    let containers = item(body, "spec:\n", "  cont", "containers");
    assert_eq!(containers.insert, "containers:\n  - name: ");
    assert_eq!(containers.detail, "[]Container -required-");
    let env = item(BOOK_DEPLOYMENT, "containerPort: 80\n", "        en", "env");
    assert_eq!(env.insert, "env:\n        - name: ");
    let ports = item(body, "spec:\n", "  containers:\n  - name: web\n    por", "ports");
    assert_eq!(ports.insert, "ports:\n    - containerPort: ");
    // A scalar: `key: `, and completion goes on with its values.
    let replicas = item(body, "spec:\n", "  restart", "restartPolicy");
    assert_eq!(replicas.insert, "restartPolicy: ");
    assert!(replicas.again);
    // A `:` typed without its space: the value brings one.
    let (text, cursor) = typed_after("apiVersion: apps/v1\nkind:", "kind:", "");
    let c = assist::complete(&text, cursor);
    assert_eq!(c.items[0].insert, " Deployment");
}

#[test]
fn nothing_is_offered_in_comments_block_text_or_flow_style() {
    for (text, after) in [
        ("# kind: ", "# kind: "),
        ("data:\n  run.sh: |\n    echo ", "echo "),
        ("metadata:\n  labels: {app: w", "{app: w"),
        ("spec:\n  replicas: 3  # how ", "# how "),
    ] {
        let (text, cursor) = typed_after(text, after, "");
        assert_eq!(labels(&text, cursor), Vec::<String>::new(), "{text:?}");
    }
}

fn hover_at(text: &str, on: &str) -> assist::Hover {
    let cursor = text.find(on).unwrap_or_else(|| panic!("{on:?}")) + 1;
    match assist::hover(text, cursor) {
        Some(Hovered::Doc(h)) => h,
        other => panic!("no documentation at {on:?}: {other:?}"),
    }
}

/// The hover's words are `kubectl explain`'s for the same path.
fn explained(path: &str) -> String {
    use kubeplay::kubectl::{Context, NoFiles};
    let mut sim = kubeplay::sim::Sim::new(Default::default());
    let ctx = Context { files: &NoFiles, stdin: None, live: false };
    kubeplay::kubectl::run(&mut sim, &format!("kubectl explain {path}"), &ctx).stdout
}

#[test]
fn hover_shows_the_fields_path_type_and_kubectl_explains_words() {
    let (text, _) = typed_after(BOOK_DEPLOYMENT, "  replicas: 3\n", "  strategy:\n    type: Recreate\n");
    let h = hover_at(&text, "strategy:");
    assert_eq!((h.path.as_str(), h.ty.as_str(), h.required), ("deployment.spec.strategy", "DeploymentStrategy", false));
    assert_eq!(
        h.doc,
        "The deployment strategy to use to replace existing pods with new ones.\nDeploymentStrategy describes how to replace existing pods with new ones."
    );
    assert_eq!(&text[h.key.clone()], "strategy");
    let out = explained(&h.path);
    assert!(out.contains("FIELD: strategy <DeploymentStrategy>"), "{out}");
    assert!(out.contains("    The deployment strategy to use to replace existing pods with new ones."), "{out}");

    let h = hover_at(BOOK_DEPLOYMENT, "containerPort");
    assert_eq!(h.path, "deployment.spec.template.spec.containers.ports.containerPort");
    assert_eq!((h.ty.as_str(), h.required), ("integer", true));
    assert!(explained(&h.path).contains("FIELD: containerPort <integer>"));

    // A value's line documents its key; the book's indented list style too.
    let h = hover_at(NODEPORT, "31514");
    assert_eq!(h.path, "service.spec.ports.nodePort");
    let h = hover_at(SERVICES, "targetPort: http");
    assert_eq!((h.path.as_str(), h.ty.as_str()), ("service.spec.ports.targetPort", "IntOrString"));
    // A label is the learner's own key: no documentation.
    assert_eq!(assist::hover(BOOK_DEPLOYMENT, BOOK_DEPLOYMENT.find("app: webserver").unwrap()), None);
}

/// Applies the fix for the diagnostic whose message contains `about`, and returns the text after it.
fn fixed(text: &str, about: &str) -> (Title, String) {
    let fixes = assist::fixes(text);
    let f = fixes
        .into_iter()
        .find(|f| f.diagnostic.message.contains(about))
        .unwrap_or_else(|| panic!("no fix for {about:?} in\n{text}\n{:#?}", assist::diagnostics(text)));
    (f.title, f.text)
}

fn errors(text: &str) -> Vec<String> {
    assist::diagnostics(text).iter().map(ToString::to_string).collect()
}

#[test]
fn the_five_common_mistakes_each_have_their_quick_fix() {
    assert!(errors(BOOK_DEPLOYMENT).is_empty());
    // `replica:`
    let text = BOOK_DEPLOYMENT.replacen("replicas: 3", "replica: 3", 1);
    let (title, after) = fixed(&text, "unknown field \"spec.replica\"");
    assert_eq!((title, after.as_str()), (Title::Rename("replicas".into()), BOOK_DEPLOYMENT));

    // `containers:` one level too shallow in the template (no `spec:` under it): moved, with the `spec:` it needs.
    let text = BOOK_DEPLOYMENT.replacen("    spec:\n      containers:\n      - name: my-webserver\n        image: alicek106/rr-test:echo-hostname\n        ports:\n        - containerPort: 80\n", "    containers:\n    - name: my-webserver\n      image: alicek106/rr-test:echo-hostname\n      ports:\n      - containerPort: 80\n", 1);
    let (title, after) = fixed(&text, "unknown field \"spec.template.containers\"");
    assert_eq!((title, after.as_str()), (Title::Move("spec.template.spec.containers".into()), BOOK_DEPLOYMENT));

    // `image: nginx:1.1O`
    let text = LANDING.replacen("nginx:1.10", "nginx:1.1O", 1);
    let warning = assist::diagnostics(&text).into_iter().find(|d| d.message.contains("will not pull")).unwrap();
    assert_eq!(
        warning.to_string(),
        "18:16: warning: image \"nginx:1.1O\" will not pull: kubeplay's registry has no tag \"1.1O\" for nginx (the pod \
         would wait in ErrImagePull) (did you mean \"nginx:1.10\"? (the letter O where the digit 0 belongs))"
    );
    let (title, after) = fixed(&text, "will not pull");
    assert_eq!((title, after.as_str()), (Title::Replace("nginx:1.10".into()), LANDING));

    // A selector that does not match the template's labels: the selector takes the labels.
    let text = BOOK_DEPLOYMENT.replacen("      app: webserver\n  template", "      app: web\n  template", 1);
    let (title, after) = fixed(&text, "`selector` does not match template `labels`");
    assert_eq!((title, after.as_str()), (Title::MatchSelector, BOOK_DEPLOYMENT));

    // `version: 1.0` unquoted in the labels.
    let text =
        BOOK_DEPLOYMENT.replacen("        app: webserver\n", "        app: webserver\n        version: 1.0\n", 1);
    let (title, after) = fixed(&text, "metadata.labels of type string");
    assert_eq!(title, Title::Quote("1.0".into()));
    assert!(after.contains("        version: \"1.0\"\n"), "{after}");
    assert!(errors(&after).is_empty(), "{:?}", errors(&after));
}

#[test]
fn kinds_fields_at_the_wrong_level_and_flow_selectors_are_fixed_too() {
    // A misspelt kind.
    let text = BOOK_DEPLOYMENT.replacen("kind: Deployment", "kind: Deploymnet", 1);
    let (title, after) = fixed(&text, "no matches for kind \"Deploymnet\"");
    assert_eq!((title, after.as_str()), (Title::Kind("Deployment".into()), BOOK_DEPLOYMENT));
    // A kind under the wrong apiVersion (the apiVersion changes, the kind stays).
    let text = BOOK_DEPLOYMENT.replacen("apiVersion: apps/v1", "apiVersion: v1", 1);
    let (title, after) = fixed(&text, "no matches for kind \"Deployment\" in version \"v1\"");
    assert_eq!((title, after.as_str()), (Title::Kind("Deployment".into()), BOOK_DEPLOYMENT));
    // `strategy` one level too deep, under the template: it goes to spec, at the end of spec's block.
    let text = BOOK_DEPLOYMENT.replacen(
        "    metadata:\n      name: my-webserver",
        "    strategy:\n      type: Recreate\n    metadata:\n      name: my-webserver",
        1,
    );
    let (title, after) = fixed(&text, "unknown field \"spec.template.strategy\"");
    assert_eq!(title, Title::Move("spec.strategy".into()));
    assert_eq!(after, format!("{BOOK_DEPLOYMENT}  strategy:\n    type: Recreate\n"));
    // A flow-style selector.
    let text = BOOK_DEPLOYMENT.replacen("    matchLabels:\n      app: webserver\n", "    matchLabels: {app: web}\n", 1);
    let (_, after) = fixed(&text, "does not match");
    assert!(after.contains("    matchLabels: {app: webserver}\n"), "{after}");
    assert!(errors(&after).is_empty());
    // A number where a string belongs elsewhere (an env value) is quoted the same way.
    let text = BOOK_DEPLOYMENT.replacen(
        "        ports:\n",
        "        env:\n        - name: DEBUG\n          value: true\n        ports:\n",
        1,
    );
    let (title, after) = fixed(&text, "EnvVar");
    assert_eq!(title, Title::Quote("true".into()));
    assert!(errors(&after).is_empty());
}

#[test]
fn no_fix_is_offered_when_the_fix_is_not_one_thing() {
    let none_for = |text: &str, about: &str| {
        assert!(
            !assist::fixes(text).iter().any(|f| f.diagnostic.message.contains(about)),
            "a fix was offered for {about:?}"
        );
        assert!(assist::diagnostics(text).iter().any(|d| d.message.contains(about)), "no diagnostic {about:?}");
    };
    // `replica` beside an existing `replicas`: renaming would write a duplicate key.
    none_for(&BOOK_DEPLOYMENT.replacen("  replicas: 3\n", "  replicas: 3\n  replica: 2\n", 1), "spec.replica\"");
    // A selector with matchExpressions: which side is meant is not one thing.
    none_for(
        &BOOK_DEPLOYMENT.replacen(
            "      app: webserver\n  template",
            "      app: web\n    matchExpressions:\n    - {key: tier, operator: Exists}\n  template",
            1,
        ),
        "does not match",
    );
    // nginx:1.2x could be 1.20 … 1.29.
    none_for(&LANDING.replacen("nginx:1.10", "nginx:1.2x", 1), "will not pull");
}

#[test]
fn a_fix_leaves_other_documents_and_their_problems_alone() {
    let text = format!(
        "{}---\n{}",
        BOOK_DEPLOYMENT.replacen("replicas: 3", "replica: 3", 1),
        NODEPORT.replacen("port: 8080", "prt: 8080", 1)
    );
    let fixes = assist::fixes(&text);
    assert_eq!(fixes.len(), 2, "{fixes:#?}");
    let (_, after) = fixed(&text, "spec.replica\"");
    assert!(after.contains("  replicas: 3\n") && after.contains("prt: 8080"));
    assert_eq!(errors(&after).len(), 2, "{:?}", errors(&after));
}

// ---- properties ----

/// A manifest mangled the ways typing mangles one: a character dropped, doubled or swapped, a line indented or
/// outdented, a value replaced by a number, a line dropped, the text cut short.
fn mangled() -> impl Strategy<Value = String> {
    let bases = prop::sample::select(vec![BOOK_DEPLOYMENT, SERVICES, NODEPORT, LANDING]);
    (bases, prop::collection::vec((0u8..7, any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..4)).prop_map(
        |(base, edits)| {
            let mut text = base.to_string();
            for (op, a, b) in edits {
                let lines: Vec<&str> = text.split('\n').collect();
                let i = a.index(lines.len());
                let mut lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                let line = &mut lines[i];
                let chars: Vec<char> = line.chars().collect();
                let j = if chars.is_empty() { 0 } else { b.index(chars.len()) };
                match op {
                    0 if !chars.is_empty() => {
                        line.remove(line.char_indices().nth(j).map_or(0, |(k, _)| k));
                    }
                    1 if !chars.is_empty() => line.insert(line.char_indices().nth(j).map_or(0, |(k, _)| k), chars[j]),
                    2 if chars.len() > j + 1 => {
                        let mut c = chars.clone();
                        c.swap(j, j + 1);
                        *line = c.into_iter().collect();
                    }
                    3 => line.insert_str(0, "  "),
                    4 => *line = line.strip_prefix("  ").unwrap_or(line).to_string(),
                    5 => {
                        if let Some(k) = line.find(": ") {
                            line.replace_range(k + 2.., "1.0");
                        }
                    }
                    6 => {
                        lines.remove(i);
                    }
                    _ => {}
                }
                text = lines.join("\n");
            }
            text
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn completion_and_hover_never_panic_and_stay_in_the_text(text in mangled(), at in any::<prop::sample::Index>(), cut in any::<bool>()) {
        let text = if cut { text[..text.len() / 2].to_string() } else { text };
        let cursor = at.index(text.len() + 1);
        let c = assist::complete(&text, cursor);
        prop_assert!(c.replace.start <= c.replace.end && c.replace.end <= text.len());
        if !c.items.is_empty() {
            prop_assert!(c.replace.start <= cursor && text.is_char_boundary(c.replace.start));
        }
        if let Some(Hovered::Doc(h)) = assist::hover(&text, cursor) {
            prop_assert!(h.key.end <= text.len());
            prop_assert!(h.path.contains('.'));
        }
    }

    #[test]
    fn every_quick_fix_removes_its_diagnostic_and_adds_none(text in mangled()) {
        let before = assist::diagnostics(&text);
        for f in assist::fixes(&text) {
            prop_assert!(f.text != text);
            prop_assert!(before.contains(&f.diagnostic));
            let mut left: Vec<(kubeplay::manifest::Severity, String)> =
                before.iter().map(|d| (d.severity, d.message.clone())).collect();
            let i = left.iter().position(|d| *d == (f.diagnostic.severity, f.diagnostic.message.clone())).unwrap();
            left.remove(i);
            for d in assist::diagnostics(&f.text) {
                let found = left.iter().position(|x| *x == (d.severity, d.message.clone()));
                prop_assert!(found.is_some(), "the fix {:?} added {}\n{}", f.title, d, f.text);
                left.remove(found.unwrap());
            }
            prop_assert!(f.cursor <= f.text.len());
        }
    }

    #[test]
    fn editing_keys_undo_each_other_and_never_panic(text in "[a-z: \\-#\\n가]{0,40}", a in any::<prop::sample::Index>(), b in any::<prop::sample::Index>()) {
        let s = edit::State::new(text.clone(), a.index(text.len() + 1), b.index(text.len() + 1));
        let back = edit::outdent(&edit::indent(&s));
        if s.start != s.end {
            prop_assert_eq!(&back.text, &text);
        }
        let twice = edit::toggle_comment(&edit::toggle_comment(&s));
        if !text.lines().any(|l| l.trim_start().starts_with('#')) {
            prop_assert_eq!(&twice.text, &text);
        }
        let n = edit::newline(&s);
        prop_assert!(n.start <= n.text.len() && n.text.is_char_boundary(n.start));
    }
}

/// The mangling above does make fixable mistakes (so the property is not checked on nothing).
#[test]
fn mangled_manifests_have_quick_fixes_to_check() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let mut runner = TestRunner::new_with_rng(Config::default(), TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]));
    let strategy = mangled();
    let (mut texts, mut fixes) = (0, 0);
    for _ in 0..200 {
        let text = strategy.new_tree(&mut runner).unwrap().current();
        let n = assist::fixes(&text).len();
        texts += usize::from(n > 0);
        fixes += n;
    }
    assert!(texts >= 20 && fixes >= 20, "{texts} texts had {fixes} fixes");
}

/// Every manifest the lessons put in the editor, and the book's: each key is documented by hover in `kubectl
/// explain`'s path (or is the learner's own key, in labels, a selector, annotations or data), and completion answers
/// at the end of every line without a panic.
#[test]
fn every_key_of_the_lessons_manifests_is_documented() {
    let mut files: Vec<(String, String)> = Vec::new();
    for lesson in kubeplay::scenario::lesson::all() {
        let lesson = lesson.expect("the lessons parse");
        files.extend(lesson.files.clone());
        for step in &lesson.steps {
            files.extend(step.files.clone());
        }
    }
    let lesson_files = files.len();
    assert!(lesson_files >= 8, "{lesson_files} lesson files");
    for (name, text) in
        [("deployment-hostname.yaml", BOOK_DEPLOYMENT), ("services.yaml", SERVICES), ("landing", LANDING)]
    {
        files.push((name.into(), text.into()));
    }
    let own_keys = [
        "labels",
        "matchLabels",
        "annotations",
        "data",
        "stringData",
        "selector",
        "nodeSelector",
        "limits",
        "requests",
    ];
    let mut documented = 0;
    for (name, text) in &files {
        let mut offset = 0;
        let lines: Vec<&str> = text.split('\n').collect();
        for (i, line) in lines.iter().enumerate() {
            let content = line.trim_start().trim_start_matches("- ");
            let is_key = !content.starts_with('#') && (content.contains(": ") || content.ends_with(':'));
            let doc_start = lines[..i].iter().rposition(|l| *l == "---").map_or(0, |j| j + 1);
            let has_kind = lines[doc_start..].iter().take_while(|l| **l != "---").any(|l| l.starts_with("kind: "));
            if is_key && has_kind && !line.trim().is_empty() {
                let at = offset + (line.len() - content.len()) + 1;
                match assist::hover(text, at) {
                    Some(Hovered::Doc(h)) => {
                        assert!(!h.doc.is_empty() && h.path.contains('.'), "{name}:{}: {h:?}", i + 1);
                        documented += 1;
                    }
                    other => {
                        // The learner's own key: the nearest line above it, less indented, opens one of the maps
                        // whose keys are not the API's.
                        let indent = line.len() - line.trim_start().len();
                        let owner = lines[..i]
                            .iter()
                            .rev()
                            .find(|l| !l.trim().is_empty() && l.len() - l.trim_start().len() < indent)
                            .map(|l| l.trim().trim_start_matches("- ").trim_end_matches(':').to_string())
                            .unwrap_or_default();
                        assert!(
                            own_keys.contains(&owner.as_str()),
                            "{name}:{}: {line:?} undocumented ({other:?})",
                            i + 1
                        );
                    }
                }
            }
            offset += line.len() + 1;
            let _ = assist::complete(text, offset.saturating_sub(1));
        }
    }
    assert!(documented > 100, "{documented} keys documented");
}
