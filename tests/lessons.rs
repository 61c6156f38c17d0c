//! The lessons (`lessons/*.yaml`): every file parses, each lesson played the way a learner would (its commands typed
//! through the kubectl engine) passes every step's checks, and each step's checks fail when the step is not done.
#![cfg(not(target_arch = "wasm32"))]

use kubeplay::scenario::lesson::{self, Lesson};
use kubeplay::scenario::link::Link;

fn load(id: &str) -> Lesson {
    match lesson::all().into_iter().find(|l| l.as_ref().map_or_else(|e| e.file == format!("{id}.yaml"), |l| l.id == id))
    {
        Some(Ok(l)) => l,
        Some(Err(e)) => panic!("{e}"),
        None => panic!("no lesson {id}"),
    }
}

/// Plays a lesson as a learner would (`Lesson::verify`: each step's checks fail before the step and pass after it),
/// and returns the length of the finished run's link.
fn play(lesson: &Lesson) -> usize {
    let run = lesson.verify().unwrap_or_else(|e| panic!("{e}"));
    let link = Link::of(&run);
    assert_eq!((link.lesson.as_deref(), link.step), (Some(lesson.id.as_str()), Some(lesson.steps.len() as u32 - 1)));
    let link = link.encode();
    let back = Link::decode(&link).unwrap().open().unwrap();
    assert_eq!(back.log(), run.log());
    assert!(lesson.passed(&back), "{}: the link's run passes the last step too", lesson.id);
    link.len()
}

macro_rules! lesson_tests {
    ($($name:ident => $id:literal),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let len = play(&load($id));
                println!("{}: link {len} characters", $id);
                assert!(len <= 2_000, "{}: the finished run's link is {len} characters", $id);
            }
        )*
        const NAMED: &[&str] = &[$($id),*];
    };
}

lesson_tests! {
    deployment_basics => "01-deployment-basics",
    rolling_update => "02-rolling-update",
    history_and_rollback => "03-history-and-rollback",
    failed_rollout => "04-failed-rollout",
    clusterip_service => "05-clusterip-service",
    nodeport_service => "06-nodeport-service",
    loadbalancer_service => "07-loadbalancer-service",
    zero_downtime => "08-zero-downtime",
}

#[test]
fn every_lesson_file_parses_and_has_both_languages() {
    let all = lesson::all();
    assert!(!all.is_empty());
    for l in &all {
        let l = l.as_ref().unwrap_or_else(|e| panic!("{e}"));
        let hangul = |s: &str| s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c));
        for t in [&l.title, &l.summary].into_iter().chain(l.steps.iter().flat_map(|s| [&s.title, &s.text, &s.goal])) {
            assert!(hangul(&t.ko), "{}: {:?} has no Korean", l.id, t.ko);
            assert_ne!(t.en, t.ko, "{}", l.id);
        }
    }
}

/// A lesson a teacher adds without a test of its own is still played.
#[test]
fn lessons_without_a_named_test_are_played_too() {
    for l in lesson::all() {
        let l = l.unwrap_or_else(|e| panic!("{e}"));
        if !NAMED.contains(&l.id.as_str()) {
            let len = play(&l);
            assert!(len <= 2_000, "{}: link {len}", l.id);
        }
    }
}

/// A teacher's mistakes are reported with the file, the line and column, and what is wrong; never a panic.
#[test]
fn a_bad_lesson_file_says_which_file_where_and_what() {
    let good = "title: {en: T, ko: 제목}\nsummary: {en: S, ko: 요약}\nsteps:\n  - title: {en: A, ko: 가}\n    text: {en: B, ko: 나}\n    goal: {en: C, ko: 다}\n    check:\n      - ran: kubectl get pods\n";
    assert!(lesson::parse("good.yaml", good).is_ok());
    let cases: &[(&str, &str)] = &[
        (
            &good.replace("    check:", "    chek:"),
            "lessons/bad.yaml:7:5: unknown field \"chek\" in a step (did you mean \"check\"?)",
        ),
        (
            &good.replace("      - ran:", "      - rann:"),
            "lessons/bad.yaml:8:9: unknown check \"rann\" (did you mean \"ran\"?)",
        ),
        (&good.replace("ko: 가", "ko: ''"), "lessons/bad.yaml:4:24: the title in \"ko\" is empty"),
        (&good.replace("summary: {en: S, ko: 요약}\n", ""), "lessons/bad.yaml:1:1: a lesson has no \"summary\""),
        (
            &good.replace("steps:", "settings: {workers: 0}\nsteps:"),
            "lessons/bad.yaml:3:21: workers must be between 1 and 200",
        ),
        ("title: [unclosed", "lessons/bad.yaml:2:1: error converting YAML to JSON: yaml: line 2"),
        (
            &good.replace("- ran: kubectl get pods", "- pods: {ready: lots}"),
            "lessons/bad.yaml:8:23: ready must be a number or a comparison such as \">= 1\"",
        ),
        (
            &good.replace("- ran: kubectl get pods", "- field: {kind: gadget, name: x, path: '{.a}', equals: b}"),
            "lessons/bad.yaml:8:23: \"gadget\" is not a kind kubeplay simulates",
        ),
    ];
    for (text, want) in cases {
        let err = lesson::parse("bad.yaml", text).expect_err(want).to_string();
        assert!(err.starts_with(want), "{err}\n  wanted: {want}");
    }
}

/// A step's commands can name a pod the cluster made: the placeholder is filled from the cluster at the time.
#[test]
fn placeholders_name_a_ready_pod_of_the_selector() {
    let l = load("01-deployment-basics");
    let mut run = l.start();
    assert_eq!(
        lesson::fill("kubectl delete pod {{pod app=my-nginx}}", run.sim()),
        Err("no pod matches \"app=my-nginx\" yet".into())
    );
    l.play_step(&mut run).unwrap();
    let line = lesson::fill("kubectl delete pod {{pod app=my-nginx}}", run.sim()).unwrap();
    let name = line.strip_prefix("kubectl delete pod ").unwrap();
    let pod = run.sim().cluster().store().get::<kubeplay::api::Pod>("default", name).expect(&line);
    assert!(kubeplay::controllers::pods::is_ready(pod), "{line}");
    assert!(name.starts_with("my-nginx-deployment-"), "{line}");
}

/// `kubeplay lesson FILE` is how a teacher checks a new lesson without the test suite.
#[test]
fn the_cli_checks_a_lesson_file_and_names_the_problem() {
    let ok = kubeplay::cli::run(["lesson", "lessons/01-deployment-basics.yaml"]);
    assert_eq!(
        (ok.code, ok.stdout.as_str()),
        (0, "lessons/01-deployment-basics.yaml: 4 steps, each check fails before its step and passes after it\n")
    );
    let dir = std::env::temp_dir().join(format!("kubeplay-lesson-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string("lessons/01-deployment-basics.yaml").unwrap();
    // A check that can never fail, and a typo.
    let always = text.replace(
        "      - pods: {deployment: my-nginx-deployment, ready: 3}\n",
        "      - pods: {deployment: nothing, count: 0}\n",
    );
    std::fs::write(dir.join("always.yaml"), always).unwrap();
    let out = kubeplay::cli::run(["lesson", dir.join("always.yaml").to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "lessons/always.yaml step 1 (Create the Deployment): the checks pass although the step was not done\n"
    );
    std::fs::write(dir.join("typo.yaml"), text.replace("    goal:\n      en: 3 pods", "    gaol:\n      en: 3 pods"))
        .unwrap();
    let out = kubeplay::cli::run(["lesson", dir.join("typo.yaml").to_str().unwrap()]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.starts_with("lessons/typo.yaml:"), "{}", out.stderr);
    assert!(out.stderr.contains("unknown field \"gaol\" in a step (did you mean \"goal\"?)"), "{}", out.stderr);
    let _ = std::fs::remove_dir_all(dir);
}

/// A requests check counts the answers of its own Deployment's pods only, even beside a Deployment whose name starts
/// with the same words (`web` and `web-api`).
#[test]
fn a_requests_check_counts_only_its_own_deployments_answers() {
    let deployment = |name: &str| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {{app: {name}}}\n  template:\n    metadata:\n      labels: {{app: {name}}}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.25\n"
        )
    };
    let files = format!(
        "{}---\n{}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web-api\nspec:\n  selector: {{app: web-api}}\n  ports:\n  - port: 80\n",
        deployment("web"),
        deployment("web-api")
    );
    let text = format!(
        "title: {{en: T, ko: 제목}}\nsummary: {{en: S, ko: 요약}}\nfiles:\n  all.yaml: |\n{}steps:\n  - title: {{en: A, ko: 가}}\n    text: {{en: B, ko: 나}}\n    commands:\n      - kubectl apply -f all.yaml\n      - kubectl run client --image=alicek106/ubuntu:curl --restart=Never -- sleep 3600\n      - {{wait: 30s}}\n      - kubectl exec client -- curl -s http://web-api/\n    goal: {{en: C, ko: 다}}\n    check:\n      - requests: {{deployment: web-api, answered: 1}}\n      - requests: {{deployment: web, answered: 0}}\n",
        files.lines().map(|l| format!("    {l}\n")).collect::<String>()
    );
    let l = lesson::parse("two.yaml", &text).unwrap_or_else(|e| panic!("{e}"));
    l.verify().unwrap_or_else(|e| panic!("{e}"));
}
