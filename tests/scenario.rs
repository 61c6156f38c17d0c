//! Recorded runs: whatever the user did and however time was played, replaying the recording — or seeking back and
//! forth over it — gives the same cluster, events, decisions, requests and terminal.
#![cfg(not(target_arch = "wasm32"))]

use kubeplay::cluster::Settings;
use kubeplay::kubectl::{self, Context, NoFiles};
use kubeplay::scenario::{self, apply_command, Action, Outcome, Run, Source};
use proptest::prelude::*;

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.24
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - port: 80
";

/// Everything observable about a run.
fn state(run: &Run) -> (u64, String, String, String, String, String, String) {
    let c = run.sim().cluster();
    (
        run.now(),
        format!("{:?}", run.lesson),
        c.store().dump(),
        format!("{:?}", c.events().log),
        format!("{:?}", c.decisions()),
        format!("{:?}", run.sim().net.records),
        format!("{:?}", run.transcript),
    )
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        prop::sample::select(vec!["nginx:1.24", "nginx:1.25", "nginx:1.999"]).prop_map(|image| Action::WriteFile {
            name: "web.yaml".into(),
            text: DEPLOYMENT.replace("nginx:1.24", image),
        }),
        Just(apply_command("web.yaml")),
        prop::sample::select(vec![
            "kubectl set image deployment web nginx=nginx:1.26",
            "kubectl scale deployment web --replicas=5",
            "kubectl rollout undo deployment web",
            "kubectl get pods",
            "kubectl delete pod --all",
            "kubectl rollout status deployment web --timeout=20s",
            "kubectl run client --image=busybox -- sleep 3600",
            "kubectl exec client -- wget -qO- web",
            "curl -s 172.18.0.3:30080",
            "kubectl get pods -w",
            "kubectl get deployment,replicaset -w --request-timeout=15s",
        ])
        .prop_map(|l| Action::Command { line: l.to_string() }),
        Just(Action::Step),
        Just(Action::Interrupt),
        Just(Action::StartTraffic { source: Source::Workstation, url: "http://172.18.0.4:30080/".into(), rate: 20 }),
        Just(Action::StartTraffic {
            source: Source::Pod { namespace: "default".into(), name: "client".into() },
            url: "http://web/".into(),
            rate: 10
        }),
        (1..3u32).prop_map(|id| Action::StopTraffic { id }),
        (0..4u32).prop_map(|step| Action::EnterStep { lesson: "01-deployment-basics".into(), step }),
    ]
}

/// A fixed node port so the workstation's requests can name it.
fn settings(seed: u64) -> Settings {
    Settings { seed, ..Settings::default() }
}

fn fixed_port(a: Action) -> Action {
    match a {
        Action::WriteFile { name, text } => {
            Action::WriteFile { name, text: text.replace("  - port: 80\n", "  - port: 80\n    nodePort: 30080\n") }
        }
        other => other,
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("KUBEPLAY_CASES").ok().and_then(|c| c.parse().ok()).map_or(64, |c: u32| (c / 16).max(8)),
        ..ProptestConfig::default()
    })]

    #[test]
    fn replaying_or_seeking_gives_the_same_run(
        seed in 0..1_000u64,
        steps in prop::collection::vec((action(), 0..20_000u64, 1..4u64), 1..12),
        back in 0.0..1.0f64,
    ) {
        let mut run = Run::new(settings(seed));
        for (a, wait, chunks) in steps {
            // Time is played in uneven pieces, as frames of the UI would.
            for i in 1..=chunks {
                let t = run.now() + wait * i / chunks - wait * (i - 1) / chunks;
                run.run_until(t);
            }
            let _ = run.dispatch(fixed_port(a));
        }
        let end = run.now() + 5_000;
        run.run_until(end);
        let original = state(&run);

        let replayed = Run::replay(settings(seed), run.log().to_vec(), end).unwrap();
        prop_assert_eq!(&state(&replayed), &original);

        let t = (end as f64 * back) as u64;
        let mut seeked = run.clone();
        seeked.seek(t);
        let fresh = Run::replay(settings(seed), run.log().to_vec(), t).unwrap();
        prop_assert_eq!(state(&seeked), state(&fresh));
        prop_assert_eq!(seeked.horizon(), end);
        seeked.seek(end);
        prop_assert_eq!(&state(&seeked), &original);
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("KUBEPLAY_CASES").ok().and_then(|c| c.parse().ok()).map_or(64, |c: u32| (c / 16).max(8)),
        ..ProptestConfig::default()
    })]

    /// A run encoded into a link and decoded is the identical recording, and opens to the identical run; a damaged
    /// or cut link is refused (or, if the damage happens to leave a valid link, opens) and never panics.
    #[test]
    fn links_carry_the_whole_run_and_damage_never_panics(
        seed in 0..1_000u64,
        steps in prop::collection::vec((action(), 0..20_000u64), 1..8),
        cut in 0.0..1.0f64,
        flips in prop::collection::vec((0.0..1.0f64, any::<u8>()), 1..4),
    ) {
        let mut run = Run::new(settings(seed));
        for (a, wait) in steps {
            run.run_until(run.now() + wait);
            let _ = run.dispatch(fixed_port(a));
        }
        let link = scenario::link::Link::of(&run);
        let text = link.encode();
        let back = scenario::link::Link::decode(&format!("#{text}")).unwrap();
        prop_assert_eq!(&back, &link);
        let opened = back.open().unwrap();
        prop_assert_eq!(state(&opened), state(&run));

        let cut_at = (text.len() as f64 * cut) as usize;
        let _ = scenario::link::Link::decode(&text[..cut_at]).map(|l| l.open());
        let mut bytes = text.into_bytes();
        for (at, b) in flips {
            let i = ((bytes.len() - 1) as f64 * at) as usize;
            bytes[i] = b;
        }
        let damaged = String::from_utf8_lossy(&bytes).to_string();
        let _ = scenario::link::Link::decode(&damaged).map(|l| l.open());
    }
}

#[test]
fn bad_links_say_what_is_wrong() {
    use scenario::link::{Link, LinkError};
    assert!(matches!(Link::decode("v9.abc"), Err(LinkError::UnknownVersion(v)) if v == "v9"));
    assert!(matches!(Link::decode("nothing"), Err(LinkError::Damaged(_))));
    assert!(matches!(Link::decode("v1.$$$"), Err(LinkError::Damaged(w)) if w.contains("base64url")));
    assert!(matches!(Link::decode(&"A".repeat(300_000)), Err(LinkError::TooLong(300_000))));
    let mut long = Link::of(&scenario::landing(Settings::default()));
    long.at = 10 * 60 * 60 * 1000;
    assert!(matches!(Link::decode(&long.encode()), Err(LinkError::Damaged(w)) if w.contains("past 4 hours")));
    // Traffic that would cost the page millions of requests to replay: eight generators at 1,000 a second for an
    // hour. Stopping them in time makes the same link fine.
    let mut busy = Link::of(&scenario::landing(Settings::default()));
    let start = Action::StartTraffic { source: Source::Workstation, url: "http://10.96.0.1/".into(), rate: 1_000 };
    busy.log.extend((0..8).map(|_| scenario::Recorded { at: 1_000, action: start.clone() }));
    busy.at = 60 * 60 * 1000;
    let e = Link::decode(&busy.encode()).unwrap_err().to_string();
    assert!(e.contains("its traffic would send about 28792008 requests (at most 1000000)"), "{e}");
    busy.log.extend((1..=8).map(|id| scenario::Recorded { at: 2_000, action: Action::StopTraffic { id } }));
    assert!(Link::decode(&busy.encode()).is_ok());
    // A run stops at four hours of virtual time, so whatever a learner does can be saved and shared.
    let mut run = scenario::landing(Settings::default());
    run.run_until(5 * 60 * 60 * 1000);
    assert_eq!(run.now(), scenario::MAX_RUN_MS);
    assert!(Link::decode(&Link::of(&run).encode()).is_ok());
    let text = Link::of(&scenario::landing(Settings::default())).encode();
    assert!(text.len() < 600, "the landing run's link is {} characters", text.len());
    let cut = &text[..text.len() / 2];
    let e = Link::decode(cut).unwrap_err();
    assert!(e.to_string().starts_with("the link is damaged"), "{e}");
}

#[test]
fn a_new_action_in_the_past_replaces_the_recorded_future() {
    let mut run = Run::new(Settings::default());
    run.dispatch(Action::WriteFile { name: "web.yaml".into(), text: DEPLOYMENT.into() });
    assert!(matches!(run.dispatch(apply_command("web.yaml")), Outcome::Printed(o) if o.code == 0));
    run.run_until(30_000);
    run.dispatch(Action::Command { line: "kubectl scale deployment web --replicas=1".into() });
    run.run_until(60_000);
    assert_eq!(run.log().len(), 3);
    run.seek(10_000);
    assert_eq!(run.log().len(), 3, "seeking keeps the future");
    assert_eq!(run.horizon(), 60_000);
    run.dispatch(Action::Command { line: "kubectl get pods".into() });
    assert_eq!(run.log().len(), 3, "acting in the past drops it");
    assert_eq!(run.log()[2].at, 10_000);
    assert_eq!(run.horizon(), 10_000);
}

#[test]
fn the_editor_tabs_are_the_files_apply_reads_and_bad_actions_are_refused() {
    let mut run = Run::new(Settings::default());
    let out = run.dispatch(apply_command("missing.yaml"));
    assert!(
        matches!(&out, Outcome::Printed(o) if o.stderr.contains("the path \"missing.yaml\" does not exist")),
        "{out:?}"
    );
    assert!(matches!(run.dispatch(Action::WriteFile { name: "a/b".into(), text: String::new() }), Outcome::Refused(_)));
    let huge = "x".repeat(kubeplay::scenario::MAX_FILE_BYTES + 1);
    assert!(matches!(run.dispatch(Action::WriteFile { name: "big.yaml".into(), text: huge }), Outcome::Refused(_)));
    assert_eq!(run.log().len(), 1, "refused actions are not recorded");
    let unordered = vec![
        kubeplay::scenario::Recorded { at: 5, action: Action::Step },
        kubeplay::scenario::Recorded { at: 1, action: Action::Step },
    ];
    assert!(Run::replay(Settings::default(), unordered, 10).is_err());
    // Actions serialize for share links.
    let json = serde_json::to_string(&run.log()[0]).unwrap();
    assert_eq!(json, r#"{"at":0,"action":{"type":"command","line":"kubectl apply -f missing.yaml"}}"#);
    let back: kubeplay::scenario::Recorded = serde_json::from_str(&json).unwrap();
    assert_eq!(back, run.log()[0]);
}

/// Actions that go together (a rename: write the new name, remove the old) are recorded in order and stop at the
/// first refusal, which is what the caller hears; nothing after it is recorded.
#[test]
fn actions_recorded_together_stop_at_the_first_refusal() {
    let mut run = Run::new(Settings::default());
    let write = |name: &str| Action::WriteFile { name: name.into(), text: "kind: ConfigMap\n".into() };
    let out = run.dispatch_all([write("a.yaml"), Action::RemoveFile { name: "a.yaml".into() }, write("b.yaml")]);
    assert_eq!(out, Outcome::Done);
    assert_eq!(run.log().len(), 3);
    assert_eq!(run.files.0.keys().collect::<Vec<_>>(), ["b.yaml"]);
    let out = run.dispatch_all([write("c.yaml"), write("bad/name"), write("d.yaml")]);
    assert!(matches!(&out, Outcome::Refused(why) if why.contains("bad/name")), "{out:?}");
    assert_eq!(run.log().len(), 4, "c.yaml is recorded; the refused write and d.yaml are not");
    assert_eq!(run.files.0.keys().collect::<Vec<_>>(), ["b.yaml", "c.yaml"]);
}

/// `kubectl get -w` in the playground returns at once and its rows follow as time plays, in uneven pieces, exactly as
/// the same watch run to its end by a script prints them; Ctrl+C and the next line end it.
#[test]
fn a_watch_in_the_playground_streams_the_rows_a_script_would_print() {
    let line = "kubectl get pods -w --request-timeout=40s";
    let mut run = scenario::landing(Settings::default());
    let mut script = run.sim().clone();
    let t0 = run.now();
    run.dispatch(Action::Command { line: line.into() });
    assert_eq!(run.now(), t0, "the watch does not move time itself");
    assert!(run.watching());
    let first = run.transcript.last().unwrap().output.stdout.clone();
    assert!(first.starts_with("NAME ") && first.lines().count() == 4, "{first}");
    for t in [300, 1_700, 2_000, 9_999, 25_000, 39_000, 60_000] {
        run.run_until(t0 + t);
    }
    assert!(!run.watching(), "the watch ended at its --request-timeout");
    let live = run.transcript.last().unwrap().output.stdout.clone();
    let expected = kubectl::run(&mut script, line, &Context { files: &NoFiles, stdin: None, live: false }).stdout;
    assert_eq!(live, expected);
    assert!(live.contains("ContainerCreating") && live.contains("Running"), "{live}");

    // Without a timeout it runs until interrupted; nothing more is added after Ctrl+C.
    run.dispatch(Action::Command { line: "kubectl get deployments -w".into() });
    run.dispatch(Action::Command { line: "kubectl set image deployment my-nginx-deployment nginx=nginx:1.11".into() });
    let ended_by_next_line = run.transcript[run.transcript.len() - 2].output.stdout.clone();
    assert_eq!(ended_by_next_line.lines().count(), 2, "{ended_by_next_line}");
    run.dispatch(Action::Command { line: "kubectl get replicasets -w".into() });
    run.run_until(run.now() + 5_000);
    let before = run.transcript.last().unwrap().output.stdout.clone();
    assert!(before.lines().count() > 3, "{before}");
    run.dispatch(Action::Interrupt);
    assert!(!run.watching());
    run.run_until(run.now() + 60_000);
    assert_eq!(run.transcript.last().unwrap().output.stdout, before);
}

/// Rewinding moves the cluster back, not the learner's typing: acting in the past drops the recorded future, but the
/// files written in it are written again at the new instant.
#[test]
fn acting_in_the_past_keeps_what_was_typed_in_the_dropped_future() {
    let mut run = Run::new(Settings::default());
    run.dispatch(Action::WriteFile { name: "web.yaml".into(), text: DEPLOYMENT.into() });
    run.dispatch(apply_command("web.yaml"));
    run.run_until(20_000);
    let edited = DEPLOYMENT.replace("replicas: 3", "replicas: 4");
    run.dispatch(Action::WriteFile { name: "web.yaml".into(), text: edited.clone() });
    run.dispatch(Action::WriteFile { name: "notes.yaml".into(), text: "# mine\n".into() });
    run.run_until(40_000);
    run.seek(10_000);
    assert_eq!(run.files.0.get("web.yaml"), Some(&DEPLOYMENT.to_string()), "the playhead shows the file as it was");
    run.dispatch(Action::Command { line: "kubectl get pods".into() });
    assert_eq!(run.files.0.get("web.yaml"), Some(&edited));
    assert_eq!(run.files.0.get("notes.yaml").map(String::as_str), Some("# mine\n"));
    // The rewrites are recorded, so a replay of the new recording has them too.
    let replayed = Run::replay(Settings::default(), run.log().to_vec(), run.now()).unwrap();
    assert_eq!(replayed.files, run.files);
    assert!(run.log().iter().all(|r| r.at <= 10_000), "the future is gone");
}

/// A terminal line's redirection writes an editor tab (`kubectl … -o yaml > web.yaml`): a replay of the recording
/// writes it again, the editor is told which file to open, a file the run cannot keep is bash's error on the line,
/// and acting in the past keeps what the dropped line wrote, as it keeps typing.
#[test]
fn a_redirected_line_writes_a_tab_that_replays_and_survives_a_rewind() {
    let mut run = Run::new(Settings::default());
    run.run_until(5_000);
    let line = "kubectl create deployment web --image=nginx:1.25 --dry-run=client -o yaml > web.yaml";
    let Outcome::Printed(out) = run.dispatch(Action::Command { line: line.into() }) else { panic!("printed") };
    assert_eq!(out.combined(), "", "the YAML went to the file");
    let written = run.files.0.get("web.yaml").cloned().expect("a web.yaml tab");
    assert!(written.starts_with("apiVersion: apps/v1\nkind: Deployment\n"), "{written}");
    assert_eq!(run.last_written.as_ref().map(|(_, n)| n.as_str()), Some("web.yaml"));
    assert_eq!(run.sim().cluster().store().get::<kubeplay::api::Deployment>("default", "web"), None, "a dry run");
    // Appending, and a name the workstation cannot have.
    run.dispatch(Action::Command { line: "kubectl get deployment nope >> web.yaml 2>&1".into() });
    assert!(run.files.0["web.yaml"]
        .ends_with("status: {}\nError from server (NotFound): deployments.apps \"nope\" not found\n"));
    let Outcome::Printed(out) = run.dispatch(Action::Command { line: "kubectl get pods > a/b.yaml".into() }) else {
        panic!("printed")
    };
    assert_eq!(out.code, 1);
    assert!(!run.files.0.contains_key("a/b.yaml"));
    // Replaying the recording writes the same tab.
    let replayed = Run::replay(Settings::default(), run.log().to_vec(), run.now()).unwrap();
    assert_eq!(replayed.files, run.files);
    // Seek before the line, act: the dropped line's file is kept.
    let kept = run.files.0["web.yaml"].clone();
    run.seek(1_000);
    assert!(!run.files.0.contains_key("web.yaml"), "the playhead is before the line");
    run.dispatch(Action::Command { line: "kubectl get pods".into() });
    assert_eq!(run.files.0.get("web.yaml"), Some(&kept));
}
