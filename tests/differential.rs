//! Real kubectl judges kubeplay's kubectl (issue 20). Each line of `tests/differential/client-side.txt` is one kubectl
//! decides before it talks to the API server; it runs through kubeplay's engine and through real kubectl v1.35 (which
//! `cargo xtask setup --browser`, part of `cargo xtask test`, installs into `.tools/`), and stdout, stderr and the exit
//! code must be identical. kubeplay's own hint lines are dropped first, as `--no-hints` does.
#![cfg(not(target_arch = "wasm32"))]

use kubeplay::cluster::Settings;
use kubeplay::kubectl::{self, Context, NoFiles};
use kubeplay::sim::Sim;
use std::path::{Path, PathBuf};
use std::process::Command;

const KUBECTL: &str = ".tools/kubectl/v1.35.2/kubectl";

/// Real kubectl: `KUBEPLAY_REAL_KUBECTL`, else where the setup puts it.
fn real_kubectl() -> PathBuf {
    let path = std::env::var_os("KUBEPLAY_REAL_KUBECTL")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(KUBECTL));
    assert!(
        path.exists(),
        "real kubectl is not at {}: run `cargo xtask setup --browser` (or set KUBEPLAY_REAL_KUBECTL)",
        path.display()
    );
    path
}

/// A scratch folder with a kubeconfig whose server nothing listens on, so a line that needs the server shows it.
fn sandbox() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kubeplay-differential-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("home")).unwrap();
    std::fs::write(
        dir.join("kubeconfig"),
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: \"http://127.0.0.1:9\"}\n\
         contexts:\n- name: c\n  context: {cluster: c, user: u, namespace: default}\ncurrent-context: c\n\
         users:\n- name: u\n  user: {}\n",
    )
    .unwrap();
    dir
}

/// What a line printed, as `$ line`, stdout, stderr and `[exit N]`.
fn shown(line: &str, stdout: &str, stderr: &str, code: i32) -> String {
    format!("$ {line}\n{stdout}{stderr}[exit {code}]\n")
}

fn real(kubectl: &Path, dir: &Path, line: &str) -> String {
    let words = kubectl::words::split(line).expect("a corpus line splits");
    let out = Command::new(kubectl)
        .args(&words[1..])
        .current_dir(dir)
        .env_clear()
        .env("KUBECONFIG", dir.join("kubeconfig"))
        .env("HOME", dir.join("home"))
        .output()
        .expect("real kubectl runs");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(
        !stderr.contains("connection to the server") && !stderr.contains("127.0.0.1:9"),
        "`{line}` needs the API server; it does not belong in client-side.txt:\n{stderr}"
    );
    shown(line, &stdout, &stderr, out.status.code().unwrap_or(-1))
}

fn ours(line: &str) -> String {
    let mut sim = Sim::new(Settings::default());
    let out = kubectl::run(&mut sim, line, &Context { files: &NoFiles, stdin: None, live: false });
    let stderr = out.warnings + &out.stderr;
    shown(line, &kubectl::without_hints(&out.stdout), &kubectl::without_hints(&stderr), out.code)
}

#[test]
fn lines_kubectl_decides_without_a_server_print_what_real_kubectl_prints() {
    let kubectl = real_kubectl();
    let dir = sandbox();
    let corpus =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/differential/client-side.txt"))
            .unwrap();
    let lines: Vec<&str> = corpus.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).collect();
    assert!(lines.len() >= 25, "the corpus lost lines");
    let mut differ = Vec::new();
    for line in &lines {
        let (want, got) = (real(&kubectl, &dir, line), ours(line));
        if want != got {
            differ.push(format!("real kubectl:\n{want}kubeplay:\n{got}"));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(differ.is_empty(), "{} of {} lines differ:\n\n{}", differ.len(), lines.len(), differ.join("\n"));
}

// ---- Scripts: `kubeplay run` against real kubectl talking to `kubeplay cluster --manual` ----

mod server_side {
    use kubeplay::cli;
    use kubeplay::cluster::Settings;
    use kubeplay::kubectl::{self, Context};
    use kubeplay::server::{self, Cluster, Options, Time};
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};
    use std::process::{Command, Stdio};

    /// A folder for one script's real run: the kubeconfig, kubectl's discovery cache, a HOME, and a `bin` whose
    /// `kubectl` is the real one (so `| grep` and friends are the system's).
    struct Sandbox {
        dir: PathBuf,
    }

    impl Sandbox {
        fn new(name: &str, url: &str, kubectl: &Path) -> Sandbox {
            let dir = std::env::temp_dir().join(format!("kubeplay-server-diff-{}-{name}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join("bin")).unwrap();
            std::fs::create_dir_all(dir.join("home")).unwrap();
            std::fs::write(dir.join("kubeconfig"), server::kubeconfig(url)).unwrap();
            std::os::unix::fs::symlink(kubectl, dir.join("bin/kubectl")).unwrap();
            Sandbox { dir }
        }

        /// Runs `line` in bash with real kubectl, stdout and stderr into one pipe as a terminal shows them. A line
        /// still running after two minutes is stopped (with everything it started) and reported in the transcript.
        fn bash(&self, line: &str, stdin: Option<&str>, cwd: &Path) -> String {
            use std::os::unix::process::CommandExt;
            let (mut reader, writer) = std::io::pipe().unwrap();
            let mut child = Command::new("bash")
                .arg("-c")
                .arg(line)
                .current_dir(cwd)
                .env_clear()
                .env("PATH", format!("{}:/usr/bin:/bin", self.dir.join("bin").display()))
                .env("KUBECONFIG", self.dir.join("kubeconfig"))
                .env("KUBECACHEDIR", self.dir.join("cache"))
                .env("HOME", self.dir.join("home"))
                .env("TZ", "UTC")
                .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
                .stdout(writer.try_clone().unwrap())
                .stderr(writer)
                .process_group(0)
                .spawn()
                .expect("bash runs");
            if let Some(text) = stdin {
                use std::io::Write;
                let mut input = child.stdin.take().unwrap();
                input.write_all(text.as_bytes()).unwrap();
            }
            let mut out = String::new();
            use std::io::Read;
            // The pipe ends when the child (and anything it started) closed it.
            let (tx, rx) = std::sync::mpsc::channel();
            let reading = std::thread::spawn(move || {
                let mut buf = Vec::new();
                let _ = reader.read_to_end(&mut buf);
                let _ = tx.send(());
                buf
            });
            if rx.recv_timeout(std::time::Duration::from_secs(120)).is_err() {
                let _ = Command::new("kill").arg("-9").arg(format!("-{}", child.id())).status();
                let _ = child.wait();
                let _ = reading.join();
                return format!("[the harness stopped `{line}` after 2 minutes]\n");
            }
            let _ = child.wait();
            out.push_str(&String::from_utf8_lossy(&reading.join().unwrap()));
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            out
        }
    }

    impl Drop for Sandbox {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    /// Whether a kubectl line opens an interactive shell (`run -it … -- bash`, `exec -it … -- sh`): real kubectl
    /// needs a terminal for it, so the harness plays such a session through kubeplay's engine on the served cluster.
    fn interactive(words: &[String]) -> bool {
        let tty = words.iter().any(|w| w == "-it" || w == "-ti" || w == "--tty" || w == "-t");
        let shell = words.last().is_some_and(|w| w == "bash" || w == "sh");
        tty && shell
    }

    /// Whether a kubectl line is `port-forward`: `kubeplay cluster` serves no `pods/portforward` tunnel (real kubectl
    /// would keep it open in the foreground anyway), so the harness runs it through kubeplay's engine on the served
    /// cluster, where the workstation's `curl localhost:PORT` that follows reaches the pod.
    fn port_forward(words: &[String]) -> bool {
        words.get(1).is_some_and(|w| w == "port-forward")
    }

    /// A script run as real kubectl commands against `kubeplay cluster --manual`; the transcript `kubeplay run`
    /// prints.
    pub fn real_transcript(kubectl: &Path, name: &str, text: &str, base: &Path, settings: Settings) -> String {
        let cluster = Cluster::start(&Options {
            address: std::net::IpAddr::from([127, 0, 0, 1]),
            port: 0,
            settings,
            time: Time::Manual,
        })
        .expect("the cluster starts");
        let sandbox = Sandbox::new(name, &cluster.url(), kubectl);
        // The script runs in a copy of its folder: what its redirections write (`> web.yaml`) stays there.
        let work = sandbox.dir.join("work");
        std::fs::create_dir_all(&work).unwrap();
        for entry in std::fs::read_dir(base).unwrap().flatten() {
            if entry.path().is_file() {
                std::fs::copy(entry.path(), work.join(entry.file_name())).unwrap();
            }
        }
        let base = work.as_path();
        let files = cli::DiskFiles { base: base.to_path_buf() };
        let mut terminal = kubectl::Terminal::default();
        let mut out = String::new();
        let mut pending: Option<(String, String, String)> = None;
        for line in text.lines() {
            if let Some((command, marker, mut body)) = pending.take() {
                if line.trim() == marker {
                    out.push_str(&sandbox.bash(&command, Some(&body), base));
                } else {
                    body.push_str(line);
                    body.push('\n');
                    pending = Some((command, marker, body));
                }
                continue;
            }
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let in_session = terminal.session.is_some();
            let prompt = cluster.with_sim(|sim| terminal.prompt(sim));
            out.push_str(&format!("{prompt}{trimmed}\n"));
            let words = kubectl::words::split(trimmed).unwrap_or_default();
            let kubeplays = |terminal: &mut kubectl::Terminal| {
                let o = cluster
                    .with_sim(|sim| terminal.run(sim, trimmed, &Context { files: &files, stdin: None, live: false }));
                let mut stdout = o.stdout;
                if !stdout.is_empty() && !stdout.ends_with('\n') {
                    stdout.push('\n');
                }
                kubectl::without_hints(&(o.warnings + &stdout + &o.stderr))
            };
            if in_session {
                out.push_str(&kubeplays(&mut terminal));
                continue;
            }
            if let Some((command, marker)) = trimmed.split_once("<<") {
                let marker = marker.trim().trim_start_matches('-').trim_matches(|c| c == '\'' || c == '"').to_string();
                pending = Some((command.trim().to_string(), marker, String::new()));
                continue;
            }
            match words.first().map(String::as_str) {
                Some("sleep") => {
                    let by: String = words[1..].concat();
                    server::request_advance(&cluster.url(), &by).expect("advance");
                }
                Some("kubectl") if !interactive(&words) && !port_forward(&words) => {
                    out.push_str(&sandbox.bash(trimmed, None, base))
                }
                Some("cat") => out.push_str(&sandbox.bash(trimmed, None, base)),
                // Workstation curl, nslookup, interactive shells: kubeplay's own engine, on the served cluster.
                _ => out.push_str(&kubeplays(&mut terminal)),
            }
        }
        cluster.stop();
        out
    }

    /// The allowed differences: rule names, and scripts to skip.
    pub struct Allowed {
        pub rules: BTreeSet<String>,
        pub skip: BTreeSet<String>,
    }

    pub fn allowed() -> Allowed {
        let text =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/differential/server-side.txt"))
                .unwrap();
        let mut a = Allowed { rules: BTreeSet::new(), skip: BTreeSet::new() };
        for line in text.lines() {
            let first = |rest: &str| rest.split_whitespace().next().unwrap_or("").to_string();
            if let Some(rest) = line.strip_prefix("rule ") {
                a.rules.insert(first(rest));
            } else if let Some(rest) = line.strip_prefix("skip ") {
                a.skip.insert(first(rest));
            }
        }
        a
    }

    /// Applies one rule to a transcript; returns whether it changed anything.
    pub fn normalise(rule: &str, text: &mut String) -> bool {
        let before = text.clone();
        match rule {
            "describe-wall-clock-age" => {
                // Which table a line is in: describe's Events (age third) or a node's Non-terminated Pods (age last).
                #[derive(PartialEq)]
                enum In {
                    Nothing,
                    Events,
                    NodePods,
                }
                let mut table = In::Nothing;
                let mut out = String::new();
                for line in text.lines() {
                    let mut line = line.to_string();
                    if let Some(at) = line.find("Terminating (lasts ") {
                        line = format!("{}Terminating (lasts *)", &line[..at]);
                    }
                    let line = line.as_str();
                    if line.starts_with("Events:") {
                        table = In::Events;
                    } else if line.starts_with("Non-terminated Pods:") {
                        table = In::NodePods;
                    } else if !line.starts_with("  ") {
                        table = In::Nothing;
                    }
                    // The rows and the two header lines: an age column's width follows the ages, so every column
                    // after it moves; fields are compared, not padding.
                    if table != In::Nothing && line.starts_with("  ") && !line.starts_with("   ") {
                        let mut fields: Vec<&str> = line.split("  ").map(str::trim).filter(|f| !f.is_empty()).collect();
                        let header =
                            fields.first().is_some_and(|f| ["Type", "----", "Namespace", "---------"].contains(f));
                        if !header {
                            match table {
                                In::Events if fields.len() >= 3 => fields[2] = "*",
                                In::NodePods if fields.len() >= 2 => *fields.last_mut().unwrap() = "*",
                                _ => {}
                            }
                        }
                        out.push_str(&format!("  {}\n", fields.join(" | ")));
                    } else {
                        out.push_str(line);
                        out.push('\n');
                    }
                }
                *text = out;
            }
            "api-server-url" => {
                let mut out = String::new();
                for line in text.lines() {
                    let line = match line.find("://127.0.0.1:") {
                        Some(at) => {
                            let start = line[..at].rfind(' ').map_or(0, |s| s + 1);
                            let rest = &line[at + "://127.0.0.1:".len()..];
                            let end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
                            format!("{}<api-server>{}", &line[..start], &rest[end..])
                        }
                        None => line.to_string(),
                    };
                    out.push_str(&line);
                    out.push('\n');
                }
                *text = out;
            }
            "diff-temp-files" => {
                // `/tmp/LIVE-123/…` and `/tmp/MERGED-456/…`, and the files' times on the `---`/`+++` lines.
                let mut out = String::new();
                for line in text.lines() {
                    let mut line = line.to_string();
                    for dir in ["/tmp/LIVE-", "/tmp/MERGED-"] {
                        while let Some(at) =
                            line.find(dir).filter(|at| line[at + dir.len()..].starts_with(|c: char| c.is_ascii_digit()))
                        {
                            let rest = &line[at + dir.len()..];
                            let end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
                            line = format!("{}{dir}*{}", &line[..at], &rest[end..]);
                        }
                    }
                    if line.starts_with("--- /tmp/") || line.starts_with("+++ /tmp/") {
                        if let Some(tab) = line.find('\t') {
                            line.truncate(tab);
                            line.push_str("\t*");
                        }
                    }
                    out.push_str(&line);
                    out.push('\n');
                }
                *text = out;
            }
            other => panic!("tests/differential/server-side.txt lists rule {other:?}, which the harness does not know"),
        }
        *text != before
    }
}

/// Every script of tests/scripts and the generated corpus, run through `kubeplay run` and as real kubectl commands
/// against `kubeplay cluster --manual`: the transcripts must be identical but for the differences
/// tests/differential/server-side.txt allows, and every difference it allows must still be needed.
#[test]
fn scripts_print_the_same_through_real_kubectl_against_kubeplay_cluster() {
    let kubectl = real_kubectl();
    let allowed = server_side::allowed();
    let scripts_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scripts");
    let mut scripts: Vec<(String, String)> = std::fs::read_dir(&scripts_dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    scripts.sort();
    let written = scripts.len();
    let corpus = generated_corpus(20);
    assert!(corpus.len() >= 200, "the generated corpus shrank");
    scripts.extend(corpus);
    let only = std::env::var("KUBEPLAY_DIFF_ONLY").ok();
    let mut used = std::collections::BTreeSet::new();
    let mut differ = Vec::new();
    let mut ran = 0;
    for (name, text) in &scripts {
        if allowed.skip.contains(name) {
            used.insert(format!("skip {name}"));
            continue;
        }
        if only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        ran += 1;
        let settings = kubeplay::cluster::Settings::default();
        let files = kubeplay::cli::DiskFiles { base: scripts_dir.clone() };
        let (mut ours, _) = kubeplay::cli::run_script_with(text, settings.clone(), &files, false);
        let mut theirs = server_side::real_transcript(&kubectl, name, text, &scripts_dir, settings);
        for rule in &allowed.rules {
            let a = server_side::normalise(rule, &mut ours);
            let b = server_side::normalise(rule, &mut theirs);
            if a || b {
                used.insert(format!("rule {rule}"));
            }
        }
        if ours != theirs {
            differ.push(format!("{name}: {}", first_difference(&theirs, &ours)));
        }
    }
    assert!(ran > 0, "no script ran");
    assert!(
        differ.is_empty(),
        "{} of {ran} scripts ({written} written, the rest generated) differ:\n\n{}",
        differ.len(),
        differ.join("\n\n")
    );
    if only.is_none() {
        for r in
            allowed.rules.iter().map(|r| format!("rule {r}")).chain(allowed.skip.iter().map(|s| format!("skip {s}")))
        {
            assert!(
                used.contains(&r),
                "tests/differential/server-side.txt allows `{r}`, which no script needs any more"
            );
        }
    }
}

/// The first differing line of two transcripts, with a little context.
fn first_difference(real: &str, ours: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (real.lines().collect(), ours.lines().collect());
    let at = a.iter().zip(&b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
    let from = at.saturating_sub(4);
    let show = |v: &[&str]| v[from.min(v.len())..(at + 6).min(v.len())].join("\n");
    format!("line {}:\n--- real kubectl:\n{}\n--- kubeplay:\n{}", at + 1, show(&a), show(&b))
}

// ---- The generated corpus ----

/// SplitMix64, seeded: the corpus is the same on every run.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// What a generated script works on: the Deployment its setup made, its label and its container.
struct World {
    deploy: &'static str,
    app: &'static str,
    container: &'static str,
}

/// The number of generated scripts.
const GENERATED: usize = 200;

/// A seeded corpus of scripts over every verb kubeplay's kubectl speaks, successes and errors: a setup from
/// tests/scripts, then commands drawn from the table below, with sleeps between some of them.
fn generated_corpus(seed: u64) -> Vec<(String, String)> {
    let mut g = Gen(seed);
    let worlds = [
        World { deploy: "my-nginx-deployment", app: "my-nginx", container: "nginx" },
        World { deploy: "hostname-deployment", app: "webserver", container: "my-webserver" },
    ];
    let mut out = Vec::new();
    for n in 0..GENERATED {
        let w = &worlds[g.below(worlds.len())];
        let mut lines = vec![format!("# generated script {n} (seed {seed})")];
        match w.deploy {
            "my-nginx-deployment" => lines.push("kubectl apply -f my-nginx-deployment.yaml".into()),
            _ => {
                lines.push("kubectl apply -f services.yaml".into());
            }
        }
        lines.push(format!("sleep {}", g.pick(&["5s", "15s", "30s"])));
        let count = 4 + g.below(6);
        // Real kubectl's `rollout status` of a paused Deployment waits for ever; kubeplay's gives up when nothing is
        // left to happen. The corpus does not ask it.
        let mut paused = false;
        // Likewise `logs` and `exec` of a Deployment without pods wait for one on kubectl's wall clock (20 s, 1 m)
        // while a manual-time cluster runs ahead to its next timers; the corpus does not ask them then.
        let mut no_pods = false;
        for _ in 0..count {
            let line = command(&mut g, w);
            if paused && line.starts_with("kubectl rollout status") {
                continue;
            }
            let waits_for_a_pod = line.starts_with("kubectl logs deploy") || line.starts_with("kubectl exec deploy");
            if no_pods && waits_for_a_pod {
                continue;
            }
            if line.starts_with("kubectl scale") {
                no_pods = line.ends_with("--replicas=0");
            } else if line.starts_with("kubectl delete rs") || line.contains("--cascade=orphan") {
                no_pods = false;
            }
            if line.starts_with("kubectl rollout pause") {
                paused = true;
            } else if line.starts_with("kubectl rollout resume") || line.starts_with("kubectl delete deployment") {
                paused = false;
            }
            lines.push(line);
            if g.below(3) == 0 {
                lines.push(format!("sleep {}", g.pick(&["1s", "5s", "10s", "30s", "2m"])));
            }
        }
        out.push((format!("generated-{n:03}"), lines.join("\n") + "\n"));
    }
    out
}

fn command(g: &mut Gen, w: &World) -> String {
    let (d, app, c) = (w.deploy, w.app, w.container);
    match g.below(24) {
        0 | 1 => {
            let kind = g.pick(&[
                "pods",
                "deploy",
                "rs",
                "svc",
                "ep",
                "endpointslices",
                "nodes",
                "ns",
                "all",
                "cm",
                "secrets",
                "deployment,replicaset",
                "events",
            ]);
            let out = g.pick(&["", " -o wide", " -o name", " --show-labels", " --no-headers", " -A"]);
            format!("kubectl get {kind}{out}")
        }
        2 => {
            let out = g.pick(&[
                " -o yaml",
                " -o json",
                " -o jsonpath='{.spec.replicas}'",
                " -o jsonpath='{.status.availableReplicas}'",
                " -o custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas",
                " -o wide",
                "",
            ]);
            let target = g.pick(&["deployment", "deploy", "deployments.apps"]);
            format!("kubectl get {target} {d}{out}")
        }
        3 => {
            let what = g.pick(&["pods", "rs", "pods -o name", "pods -o wide", "all"]);
            format!("kubectl get {what} -l app={app}")
        }
        4 => g
            .pick(&[
                "kubectl get pod nope",
                "kubectl get deploy nope -o yaml",
                "kubectl get foo",
                "kubectl get svc nope nada",
            ])
            .to_string(),
        5 | 6 => {
            let what = g.pick(&["deployment", "rs -l", "pods -l", "node", "service", "nope"]);
            match what {
                "deployment" => format!("kubectl describe deployment {d}"),
                "rs -l" => format!("kubectl describe rs -l app={app}"),
                "pods -l" => format!("kubectl describe pods -l app={app}"),
                "node" => "kubectl describe node kubeplay-worker".into(),
                "service" => "kubectl describe service kubernetes".into(),
                _ => "kubectl describe pod nope".into(),
            }
        }
        7 => format!("kubectl scale deployment {d} --replicas={}", g.below(6)),
        8 => {
            let tag = g.pick(&["1.11", "1.12", "1.10"]);
            match g.below(4) {
                0 => format!("kubectl set image deployment {d} nope=nginx:{tag}"),
                1 => format!("kubectl set image deployment/{d} {c}=nginx:{tag} --record"),
                _ => format!("kubectl set image deployment {d} {c}=nginx:{tag}"),
            }
        }
        9 => format!("kubectl rollout status deployment {d}"),
        10 => match g.below(3) {
            0 => format!("kubectl rollout history deployment {d}"),
            1 => format!("kubectl rollout history deployment {d} --revision=1"),
            _ => format!("kubectl rollout history deployment/{d} --revision=7"),
        },
        11 => match g.below(3) {
            0 => format!("kubectl rollout undo deployment {d}"),
            1 => format!("kubectl rollout undo deployment {d} --to-revision=1"),
            _ => format!("kubectl rollout undo deployment {d} --to-revision=9"),
        },
        12 => format!("kubectl rollout {} deployment {d}", g.pick(&["pause", "resume"])),
        13 => {
            let kind = g.pick(&["", " --type=NodePort", " --type=LoadBalancer"]);
            let name = g.pick(&["", " --name=web"]);
            format!("kubectl expose deployment {d} --port=80{kind}{name}")
        }
        14 => match g.below(4) {
            0 => format!("kubectl label deployment {d} tier=web"),
            1 => format!("kubectl label deployment {d} tier=api --overwrite"),
            2 => format!("kubectl label deployment {d} tier-"),
            _ => format!("kubectl label pods -l app={app} env=dev"),
        },
        15 => format!("kubectl annotate deployment {d} note={}", g.pick(&["hi", "again"])),
        16 => match g.below(5) {
            0 => format!("kubectl delete deployment {d}"),
            1 => "kubectl delete pod nope".into(),
            2 => "kubectl delete service web".into(),
            3 => format!("kubectl delete deployment {d} --cascade=orphan"),
            _ => format!("kubectl delete rs -l app={app}"),
        },
        // Not `logs -l`: real kubectl reads several pods' logs in Go's random map order, so its transcript differs
        // from run to run.
        17 => match g.below(3) {
            0 => format!("kubectl logs deployment/{d}"),
            1 => format!("kubectl logs deployment/{d} --tail=1"),
            _ => "kubectl logs nope".into(),
        },
        18 => match g.below(4) {
            0 => format!("kubectl exec deployment/{d} -- hostname"),
            1 => format!("kubectl exec deploy/{d} -- cat /etc/hostname"),
            2 => format!("kubectl exec deploy/{d} -- sh -c 'exit 2'"),
            _ => "kubectl exec nope -- ls".into(),
        },
        19 => match g.below(3) {
            0 => "kubectl run debug --image=busybox -- sleep 3600".into(),
            1 => "kubectl run web --image=nginx:1.10 --port=80 --labels=app=web".into(),
            _ => "kubectl run bad --image=nginx:nope".into(),
        },
        20 => match g.below(3) {
            0 => "kubectl apply -f my-nginx-deployment.yaml".into(),
            1 => "kubectl create -f my-nginx-deployment.yaml".into(),
            _ => "kubectl apply -f hostname-svc-nodeport.yaml".into(),
        },
        22 => {
            let path = g.pick(&[
                "deployment",
                "deployment.spec.strategy",
                "deploy.spec.strategy.rollingUpdate.maxSurge",
                "pod.spec.containers",
                "pod.spec.containers.resources",
                "svc.spec.type",
                "service.spec.ports",
                "rs.spec.template.spec.containers.ports",
                "ep",
                "endpointslice.endpoints",
                "node.status",
                "deploy.spec.nope",
                "nope",
                "deployment.spec --recursive",
                "deploy --api-version=apps/v2",
            ]);
            format!("kubectl explain {path}")
        }
        _ => g
            .pick(&[
                "kubectl api-resources",
                "kubectl api-resources --namespaced=false",
                "kubectl cluster-info",
                "kubectl get ns",
            ])
            .to_string(),
    }
}
