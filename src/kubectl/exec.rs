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

use super::flags::{flag, val, Parsed, Spec};
use super::{namespace, resources, usage_error, Output};
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
    sim: &'a Sim,
    pod: &'a Pod,
    container: &'a api::Container,
    image: Image,
    tag: String,
}

const NGINX_WELCOME: &str = "<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href=\"http://nginx.org/\">nginx.org</a>.<br/>
Commercial support is available at
<a href=\"http://nginx.com/\">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
";

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
            "/usr/share/nginx/html/index.html" if self.is_nginx() => Some(NGINX_WELCOME.to_string()),
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
        let store = &self.sim.cluster.store;
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
    fn run(&self, words: &[String], sim_sleep: &mut u64) -> Ran {
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
            "curl" | "wget" | "nslookup" | "ping" | "dig" | "nc" | "telnet" => Ran::fail(
                format!(
                    "kubeplay: {name} inside a pod needs the cluster network, which kubeplay does not simulate yet\n"
                ),
                127,
            ),
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

    /// `sh -c SCRIPT`: simple commands separated by `;`, `&&` and `||` (no pipes or redirections).
    fn script(&self, script: &str, sleep: &mut u64) -> Ran {
        if script.contains(['|', '>', '<', '`', '$']) && !script.contains("||") {
            return Ran::fail("kubeplay: pipes, redirections and variables in sh -c scripts are not simulated\n", 2);
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
                let words = super::words::split(part.trim()).unwrap_or_default();
                if !words.is_empty() {
                    let r = self.run(&words, sleep);
                    out.stdout.push_str(&r.stdout);
                    if r.code == -1 {
                        out.stderr.push_str(&format!("sh: 1: {}: not found\n", words[0]));
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
            return usage_error("exec", "pod, type/name or --filename must be specified");
        }
        return Output::err("error: you must specify at least one command for the container");
    };
    let (target, command) = (&f.args[..dash], &f.args[dash..]);
    let Some(first) = target.first() else {
        return usage_error("exec", "pod, type/name or --filename must be specified");
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
    let pod = match super::logs::first_pod(sim, kind, &name, &ns) {
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
        return Output::err(format!(
            "Error from server (BadRequest): container {container_name} is not valid for pod {pod_name}"
        ));
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
    let reference = container.image.clone().unwrap_or_default();
    let image = match images::resolve(&reference) {
        Pull::Ok(i) => i,
        _ => images::GENERIC,
    };
    let tag = images::parse(&reference).map(|r| r.tag).unwrap_or_else(|| "latest".into());
    if f.bool("tty") {
        out.stderr.push_str("Unable to use a TTY - input is not a terminal or the right kind of file\n");
    }
    let mut sleep = 0;
    let ran = {
        let b = Sandbox { sim, pod: &pod, container, image, tag };
        let r = b.run(command, &mut sleep);
        if r.code == -1 {
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
        r
    };
    if sleep > 0 {
        sim.advance(sleep);
    }
    out.stdout.push_str(&ran.stdout);
    out.stderr.push_str(&ran.stderr);
    if ran.code != 0 {
        out.stderr.push_str(&format!("command terminated with exit code {}\n", ran.code));
        out.code = ran.code;
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
