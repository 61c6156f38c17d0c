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

/// Plays a lesson's steps before `step` (0-based), enters it, types `lines` instead of the step's own commands
/// (placeholders filled), and lets the step's wait pass, at least `at_least` ms.
fn typed_on_step(id: &str, step: usize, lines: &[&str], at_least: u64) -> (Lesson, kubeplay::scenario::Run) {
    use kubeplay::scenario::Action;
    let l = load(id);
    let mut run = l.start();
    for i in 0..step {
        l.play_step(&mut run).unwrap_or_else(|e| panic!("{id} step {}: {e}", i + 1));
        l.enter(&mut run, i + 1);
    }
    for line in lines {
        let line = lesson::fill(line, run.sim()).unwrap_or_else(|e| panic!("{id}: {e}"));
        run.dispatch(Action::Command { line });
    }
    run.run_until(run.now() + l.steps[step].wait.max(at_least));
    (l, run)
}

/// A `ran` check accepts what kubectl treats as the same command, and only that (the whole equivalence table is
/// `kubectl::meaning`'s unit test).
#[test]
fn a_command_check_accepts_every_spelling_of_the_command() {
    for (id, step, line, passes) in [
        ("01-deployment-basics", 1, "kubectl get deploy,rs,pods", true),
        ("01-deployment-basics", 1, "kubectl get pods,deployments,replicasets -o wide", true),
        ("01-deployment-basics", 1, "kubectl get deploy,rs", false),
        ("03-history-and-rollback", 2, "kubectl rollout history deployments my-nginx-deployment", true),
        ("03-history-and-rollback", 2, "kubectl rollout history deploy/my-nginx-deployment --revision=1", true),
        ("03-history-and-rollback", 2, "kubectl rollout status deployment my-nginx-deployment", false),
    ] {
        let (l, run) = typed_on_step(id, step, &[line], 1_000);
        assert_eq!(l.passed(&run), passes, "{id} step {}: {line:?}: {:?}", step + 1, l.evaluate(&run));
    }
}

/// Each condition of a check passes or fails on its own and says what it found, in both languages: lesson 3's
/// first step without the annotation has its pods but not its change cause.
#[test]
fn each_condition_of_a_check_says_what_it_found() {
    use kubeplay::i18n::{check_condition, check_miss, Lang};
    let (l, run) = typed_on_step("03-history-and-rollback", 0, &["kubectl apply -f my-nginx-deployment.yaml"], 1_000);
    let results = l.evaluate(&run);
    assert!(results[0].is_ok(), "{results:?}");
    let miss = results[1].as_ref().expect_err("no change cause yet");
    assert_eq!(miss.to_string(), "{.metadata.annotations.kubernetes\\.io/change-cause} is \"\" (the check wants set)");
    assert_eq!(
        check_miss(Lang::Ko, miss),
        "{.metadata.annotations.kubernetes\\.io/change-cause}의 값은 \"\" (원하는 값: 값이 있음)"
    );
    let conditions: Vec<(String, String)> =
        l.steps[0].checks.iter().map(|c| (check_condition(Lang::En, c), check_condition(Lang::Ko, c))).collect();
    assert_eq!(
        conditions,
        [
            (
                "3 Ready pods of Deployment my-nginx-deployment, revision 1".to_string(),
                "디플로이먼트 my-nginx-deployment, 리비전 1의 Ready 파드 3개".to_string()
            ),
            (
                "Deployment my-nginx-deployment: {.metadata.annotations.kubernetes\\.io/change-cause} is set"
                    .to_string(),
                "Deployment my-nginx-deployment의 {.metadata.annotations.kubernetes\\.io/change-cause}: 값이 있음"
                    .to_string()
            ),
        ]
    );
    // Before anything is applied, the pods' condition says how many there are now.
    let (l, run) = typed_on_step("03-history-and-rollback", 0, &[], 1_000);
    let now = l.evaluate(&run)[0].clone().expect_err("nothing applied");
    assert_eq!(now.to_string(), "Ready pods: 0 (the check wants 3)");
    assert_eq!(check_miss(Lang::Ko, &now), "Ready 파드: 0 (원하는 값: 3)");
    // Every condition of every lesson has words in both languages.
    for l in lesson::all().into_iter().flatten() {
        for c in l.steps.iter().flat_map(|s| &s.checks) {
            let (en, ko) = (check_condition(Lang::En, c), check_condition(Lang::Ko, c));
            assert!(!en.is_empty() && !ko.is_empty() && en != ko, "{}: {c:?}", l.id);
        }
    }
}

/// No dead end: for every lesson and every step skipped in turn (entered, then left undone), the next step, played
/// as a learner would, either passes anyway or its panel names an unmet need; going back to the step the need names
/// ("Go back to step N", which rewinds the run there) and playing on from it makes the step pass.
#[test]
fn skipping_any_step_never_leaves_the_learner_stuck() {
    let mut stuck = Vec::new();
    for l in lesson::all().into_iter().map(|l| l.unwrap_or_else(|e| panic!("{e}"))) {
        for skipped in 0..l.steps.len() - 1 {
            let mut run = l.start();
            for i in 0..skipped {
                l.play_step(&mut run).unwrap_or_else(|e| panic!("{} step {}: {e}", l.id, i + 1));
                l.enter(&mut run, i + 1);
            }
            l.enter(&mut run, skipped + 1);
            let at = format!("{}: step {} skipped, step {}", l.id, skipped + 1, skipped + 2);
            // Refused commands are part of the trap (a placeholder with no pod to name): the checks decide.
            let _ = l.play_step(&mut run);
            if l.passed(&run) {
                continue;
            }
            let unmet = l.unmet_needs(&run);
            let Some(kubeplay::scenario::lesson::Unmet { need, .. }) = unmet.first() else {
                stuck.push(format!("{at} cannot pass and says nothing about why: {:?}", l.evaluate(&run)));
                continue;
            };
            assert!(need.step <= skipped, "{at}: the need names step {}, after the skipped one", need.step + 1);
            assert!(l.restart_step(&mut run, need.step), "{at}");
            assert_eq!(run.lesson.as_ref().map(|p| p.step as usize), Some(need.step), "{at}: back on the step");
            for i in need.step..=skipped {
                l.play_step(&mut run).unwrap_or_else(|e| panic!("{at}, redoing step {}: {e}", i + 1));
                l.enter(&mut run, i + 1);
            }
            l.play_step(&mut run).unwrap_or_else(|e| panic!("{at}, after redoing: {e}"));
            assert!(l.unmet_needs(&run).is_empty(), "{at}: {:?}", l.unmet_needs(&run));
            assert!(l.passed(&run), "{at}: still fails after redoing step {}: {:?}", need.step + 1, l.evaluate(&run));
        }
    }
    assert!(stuck.is_empty(), "dead ends:\n{}", stuck.join("\n"));
}

/// "Restart this step" rewinds the cluster to where the step began and forgets what came after, so the step's
/// commands can be run again from the same state; the editor keeps the learner's text.
#[test]
fn restarting_a_step_rewinds_to_its_start() {
    use kubeplay::scenario::Action;
    let l = load("02-rolling-update");
    let mut run = l.start();
    l.play_step(&mut run).unwrap();
    l.enter(&mut run, 1);
    let entered = (run.now(), run.sim().pods("default").len());
    l.play_step(&mut run).unwrap();
    assert!(l.passed(&run));
    run.dispatch(Action::WriteFile { name: "notes.yaml".into(), text: "# mine\n".into() });
    assert!(l.restart_step(&mut run, 1));
    assert_eq!((run.now(), run.sim().pods("default").len()), entered);
    assert!(!l.passed(&run), "the step's work is undone");
    assert_eq!(run.files.0.get("notes.yaml").map(String::as_str), Some("# mine\n"), "the editor keeps its text");
    l.play_step(&mut run).unwrap();
    assert!(l.passed(&run), "{:?}", l.evaluate(&run));
}

/// Lesson 5 step 4 wants the full name to answer: an nslookup and a curl to the short name is a near miss.
#[test]
fn the_full_name_step_does_not_pass_on_the_short_name() {
    let l = load("05-clusterip-service");
    let mut near = l.start();
    for i in 0..3 {
        l.play_step(&mut near).unwrap();
        l.enter(&mut near, i + 1);
    }
    let mut right = near.clone();
    for line in ["nslookup hostname-svc-clusterip", "curl -s hostname-svc-clusterip:8080 | grep Hello"] {
        near.dispatch(kubeplay::scenario::Action::Command { line: line.into() });
    }
    assert!(!l.passed(&near), "{:?}", l.evaluate(&near));
    l.play_step(&mut right).unwrap();
    assert!(l.passed(&right), "{:?}", l.evaluate(&right));
}

/// Lesson 8's trap, as a learner met it: step 2's traffic skipped, the rollout of step 3 done, and the traffic
/// started afterwards. The need is still named (it was missing when the step began and the step cannot pass now),
/// and going back to step 2 gets the learner through.
#[test]
fn traffic_started_after_the_rollout_still_points_back_to_step_two() {
    let l = load("08-zero-downtime");
    let mut run = l.start();
    l.play_step(&mut run).unwrap();
    l.enter(&mut run, 1);
    l.enter(&mut run, 2);
    l.play_step(&mut run).unwrap();
    run.dispatch(l.steps[1].traffic.as_ref().expect("step 2 offers traffic").action());
    run.run_until(run.now() + 30_000);
    assert!(!l.passed(&run), "no request failed during a rollout nobody watched");
    let unmet = l.unmet_needs(&run);
    assert_eq!(unmet.iter().map(|u| (u.need.step, u.now)).collect::<Vec<_>>(), [(1, false)], "{unmet:?}");
    use kubeplay::i18n::{check_condition, check_miss, needs_text, Lang};
    assert_eq!(
        needs_text(
            Lang::En,
            2,
            &check_condition(Lang::En, &unmet[0].need.check),
            &check_miss(Lang::En, &unmet[0].miss),
            false
        ),
        "This step builds on step 2: at least 1 traffic generators running. It was missing when this step began: \
         traffic generators running: 0 (the check wants at least 1). What you did here happened without it."
    );
    assert!(l.restart_step(&mut run, 1));
    l.play_step(&mut run).unwrap();
    l.enter(&mut run, 2);
    l.play_step(&mut run).unwrap();
    assert!(l.passed(&run), "{:?}", l.evaluate(&run));
    assert!(l.unmet_needs(&run).is_empty());
}

/// Each step's checks against its goal: for every step of every lesson, something a learner might do instead that
/// comes close but is not what the goal says, and must not pass. (Where kubectl makes two spellings the same
/// command or the same result, as `rollout undo` and setting the old image back are, there is no near miss to
/// find, and the row names a different one.)
#[test]
fn a_near_miss_never_passes_a_step() {
    let rows: &[(&str, usize, &[&str])] = &[
        (
            "01-deployment-basics",
            1,
            &["kubectl apply -f my-nginx-deployment.yaml", "kubectl scale deployment my-nginx-deployment --replicas=2"],
        ),
        ("01-deployment-basics", 2, &["kubectl get deployment,replicaset"]),
        (
            "01-deployment-basics",
            3,
            &[
                "kubectl scale deployment my-nginx-deployment --replicas=4",
                "kubectl scale deployment my-nginx-deployment --replicas=3",
            ],
        ),
        ("01-deployment-basics", 4, &["kubectl delete pods -l app=my-nginx"]),
        (
            "02-rolling-update",
            1,
            &[
                "kubectl apply -f my-nginx-deployment.yaml",
                "kubectl set image deployment my-nginx-deployment nginx=nginx:1.11",
            ],
        ),
        (
            "02-rolling-update",
            2,
            &[
                "kubectl set image deployment my-nginx-deployment nginx=nginx:1.11",
                "kubectl scale deployment my-nginx-deployment --replicas=2",
            ],
        ),
        ("02-rolling-update", 3, &["kubectl set image deployment my-nginx-deployment nginx=nginx:1.12"]),
        ("02-rolling-update", 4, &["kubectl set image deployment my-nginx-deployment nginx=nginx:1.13"]),
        ("03-history-and-rollback", 1, &["kubectl apply -f my-nginx-deployment.yaml"]),
        (
            "03-history-and-rollback",
            2,
            &["kubectl annotate deployment my-nginx-deployment kubernetes.io/change-cause=\"nginx 1.11\" --overwrite"],
        ),
        ("03-history-and-rollback", 3, &["kubectl rollout status deployment my-nginx-deployment"]),
        ("03-history-and-rollback", 4, &["kubectl rollout undo deployment my-nginx-deployment --to-revision=2"]),
        ("03-history-and-rollback", 5, &["kubectl describe pods"]),
        (
            "04-failed-rollout",
            1,
            &[
                "kubectl apply -f my-nginx-deployment.yaml",
                "kubectl set image deployment my-nginx-deployment nginx=nginx:1.11",
            ],
        ),
        ("04-failed-rollout", 2, &["kubectl set image deployment my-nginx-deployment nginx=nginx:1.11"]),
        ("04-failed-rollout", 3, &["kubectl get deployment my-nginx-deployment"]),
        ("04-failed-rollout", 4, &["kubectl rollout undo deployment my-nginx-deployment --to-revision=2"]),
        ("05-clusterip-service", 1, &["kubectl apply -f hostname-svc-clusterip.yaml"]),
        ("05-clusterip-service", 2, &["kubectl get services"]),
        (
            "05-clusterip-service",
            3,
            &[
                "kubectl run -i --tty --rm debug --image=alicek106/ubuntu:curl --restart=Never -- bash",
                "curl -s hostname-svc-clusterip:8080",
            ],
        ),
        ("05-clusterip-service", 4, &["nslookup hostname-svc-clusterip", "curl -s hostname-svc-clusterip:8080"]),
        ("05-clusterip-service", 5, &["kubectl get service kubernetes"]),
        ("06-nodeport-service", 1, &["kubectl apply -f hostname-svc-nodeport.yaml"]),
        ("06-nodeport-service", 2, &["kubectl apply -f hostname-svc-nodeport-auto.yaml"]),
        ("06-nodeport-service", 3, &["curl -s 172.18.0.2:31514"]),
        ("06-nodeport-service", 4, &["kubectl get services"]),
        ("07-loadbalancer-service", 1, &["kubectl apply -f hostname-svc-lb.yaml"]),
        ("07-loadbalancer-service", 2, &["kubectl get services"]),
        ("07-loadbalancer-service", 3, &["kubectl describe service hostname-svc-lb"]),
        ("07-loadbalancer-service", 4, &["curl -s hostname-svc-lb"]),
        ("08-zero-downtime", 1, &["kubectl apply -f web.yaml"]),
        ("08-zero-downtime", 2, &["kubectl get pods"]),
        ("08-zero-downtime", 3, &["kubectl scale deployment web --replicas=4"]),
        ("08-zero-downtime", 4, &["kubectl rollout restart deployment web"]),
        ("08-zero-downtime", 5, &["kubectl get pods"]),
    ];
    let mut covered = std::collections::BTreeSet::new();
    for (id, step, lines) in rows {
        let index = step - 1;
        let (l, run) = typed_on_step(id, index, lines, 60_000);
        assert!(!l.passed(&run), "{id} step {step}: the near miss {lines:?} passes: {:?}", l.evaluate(&run));
        covered.insert((id.to_string(), index));
    }
    for l in lesson::all().into_iter().flatten() {
        for i in 0..l.steps.len() {
            assert!(covered.contains(&(l.id.clone(), i)), "{} step {} has no near miss in the table", l.id, i + 1);
        }
    }
}
