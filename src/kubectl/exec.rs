//! `kubectl exec POD [-c CONTAINER] -- COMMAND [ARGS…]` (`pkg/cmd/exec/exec.go`): runs a command in a running
//! container and prints what it prints, with `command terminated with exit code N` when it fails.
//!
//! Commands run against what kubeplay knows of the container: its hostname, the files the kubelet writes
//! (`/etc/hosts`, `/etc/resolv.conf`, `/etc/hostname`, the service-account volume), the image's own files that
//! learners look at (nginx's html directory and welcome page), and the environment the kubelet builds (the
//! container's variables resolved, and the Service links of Services that existed when the pod started).
//! `echo`, `cat`, `ls`, `env`, `printenv`, `hostname`, `date`, `id`, `whoami`, `sleep`, `true`, `false`, `nginx -v` and
//! `sh -c` / `bash -c` scripts of those are simulated. Network tools (`curl`, `wget`, `nslookup`, `ping`) are not
//! simulated yet and say so. Any other program is not found in `$PATH`, as the runtime reports it.

use super::curl;
use super::flags::{flag, val, Parsed, Spec};
use super::{namespace, resources, Output};
use crate::api::{self, Pod};
use crate::cluster::admission;
use crate::cluster::images::{self, Image, Pull};
use crate::cluster::store::Kind;
use crate::controllers::pods;
use crate::sim::Sim;

pub const FLAGS: &[Spec] = &[
    val("container", Some('c')),
    flag("stdin", Some('i')),
    flag("tty", Some('t')),
    flag("quiet", Some('q')),
    val("pod-running-timeout", None),
];

/// What one simulated command printed and how it ended.
struct Ran {
    stdout: String,
    stderr: String,
    code: i32,
}

impl Ran {
    fn ok(stdout: impl Into<String>) -> Ran {
        Ran { stdout: stdout.into(), stderr: String::new(), code: 0 }
    }
    fn fail(stderr: impl Into<String>, code: i32) -> Ran {
        Ran { stdout: String::new(), stderr: stderr.into(), code }
    }
}

/// The container a command runs in, and what kubeplay knows of it.
struct Sandbox<'a> {
    sim: &'a mut Sim,
    pod: &'a Pod,
    container: &'a api::Container,
    image: Image,
    tag: String,
    /// Standard output is a terminal (`-t`, or an interactive session).
    tty: bool,
    /// An interactive shell reads the commands (its "not found" wording differs from `sh -c`'s).
    interactive: Option<&'a str>,
}

const DEBIAN_ROOT: &str =
    "bin\nboot\ndev\netc\nhome\nlib\nlib64\nmedia\nmnt\nopt\nproc\nroot\nrun\nsbin\nsrv\nsys\ntmp\nusr\nvar\n";
const BUSYBOX_ROOT: &str = "bin\ndev\netc\nhome\nlib\nlib64\nproc\nroot\nsys\ntmp\nusr\nvar\n";

impl Sandbox<'_> {
    fn hostname(&self) -> String {
        let spec = self.pod.spec.as_ref();
        spec.and_then(|s| s.hostname.clone())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| api::name_of(&self.pod.metadata).to_string())
    }

    fn ip(&self) -> String {
        self.pod.status.as_ref().and_then(|s| s.pod_ip.clone()).unwrap_or_default()
    }

    fn is_busybox(&self) -> bool {
        self.image.repository == "busybox"
    }

    fn is_nginx(&self) -> bool {
        self.image.repository == "nginx"
    }

    /// The kubelet's `/etc/hosts` (`managedHostsFileContent`).
    fn hosts(&self) -> String {
        format!(
            "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n{}\t{}\n",
            self.ip(),
            self.hostname()
        )
    }

    /// The kubelet's `/etc/resolv.conf` for `dnsPolicy: ClusterFirst`.
    fn resolv(&self) -> String {
        let ns = api::namespace_of(&self.pod.metadata);
        format!(
            "search {ns}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
        )
    }

    fn file(&self, path: &str) -> Option<String> {
        let sa = admission::TOKEN_MOUNT_PATH;
        let mounted = self.container.volume_mounts.iter().flatten().any(|m| m.mount_path == sa);
        match path {
            "/etc/hostname" => Some(format!("{}\n", self.hostname())),
            "/etc/hosts" => Some(self.hosts()),
            "/etc/resolv.conf" => Some(self.resolv()),
            p if mounted && p == format!("{sa}/namespace") => Some(api::namespace_of(&self.pod.metadata).to_string()),
            "/usr/share/nginx/html/index.html" if self.is_nginx() => Some(
                crate::net::http::nginx_welcome(images::nginx_version(&self.tag).map_or(25, |v| v.0)),
            ),
            "/etc/os-release" if !self.is_busybox() => Some(
                "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL=\"https://www.debian.org/\"\nSUPPORT_URL=\"https://www.debian.org/support\"\nBUG_REPORT_URL=\"https://bugs.debian.org/\"\n".into(),
            ),
            _ => None,
        }
    }

    fn dir(&self, path: &str) -> Option<String> {
        let sa = admission::TOKEN_MOUNT_PATH;
        let mounted = self.container.volume_mounts.iter().flatten().any(|m| m.mount_path == sa);
        match path.trim_end_matches('/') {
            "" | "/" if self.is_busybox() => Some(BUSYBOX_ROOT.into()),
            "" | "/" if self.is_nginx() => {
                Some(DEBIAN_ROOT.replace("boot\n", "boot\ndocker-entrypoint.d\ndocker-entrypoint.sh\n"))
            }
            "" | "/" => Some(DEBIAN_ROOT.into()),
            "/usr/share/nginx/html" if self.is_nginx() => Some("50x.html\nindex.html\n".into()),
            p if mounted && p == sa => Some("ca.crt\nnamespace\ntoken\n".into()),
            _ => None,
        }
    }

    /// The environment the process sees: PATH, HOSTNAME and the image's variables, the container's variables
    /// (references resolved), the Service links (the kubelet's map has no order; kubeplay's is by Service), HOME.
    fn env(&self) -> Vec<(String, String)> {
        let mut env = vec![
            ("PATH".to_string(), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string()),
            ("HOSTNAME".to_string(), self.hostname()),
        ];
        // The image's own variables come next (of nginx's, its version).
        if self.is_nginx() {
            if let Some(v) = nginx_version(&self.tag) {
                env.push(("NGINX_VERSION".into(), v));
            }
        }
        let ns = api::namespace_of(&self.pod.metadata);
        let store = self.sim.cluster().store();
        for e in self.container.env.iter().flatten() {
            let value = match &e.value_from {
                None => e.value.clone().unwrap_or_default(),
                Some(from) => {
                    if let Some(f) = &from.field_ref {
                        super::describe::field_value(self.pod, &f.field_path)
                    } else if let Some(r) = &from.config_map_key_ref {
                        match store
                            .get::<api::ConfigMap>(ns, &r.name)
                            .and_then(|c| c.data.as_ref()?.get(&r.key).cloned())
                        {
                            Some(v) => v,
                            None => continue,
                        }
                    } else if let Some(r) = &from.secret_key_ref {
                        match store.get::<api::Secret>(ns, &r.name).and_then(|s| s.data.as_ref()?.get(&r.key).cloned())
                        {
                            Some(b) => String::from_utf8_lossy(&b.0).into_owned(),
                            None => continue,
                        }
                    } else {
                        continue;
                    }
                }
            };
            env.push((e.name.clone(), value));
        }
        // Service links (`getServiceEnvVarMap`): Services of the namespace that existed when the pod was created.
        if self.pod.spec.as_ref().and_then(|s| s.enable_service_links).unwrap_or(true) {
            let born = self.pod.metadata.creation_timestamp.as_ref().map(api::time::millis_of).unwrap_or(0);
            for s in store.list::<api::Service>(Some(ns)) {
                let created = s.metadata.creation_timestamp.as_ref().map(api::time::millis_of).unwrap_or(0);
                let spec = s.spec.clone().unwrap_or_default();
                let ip = spec.cluster_ip.clone().unwrap_or_default();
                if created > born || ip.is_empty() || ip == "None" {
                    continue;
                }
                let prefix = api::name_of(&s.metadata).to_ascii_uppercase().replace('-', "_");
                let ports = spec.ports.unwrap_or_default();
                let Some(first) = ports.first() else { continue };
                env.push((format!("{prefix}_SERVICE_HOST"), ip.clone()));
                env.push((format!("{prefix}_SERVICE_PORT"), first.port.to_string()));
                for p in &ports {
                    if let Some(n) = p.name.as_deref().filter(|n| !n.is_empty()) {
                        env.push((
                            format!("{prefix}_SERVICE_PORT_{}", n.to_ascii_uppercase().replace('-', "_")),
                            p.port.to_string(),
                        ));
                    }
                }
                let proto = first.protocol.clone().unwrap_or_else(|| "TCP".into());
                env.push((format!("{prefix}_PORT"), format!("{}://{ip}:{}", proto.to_ascii_lowercase(), first.port)));
                for p in &ports {
                    let proto = p.protocol.clone().unwrap_or_else(|| "TCP".into());
                    let base = format!("{prefix}_PORT_{}_{proto}", p.port);
                    env.push((base.clone(), format!("{}://{ip}:{}", proto.to_ascii_lowercase(), p.port)));
                    env.push((format!("{base}_PROTO"), proto.to_ascii_lowercase()));
                    env.push((format!("{base}_PORT"), p.port.to_string()));
                    env.push((format!("{base}_ADDR"), ip.clone()));
                }
            }
        }
        env.push(("HOME".into(), "/root".into()));
        env
    }

    fn not_found(&self, program: &str) -> Ran {
        Ran::fail(format!("exec: {program:?}: executable file not found in $PATH"), -1)
    }

    /// One simple command.
    fn run(&mut self, words: &[String], sim_sleep: &mut u64) -> Ran {
        let Some(program) = words.first() else { return Ran::ok("") };
        let name = program.rsplit('/').next().unwrap_or(program);
        let args = &words[1..];
        match name {
            "echo" => {
                let (newline, rest) =
                    if args.first().map(String::as_str) == Some("-n") { (false, &args[1..]) } else { (true, args) };
                Ran::ok(format!("{}{}", rest.join(" "), if newline { "\n" } else { "" }))
            }
            "hostname" => Ran::ok(format!("{}\n", self.hostname())),
            "whoami" => Ran::ok("root\n"),
            "id" => Ran::ok("uid=0(root) gid=0(root) groups=0(root)\n"),
            "true" => Ran::ok(""),
            "false" => Ran::fail("", 1),
            "pwd" => Ran::ok("/\n"),
            "date" => {
                Ran::ok(format!("{}\n", api::time::time_at(self.sim.now()).0.strftime("%a %b %e %H:%M:%S UTC %Y")))
            }
            "sleep" => {
                let secs = args.first().and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0).clamp(0.0, 3600.0);
                *sim_sleep += (secs * 1000.0) as u64;
                Ran::ok("")
            }
            "env" | "printenv" => {
                let env = self.env();
                if name == "printenv" && !args.is_empty() {
                    let mut out = String::new();
                    let mut code = 0;
                    for a in args {
                        match env.iter().find(|(k, _)| k == a) {
                            Some((_, v)) => out.push_str(&format!("{v}\n")),
                            None => code = 1,
                        }
                    }
                    return Ran { stdout: out, stderr: String::new(), code };
                }
                Ran::ok(env.iter().map(|(k, v)| format!("{k}={v}\n")).collect::<String>())
            }
            "cat" => {
                let mut r = Ran::ok("");
                for path in args {
                    match self.file(path) {
                        Some(text) => r.stdout.push_str(&text),
                        None if self.dir(path).is_some() => {
                            r.stderr.push_str(&format!("cat: {path}: Is a directory\n"));
                            r.code = 1;
                        }
                        None => {
                            r.stderr.push_str(&format!("cat: {path}: No such file or directory\n"));
                            r.code = 1;
                        }
                    }
                }
                r
            }
            "ls" => {
                let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
                let paths: Vec<String> =
                    if paths.is_empty() { vec!["/".into()] } else { paths.into_iter().cloned().collect() };
                let mut r = Ran::ok("");
                for p in &paths {
                    if let Some(list) = self.dir(p) {
                        if paths.len() > 1 {
                            r.stdout.push_str(&format!("{p}:\n"));
                        }
                        r.stdout.push_str(&list);
                    } else if self.file(p).is_some() {
                        r.stdout.push_str(&format!("{p}\n"));
                    } else {
                        r.stderr.push_str(&if self.is_busybox() {
                            format!("ls: {p}: No such file or directory\n")
                        } else {
                            format!("ls: cannot access '{p}': No such file or directory\n")
                        });
                        r.code = if self.is_busybox() { 1 } else { 2 };
                    }
                }
                r
            }
            "nginx" if self.is_nginx() && args.first().map(String::as_str) == Some("-v") => {
                Ran::fail(format!("nginx version: nginx/{}\n", nginx_version(&self.tag).unwrap_or_default()), 0)
            }
            "curl" | "wget" | "nslookup" if !self.has_tool(name) => self.not_found(program),
            "curl" | "wget" | "nslookup" => {
                let origin = crate::net::Origin::Pod(crate::cluster::store::ObjRef::of(self.pod));
                let r = match name {
                    "curl" => curl::curl(self.sim, &origin, args, self.tty, self.curl_flavour()),
                    "wget" => curl::wget(self.sim, &origin, args),
                    _ => {
                        let key = crate::cluster::store::ObjRef::of(self.pod);
                        curl::nslookup(self.sim, &key, args, self.is_busybox())
                    }
                };
                *sim_sleep += r.took;
                Ran { stdout: r.stdout, stderr: r.stderr, code: r.code }
            }
            "ping" | "dig" | "nc" | "telnet" | "host" => {
                Ran::fail(format!("kubeplay: {name} is not simulated; use curl, wget or nslookup\n"), 127)
            }
            "bash" if self.is_busybox() => self.not_found(program),
            "sh" | "bash" => {
                match args.iter().position(|a| a == "-c") {
                    Some(i) => self.script(args.get(i + 1).map(String::as_str).unwrap_or(""), sim_sleep),
                    // A shell without a terminal or input: reads nothing and exits.
                    None => Ran::ok(""),
                }
            }
            "exit" => Ran::fail("", args.first().and_then(|c| c.parse().ok()).unwrap_or(0)),
            _ => self.not_found(program),
        }
    }

    /// Which network tools the image has.
    fn has_tool(&self, name: &str) -> bool {
        match (self.image.repository, name) {
            ("busybox", "wget" | "nslookup") => true,
            ("alicek106/ubuntu", "curl" | "nslookup") => true,
            // Debian 12 based nginx images (1.21 on) carry curl.
            ("nginx", "curl") => images::nginx_version(&self.tag).is_some_and(|v| v.0 >= 21),
            _ => false,
        }
    }

    fn curl_flavour(&self) -> curl::Curl {
        if self.image.repository == "alicek106/ubuntu" {
            curl::Curl::Old
        } else {
            curl::Curl::Debian
        }
    }

    /// `for VAR in WORDS; do COMMANDS; done` (words may be `{1..N}` or `$(seq A B)`), then the rest of the script.
    fn for_loop(&mut self, script: &str, sleep: &mut u64) -> Option<Ran> {
        let rest = script.trim().strip_prefix("for ")?;
        let (var, rest) = rest.split_once(" in ")?;
        let (items, rest) = rest.split_once(';')?;
        let body = rest.trim().strip_prefix("do")?.trim();
        let end = body.rfind("done")?;
        let (body, _) = body.split_at(end);
        let body = body.trim().trim_end_matches(';');
        let var = var.trim();
        let mut values: Vec<String> = Vec::new();
        let range = |a: &str, b: &str| -> Option<Vec<String>> {
            let (a, b): (i64, i64) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
            Some((a..=b).take(MAX_LOOP).map(|i| i.to_string()).collect())
        };
        for w in items.split_whitespace() {
            if let Some(r) = w.strip_prefix('{').and_then(|r| r.strip_suffix('}')).and_then(|r| r.split_once("..")) {
                values.extend(range(r.0, r.1)?);
            } else {
                values.push(w.to_string());
            }
        }
        if let Some(inner) = items.trim().strip_prefix("$(seq ").and_then(|r| r.strip_suffix(')')) {
            let nums: Vec<&str> = inner.split_whitespace().collect();
            values = match nums.as_slice() {
                [b] => range("1", b)?,
                [a, b] => range(a, b)?,
                _ => return None,
            };
        }
        let mut out = Ran::ok("");
        for v in values.iter().take(MAX_LOOP) {
            let line = body.replace(&format!("${{{var}}}"), v).replace(&format!("${var}"), v);
            let r = self.script(&line, sleep);
            out.stdout.push_str(&r.stdout);
            out.stderr.push_str(&r.stderr);
            out.code = r.code;
        }
        Some(out)
    }

    /// `sh -c SCRIPT`: simple commands separated by `;`, `&&` and `||` (no pipes or redirections), and `for` loops.
    fn script(&mut self, script: &str, sleep: &mut u64) -> Ran {
        if script.trim_start().starts_with("for ") {
            if let Some(r) = self.for_loop(script, sleep) {
                return r;
            }
        }
        if script
            .replace("2>&1", "")
            .replace(">/dev/null", "")
            .replace("> /dev/null", "")
            .contains(['>', '<', '`', '$'])
        {
            return Ran::fail("kubeplay: redirections and variables in shell scripts are not simulated\n", 2);
        }
        let mut out = Ran::ok("");
        let mut skip_next = false;
        let mut last = 0;
        let mut rest = script;
        while !rest.is_empty() {
            let (part, sep, after) =
                match [";", "&&", "||", "\n"].iter().filter_map(|s| rest.find(s).map(|i| (i, *s))).min() {
                    Some((i, s)) => (&rest[..i], s, &rest[i + s.len()..]),
                    None => (rest, "", ""),
                };
            rest = after;
            if !skip_next {
                let mut stages = part.split('|');
                let first = stages.next().unwrap_or("");
                let quiet = first.contains(">/dev/null") || first.contains("> /dev/null");
                let first = first.replace("2>&1", "").replace(">/dev/null", "").replace("> /dev/null", "");
                let words = super::words::split(first.trim()).unwrap_or_default();
                if !words.is_empty() {
                    let mut r = self.run(&words, sleep);
                    if quiet {
                        r.stdout.clear();
                    }
                    for stage in stages {
                        match filter(stage, &r.stdout) {
                            Ok((text, code)) => {
                                r.stdout = text;
                                r.code = code;
                            }
                            Err(e) => {
                                r = Ran::fail(e, 127);
                                break;
                            }
                        }
                    }
                    out.stdout.push_str(&r.stdout);
                    if r.code == -1 {
                        out.stderr.push_str(&match self.interactive {
                            Some("bash") => format!("bash: {}: command not found\n", words[0]),
                            Some(_) if self.is_busybox() => format!("sh: {}: not found\n", words[0]),
                            _ => format!("sh: 1: {}: not found\n", words[0]),
                        });
                        last = 127;
                    } else {
                        out.stderr.push_str(&r.stderr);
                        last = r.code;
                    }
                    if words[0] == "exit" {
                        break;
                    }
                }
            }
            skip_next = (sep == "&&" && last != 0) || (sep == "||" && last == 0);
        }
        out.code = last;
        out
    }
}

/// A command reading a pipe: `grep [-c|-v|-i] PATTERN`, `head [-n N]`, `tail [-n N]`, `wc -l`, `sort`, `uniq [-c]`.
/// Returns its output and exit status.
pub(super) fn filter(stage: &str, input: &str) -> Result<(String, i32), String> {
    let words = super::words::split(stage.trim()).map_err(|e| format!("sh: {e}\n"))?;
    let Some(program) = words.first() else { return Err("sh: syntax error near unexpected token `|'\n".into()) };
    let lines: Vec<&str> = input.lines().collect();
    let count = |flag: &str, default: usize| -> usize {
        words
            .iter()
            .position(|w| w == flag)
            .and_then(|i| words.get(i + 1))
            .and_then(|n| n.parse().ok())
            .or_else(|| words.iter().find_map(|w| w.strip_prefix('-')?.parse().ok()))
            .unwrap_or(default)
    };
    let join = |ls: Vec<&str>| ls.iter().map(|l| format!("{l}\n")).collect::<String>();
    match program.as_str() {
        "grep" => {
            let flags: String =
                words[1..].iter().filter(|w| w.starts_with('-')).map(|w| w.trim_start_matches('-')).collect();
            let Some(pattern) = words[1..].iter().find(|w| !w.starts_with('-')) else {
                return Err("Usage: grep [OPTION]... PATTERNS [FILE]...\n".into());
            };
            let (ci, invert) = (flags.contains('i'), flags.contains('v'));
            let hit = |l: &&str| {
                let found =
                    if ci { l.to_lowercase().contains(&pattern.to_lowercase()) } else { l.contains(pattern.as_str()) };
                found != invert
            };
            let matched: Vec<&str> = lines.iter().copied().filter(hit).collect();
            let code = if matched.is_empty() { 1 } else { 0 };
            if flags.contains('c') {
                return Ok((format!("{}\n", matched.len()), code));
            }
            Ok((join(matched), code))
        }
        "head" => Ok((join(lines.into_iter().take(count("-n", 10)).collect()), 0)),
        "tail" => {
            let n = count("-n", 10);
            Ok((join(lines[lines.len().saturating_sub(n)..].to_vec()), 0))
        }
        "wc" if words.get(1).map(String::as_str) == Some("-l") => Ok((format!("{}\n", lines.len()), 0)),
        "sort" => {
            let mut ls = lines;
            crate::util::sort(&mut ls);
            Ok((join(ls), 0))
        }
        "uniq" => {
            let counted = words.get(1).map(String::as_str) == Some("-c");
            let mut out = String::new();
            let mut i = 0;
            while i < lines.len() {
                let mut j = i;
                while j < lines.len() && lines[j] == lines[i] {
                    j += 1;
                }
                if counted {
                    out.push_str(&format!("{:>7} {}\n", j - i, lines[i]));
                } else {
                    out.push_str(&format!("{}\n", lines[i]));
                }
                i = j;
            }
            Ok((out, 0))
        }
        other => Err(format!(
            "kubeplay: pipes into {other} are not simulated (grep, head, tail, wc -l, sort and uniq are)\n"
        )),
    }
}

/// The most iterations of a `for` loop.
const MAX_LOOP: usize = 1_000;

/// `1.25.5` for a tag of nginx.
fn nginx_version(tag: &str) -> Option<String> {
    images::nginx_version(tag).map(|(minor, patch)| format!("1.{minor}.{patch}"))
}

pub fn run(sim: &mut Sim, f: &Parsed) -> Output {
    let ns = namespace(f);
    let Some(dash) = f.dash_at else {
        if f.args.len() > 1 {
            return Output::err("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples");
        }
        if f.args.is_empty() {
            return Output::err("error: pod, type/name or --filename must be specified");
        }
        return Output::err("error: you must specify at least one command for the container");
    };
    let (target, command) = (&f.args[..dash], &f.args[dash..]);
    let Some(first) = target.first() else {
        return Output::err("error: pod, type/name or --filename must be specified");
    };
    if command.is_empty() {
        return Output::err("error: you must specify at least one command for the container");
    }
    let (kind, name) = match first.split_once('/') {
        Some((t, n)) => match resources::resolve(t) {
            Ok(k) => (k, n.to_string()),
            Err(w) => return Output::err(resources::unknown_type(&w)),
        },
        None => (Kind::Pod, first.clone()),
    };
    let pod = match super::logs::first_pod(sim, kind, &name, &ns, super::logs::PodOrder::Active) {
        Ok((p, _)) => p,
        Err(o) => return o,
    };
    let pod_name = api::name_of(&pod.metadata).to_string();
    let phase = pods::phase(&pod);
    if phase == "Succeeded" || phase == "Failed" {
        return Output::err(format!(
            "error: cannot exec into a container in a completed pod; current phase is {phase}"
        ));
    }
    let spec = pod.spec.clone().unwrap_or_default();
    let mut out = Output::default();
    let container_name = match f.get("container") {
        Some(c) => c.to_string(),
        None => {
            let (default, note) = super::logs::default_container(&pod, f.bool("quiet"));
            out.stderr.push_str(&note);
            default
        }
    };
    let Some(container) = spec.containers.iter().find(|c| c.name == container_name) else {
        return Output::err(super::errors::bad_request(format!(
            "container {container_name} is not valid for pod {pod_name}"
        )));
    };
    let running = pod
        .status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .and_then(|cs| cs.iter().find(|s| s.name == container_name))
        .is_some_and(|s| s.state.as_ref().is_some_and(|st| st.running.is_some()));
    if !running {
        out.stderr
            .push_str(&format!("error: unable to upgrade connection: container not found ({container_name:?})\n"));
        out.code = 1;
        return out;
    }
    let shell = command.len() == 1
        && matches!(command[0].rsplit('/').next(), Some("bash" | "sh"))
        && f.bool("stdin")
        && f.bool("tty");
    if shell {
        let program = command[0].rsplit('/').next().unwrap_or("sh").to_string();
        if program == "bash" && is_busybox_image(container) {
            out.stderr.push_str(&format!("error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: \"{}\": executable file not found in $PATH: unknown\n", command[0]));
            out.code = 1;
            return out;
        }
        out.attach = Some(Box::new(super::Attach {
            pod: crate::cluster::store::ObjRef::of(&pod),
            container: container_name,
            shell: program,
            remove: false,
            by_run: false,
        }));
        return out;
    }
    if f.bool("tty") && !f.bool("stdin") {
        out.stderr.push_str("Unable to use a TTY - input is not a terminal or the right kind of file\n");
    }
    let ran = run_in(sim, &pod, container, command, None, f.bool("tty") && f.bool("stdin"));
    if ran.code == -1 {
        // The runtime cannot start the program.
        let exec_id: String =
            (0..4u64).map(|i| format!("{:016x}", exec_id_word(&pod_name, command, sim.now() ^ i))).collect();
        let program = &command[0];
        out.stderr.push_str(&format!(
            "error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec {:?}: OCI runtime exec failed: exec failed: unable to start container process: exec: {program:?}: executable file not found in $PATH: unknown\n",
            &exec_id[..64]
        ));
        out.code = 1;
        return out;
    }
    out.stdout.push_str(&ran.stdout);
    out.stderr.push_str(&ran.stderr);
    if ran.code != 0 {
        out.stderr.push_str(&format!("command terminated with exit code {}\n", ran.code));
        out.code = ran.code;
    }
    out
}

fn is_busybox_image(container: &api::Container) -> bool {
    matches!(images::resolve(container.image.as_deref().unwrap_or("")), Pull::Ok(i) if i.repository == "busybox")
}

/// Runs a command (`words`) or, with `line`, a line of an interactive shell, in a container; the virtual clock
/// moves by the time it took.
fn run_in(
    sim: &mut Sim,
    pod: &Pod,
    container: &api::Container,
    words: &[String],
    line: Option<(&str, &str)>,
    tty: bool,
) -> Ran {
    let reference = container.image.clone().unwrap_or_default();
    let image = match images::resolve(&reference) {
        Pull::Ok(i) => i,
        _ => images::GENERIC,
    };
    let tag = images::parse(&reference).map(|r| r.tag).unwrap_or_else(|| "latest".into());
    let mut sleep = 0;
    let ran = {
        let mut b = Sandbox { sim, pod, container, image, tag, tty, interactive: line.map(|l| l.0) };
        match line {
            Some((_, text)) => b.script(text, &mut sleep),
            None => b.run(words, &mut sleep),
        }
    };
    if sleep > 0 {
        sim.advance(sleep);
    }
    ran
}

/// The prompt of an interactive shell in a container.
pub fn prompt(sim: &Sim, a: &super::Attach) -> String {
    let pod = sim.cluster().get::<Pod>(&a.pod);
    let busybox = pod
        .and_then(|p| p.spec.as_ref()?.containers.iter().find(|c| c.name == a.container).cloned())
        .is_some_and(|c| is_busybox_image(&c));
    let host = pod.and_then(|p| p.spec.as_ref()?.hostname.clone()).unwrap_or_else(|| a.pod.name.clone());
    match (a.shell.as_str(), busybox) {
        (_, true) => "/ # ".into(),
        ("bash", _) => format!("root@{host}:/# "),
        _ => "# ".into(),
    }
}

/// One line typed into an interactive shell. `Ok` with what it printed, or `Err` with what ending the session
/// printed (the line was `exit`, or the container is gone).
pub fn session_line(sim: &mut Sim, a: &super::Attach, line: &str) -> Result<Output, Output> {
    let mut out = Output::default();
    let pod = sim.cluster().get::<Pod>(&a.pod).cloned();
    let container =
        pod.as_ref().and_then(|p| p.spec.as_ref()?.containers.iter().find(|c| c.name == a.container).cloned());
    let (Some(pod), Some(container)) = (pod, container) else {
        out.stderr.push_str("command terminated with exit code 137\n");
        out.code = 137;
        return Err(end_session(sim, a, out));
    };
    let words = super::words::split(line.trim()).unwrap_or_default();
    if matches!(words.first().map(String::as_str), Some("exit" | "logout")) {
        if a.shell == "bash" {
            out.stdout.push_str("exit\n");
        }
        return Err(end_session(sim, a, out));
    }
    let running = pod
        .status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .and_then(|cs| cs.iter().find(|s| s.name == a.container))
        .is_some_and(|s| s.state.as_ref().is_some_and(|st| st.running.is_some()));
    if !running {
        out.stderr.push_str("command terminated with exit code 137\n");
        out.code = 137;
        return Err(end_session(sim, a, out));
    }
    let ran = run_in(sim, &pod, &container, &words, Some((a.shell.as_str(), line.trim())), true);
    out.stdout.push_str(&ran.stdout);
    out.stderr.push_str(&ran.stderr);
    out.code = ran.code;
    Ok(out)
}

fn end_session(sim: &mut Sim, a: &super::Attach, mut out: Output) -> Output {
    if a.by_run {
        let ns = if a.pod.namespace == "default" { String::new() } else { format!(" -n {}", a.pod.namespace) };
        out.stderr.push_str(&format!(
            "Session ended, resume using 'kubectl attach {} -c {}{ns} -i -t' command\n",
            a.pod.name, a.container
        ));
    }
    if a.remove {
        let (ns, name) = (&a.pod.namespace, &a.pod.name);
        if sim.delete_object(Kind::Pod, ns, name, crate::cluster::Propagation::Background, None).is_ok() {
            out.stdout.push_str(&super::deleted(Kind::Pod, ns, name));
            out.stdout.push('\n');
        }
    }
    out
}

/// A stable hex word for the runtime's exec id (not drawn from the simulation's generator, so a failed exec does
/// not change what happens next).
fn exec_id_word(pod: &str, command: &[String], now: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ now;
    for b in pod.bytes().chain(command.iter().flat_map(|w| w.bytes())) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
