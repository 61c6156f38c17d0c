//! What a container writes to its standard output and error, which the kubelet keeps for `kubectl logs`: the lines
//! the catalogue's images print when they start and when they are stopped, and the output of simple commands.
//!
//! - nginx 1.19 and later start through `/docker-entrypoint.sh`, which reports its configuration scripts, then
//!   nginx logs its `[notice]` lines (one `start worker process` per CPU) to the error log, which the image sends to
//!   standard error; the image stops nginx with SIGQUIT, and nginx logs the graceful shutdown. Earlier images log
//!   nothing at the default `warn` level.
//! - httpd 2.4 warns that it cannot determine its domain name (AH00558, twice), then logs that it is running; it is
//!   stopped with SIGWINCH.
//! - Shell images print what their command's `echo`s print.
//! - Other images (`alicek106/rr-test`, generic applications) print nothing kubeplay could know.
//!
//! Request logs (nginx's access log) are appended by the data path as requests arrive.

use crate::api::time::time_at;
use crate::api::Container;
use crate::cluster::clock::Millis;
use crate::cluster::images::{self, Image};

/// The most lines kept per container instance; older lines are dropped first, as log rotation would.
pub const MAX_LINES: usize = 5_000;

/// nginx's worker processes (`worker_processes auto`: one per CPU of the 8-CPU node) and their first PID.
const NGINX_WORKERS: u32 = 8;
const FIRST_WORKER_PID: u32 = 29;

fn nginx_time(at: Millis) -> String {
    time_at(at).0.strftime("%Y/%m/%d %H:%M:%S").to_string()
}

fn apache_time(at: Millis) -> String {
    let t = time_at(at).0;
    format!("{}.{:06} {}", t.strftime("%a %b %d %H:%M:%S"), (at % 1000) * 1000, t.strftime("%Y"))
}

/// The tag an image reference runs (`latest` when it names none).
fn tag_of(reference: &str) -> String {
    images::parse(reference).map_or_else(|| "latest".into(), |r| r.tag)
}

/// The words of a container's command and arguments, as a shell would see them after `sh -c`.
fn command_words(spec: &Container) -> Vec<String> {
    spec.command.iter().flatten().chain(spec.args.iter().flatten()).map(String::to_string).collect()
}

/// Words as a shell splits them: white space outside quotes, quotes removed.
fn shell_words(s: &str) -> Vec<String> {
    let (mut words, mut cur, mut quote, mut any) = (Vec::new(), String::new(), None, false);
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            (None, c) => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// The output of the `echo`s in a shell command line (`sh -c 'echo hello; sleep 3600'`).
fn echoes(script: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in script.split([';', '\n']).flat_map(|p| p.split("&&")) {
        let words = shell_words(part.trim());
        if words.first().map(String::as_str) == Some("echo") {
            let (newline, rest) = match words.get(1).map(String::as_str) {
                Some("-n") => (false, &words[2..]),
                _ => (true, &words[1..]),
            };
            let line = rest.join(" ");
            if newline || !line.is_empty() {
                out.push(line);
            }
        }
    }
    out
}

/// What the container prints as it starts, at `at` (its IP is `ip`).
pub fn on_start(image: &Image, spec: &Container, at: Millis, ip: &str) -> Vec<String> {
    let reference = spec.image.as_deref().unwrap_or("");
    let words = command_words(spec);
    if !words.is_empty() && image.process == images::Process::Shell {
        let script = match words.iter().position(|w| w == "-c") {
            Some(i) => words[i + 1..].join(" "),
            None => words.join(" "),
        };
        return echoes(&script);
    }
    match image.repository {
        "nginx" if words.is_empty() => {
            let Some((minor, patch)) = images::nginx_version(&tag_of(reference)) else { return Vec::new() };
            if minor < 19 {
                return Vec::new();
            }
            let e = "/docker-entrypoint.sh";
            let d = "/docker-entrypoint.d";
            let mut lines = vec![
                format!("{e}: {d}/ is not empty, will attempt to perform configuration"),
                format!("{e}: Looking for shell scripts in {d}/"),
                format!("{e}: Launching {d}/10-listen-on-ipv6-by-default.sh"),
                "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf".into(),
                "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf"
                    .into(),
            ];
            if minor >= 25 {
                lines.push(format!("{e}: Sourcing {d}/15-local-resolvers.envsh"));
            }
            lines.push(format!("{e}: Launching {d}/20-envsubst-on-templates.sh"));
            if minor >= 21 {
                lines.push(format!("{e}: Launching {d}/30-tune-worker-processes.sh"));
            }
            lines.push(format!("{e}: Configuration complete; ready for start up"));
            let t = nginx_time(at);
            let gcc =
                if minor >= 23 { "gcc 12.2.0 (Debian 12.2.0-14) " } else { "gcc 10.2.1 20210110 (Debian 10.2.1-6) " };
            lines.push(format!("{t} [notice] 1#1: using the \"epoll\" event method"));
            lines.push(format!("{t} [notice] 1#1: nginx/1.{minor}.{patch}"));
            lines.push(format!("{t} [notice] 1#1: built by {gcc}"));
            lines.push(format!("{t} [notice] 1#1: OS: Linux 6.8.0-kubeplay"));
            lines.push(format!("{t} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576"));
            lines.push(format!("{t} [notice] 1#1: start worker processes"));
            for pid in FIRST_WORKER_PID..FIRST_WORKER_PID + NGINX_WORKERS {
                lines.push(format!("{t} [notice] 1#1: start worker process {pid}"));
            }
            lines
        }
        "httpd" if words.is_empty() => {
            let warn = format!(
                "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using {ip}. \
                 Set the 'ServerName' directive globally to suppress this message"
            );
            let t = apache_time(at);
            vec![
                warn.clone(),
                warn,
                format!(
                    "[{t}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.65 (Unix) configured -- resuming normal operations"
                ),
                format!("[{t}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'"),
            ]
        }
        _ => Vec::new(),
    }
}

/// What the container prints when the kubelet sends its stop signal at `at`.
pub fn on_stop(image: &Image, spec: &Container, at: Millis) -> Vec<String> {
    if !command_words(spec).is_empty() {
        return Vec::new();
    }
    match image.repository {
        "nginx" => {
            let Some((minor, _)) = images::nginx_version(&tag_of(spec.image.as_deref().unwrap_or(""))) else {
                return Vec::new();
            };
            if minor < 19 {
                return Vec::new();
            }
            let t = nginx_time(at);
            let mut lines = vec![format!("{t} [notice] 1#1: signal 3 (SIGQUIT) received, shutting down")];
            for pid in FIRST_WORKER_PID..FIRST_WORKER_PID + NGINX_WORKERS {
                lines.push(format!("{t} [notice] {pid}#{pid}: gracefully shutting down"));
                lines.push(format!("{t} [notice] {pid}#{pid}: exiting"));
                lines.push(format!("{t} [notice] {pid}#{pid}: exit"));
            }
            for pid in FIRST_WORKER_PID..FIRST_WORKER_PID + NGINX_WORKERS {
                lines.push(format!("{t} [notice] 1#1: signal 17 (SIGCHLD) received from {pid}"));
                lines.push(format!("{t} [notice] 1#1: worker process {pid} exited with code 0"));
            }
            lines.push(format!("{t} [notice] 1#1: exit"));
            lines
        }
        "httpd" => vec![format!(
            "[{}] [mpm_event:notice] [pid 1:tid 1] AH00492: caught SIGWINCH, shutting down gracefully",
            apache_time(at)
        )],
        _ => Vec::new(),
    }
}

/// Appends lines at `at`, keeping at most [`MAX_LINES`].
pub fn append(log: &mut Vec<(Millis, String)>, at: Millis, lines: Vec<String>) {
    log.extend(lines.into_iter().map(|l| (at, l)));
    if log.len() > MAX_LINES {
        let excess = log.len() - MAX_LINES;
        log.drain(..excess);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::images::{self, Pull};

    fn image(reference: &str) -> (Image, Container) {
        let Pull::Ok(im) = images::resolve(reference) else { panic!("{reference}") };
        (im, Container { name: "c".into(), image: Some(reference.into()), ..Container::default() })
    }

    #[test]
    fn nginx_logs_its_entrypoint_and_workers_from_1_19_and_nothing_before() {
        let (im, c) = image("nginx:1.25");
        let lines = on_start(&im, &c, 5_000, "10.244.1.2");
        assert_eq!(
            lines[0],
            "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"
        );
        assert!(lines.contains(&"2026/01/01 00:00:05 [notice] 1#1: nginx/1.25.5".to_string()));
        assert_eq!(lines.iter().filter(|l| l.contains("start worker process ")).count(), 8);
        assert_eq!(on_stop(&im, &c, 9_000).last().unwrap(), "2026/01/01 00:00:09 [notice] 1#1: exit");
        let (old, c) = image("nginx:1.10");
        assert!(on_start(&old, &c, 0, "ip").is_empty() && on_stop(&old, &c, 0).is_empty());
    }

    #[test]
    fn shells_print_their_echoes_and_httpd_warns_about_its_name() {
        let (im, mut c) = image("busybox:1.36");
        c.command = Some(vec!["sh".into(), "-c".into(), "echo 'hello world'; sleep 3600 && echo -n done".into()]);
        assert_eq!(on_start(&im, &c, 0, "ip"), ["hello world", "done"]);
        let (im, c) = image("httpd:2.4");
        let lines = on_start(&im, &c, 1_500, "10.244.2.3");
        assert!(lines[0].contains("using 10.244.2.3."));
        assert!(lines[2].starts_with("[Thu Jan 01 00:00:01.500000 2026] [mpm_event:notice]"), "{}", lines[2]);
    }
}
