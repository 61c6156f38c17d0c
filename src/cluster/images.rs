//! The container images kubeplay knows, with their real tags and behaviour.
//!
//! Each image has a pull time and size (first pull per node; then the node caches it), a warm-up time from start
//! to accepting requests, what its process does (serve HTTP, exit at once, run a command), the ports it listens
//! on, and how fast it exits on SIGTERM. Timings are defaults that cluster settings and pod annotations override.
//!
//! **Unknown images.** An unknown tag of a known repository fails to pull with the registry's "not found" message
//! (so `nginx:1.161` gets stuck as on a real cluster). A repository kubeplay does not know is treated as follows:
//! if its name is within two edits of a known one (`ngnix`, `busybx`), it is taken for a typo and fails to pull
//! with Docker Hub's "pull access denied, repository does not exist" message, as it would on a real cluster; any
//! other repository is a *generic* image that pulls, starts, runs until stopped and answers HTTP 200 on the ports
//! its container declares, so manifests of real projects run instead of getting stuck on images kubeplay cannot
//! know about.

use super::clock::Millis;

/// What the container's main process does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Process {
    /// A server that runs until stopped.
    Serve,
    /// A shell as the default command (`sh`, `bash`): without a terminal it exits at once with status 0.
    Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Http {
    /// No HTTP server.
    None,
    /// nginx's "Welcome to nginx!" page.
    NginxWelcome,
    /// Apache httpd's "It works!" page.
    HttpdItWorks,
    /// `alicek106/rr-test:echo-hostname`: a page naming the pod's hostname.
    EchoHostname,
    /// A generic application: 200 with a short body.
    Generic,
    /// CoreDNS: DNS on 53, `OK` on `/health` (8080) and `/ready` (8181), metrics on 9153.
    CoreDns,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Image {
    /// The repository as written in manifests (`nginx`, `alicek106/rr-test`).
    pub repository: &'static str,
    /// The fully qualified name the registry reports (`docker.io/library/nginx`).
    pub canonical: &'static str,
    pub size_bytes: u64,
    pub pull_ms: Millis,
    pub warmup_ms: Millis,
    /// From SIGTERM to exit.
    pub stop_ms: Millis,
    pub process: Process,
    pub http: Http,
    /// The ports the process listens on when it serves.
    pub ports: &'static [u16],
}

const NGINX: Image = Image {
    repository: "nginx",
    canonical: "docker.io/library/nginx",
    size_bytes: 71_940_018,
    pull_ms: 4_000,
    warmup_ms: 200,
    stop_ms: 100,
    process: Process::Serve,
    http: Http::NginxWelcome,
    ports: &[80],
};
const HTTPD: Image = Image {
    repository: "httpd",
    canonical: "docker.io/library/httpd",
    size_bytes: 58_312_655,
    pull_ms: 3_500,
    warmup_ms: 300,
    stop_ms: 200,
    process: Process::Serve,
    http: Http::HttpdItWorks,
    ports: &[80],
};
const BUSYBOX: Image = Image {
    repository: "busybox",
    canonical: "docker.io/library/busybox",
    size_bytes: 2_155_023,
    pull_ms: 1_500,
    warmup_ms: 0,
    stop_ms: 0,
    process: Process::Shell,
    http: Http::None,
    ports: &[],
};
const RR_TEST: Image = Image {
    repository: "alicek106/rr-test",
    canonical: "docker.io/alicek106/rr-test",
    size_bytes: 105_203_342,
    pull_ms: 5_000,
    warmup_ms: 500,
    stop_ms: 300,
    process: Process::Serve,
    http: Http::EchoHostname,
    ports: &[80],
};
const UBUNTU_CURL: Image = Image {
    repository: "alicek106/ubuntu",
    canonical: "docker.io/alicek106/ubuntu",
    size_bytes: 59_833_771,
    pull_ms: 4_500,
    warmup_ms: 0,
    stop_ms: 0,
    process: Process::Shell,
    http: Http::None,
    ports: &[],
};
const COREDNS: Image = Image {
    repository: "registry.k8s.io/coredns/coredns",
    canonical: "registry.k8s.io/coredns/coredns",
    size_bytes: 22_378_423,
    pull_ms: 2_000,
    warmup_ms: 0,
    stop_ms: 5_000,
    process: Process::Serve,
    http: Http::CoreDns,
    ports: &[53, 8080, 8181, 9153],
};
/// Anything kubeplay does not know (see the module documentation).
pub const GENERIC: Image = Image {
    repository: "",
    canonical: "",
    size_bytes: 50_000_000,
    pull_ms: 3_000,
    warmup_ms: 500,
    stop_ms: 200,
    process: Process::Serve,
    http: Http::Generic,
    ports: &[],
};

const CATALOGUE: [Image; 6] = [NGINX, HTTPD, BUSYBOX, RR_TEST, UBUNTU_CURL, COREDNS];

/// nginx minor versions with their last patch release (1.7 – 1.29).
const NGINX_RELEASES: [(u32, u32); 23] = [
    (7, 12),
    (8, 1),
    (9, 15),
    (10, 3),
    (11, 13),
    (12, 2),
    (13, 12),
    (14, 2),
    (15, 12),
    (16, 1),
    (17, 10),
    (18, 0),
    (19, 10),
    (20, 2),
    (21, 6),
    (22, 1),
    (23, 4),
    (24, 0),
    (25, 5),
    (26, 3),
    (27, 5),
    (28, 0),
    (29, 1),
];

/// The nginx release a tag runs, as `(minor, patch)` of 1.x: `1.25` is its last patch release, `latest`/`mainline`
/// 1.29.1 and `stable` 1.28.0 (`-alpine` and `-perl` variants alike).
pub fn nginx_version(tag: &str) -> Option<(u32, u32)> {
    let base = tag.strip_suffix("-alpine").or_else(|| tag.strip_suffix("-perl")).unwrap_or(tag);
    match base {
        "latest" | "mainline" | "alpine" | "perl" => return Some((29, 1)),
        "stable" => return Some((28, 0)),
        _ => {}
    }
    let parts: Vec<u32> = base.split('.').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    match parts.as_slice() {
        [1, minor] => NGINX_RELEASES.iter().find(|(m, _)| m == minor).map(|(m, p)| (*m, *p)),
        [1, minor, patch] => Some((*minor, *patch)),
        _ => None,
    }
}

fn nginx_tag_exists(tag: &str) -> bool {
    if matches!(tag, "latest" | "stable" | "mainline" | "alpine" | "perl" | "stable-alpine" | "mainline-alpine") {
        return true;
    }
    let base = tag.strip_suffix("-alpine").or_else(|| tag.strip_suffix("-perl")).unwrap_or(tag);
    let parts: Vec<&str> = base.split('.').collect();
    let num = |s: &str| s.parse::<u32>().ok().filter(|_| !s.starts_with('0') || s == "0");
    match parts.as_slice() {
        ["1", minor] => num(minor).is_some_and(|m| NGINX_RELEASES.iter().any(|(n, _)| *n == m)),
        ["1", minor, patch] => match (num(minor), num(patch)) {
            (Some(m), Some(p)) => NGINX_RELEASES.iter().any(|(n, last)| *n == m && p <= *last),
            _ => false,
        },
        _ => false,
    }
}

/// The images of kubeplay's registry, in the order the editor offers them.
pub fn catalogue() -> &'static [Image] {
    &CATALOGUE
}

/// The tags the editor offers for a repository of the catalogue, newest first: every one of them is a tag
/// [`tag_exists`] accepts (a test checks it). Not every accepted tag is listed (nginx's patch releases are not).
pub fn tags(image: &Image) -> Vec<String> {
    let fixed: &[&str] = match image.repository {
        "nginx" => {
            let mut out: Vec<String> = ["latest", "stable", "alpine"].iter().map(|t| t.to_string()).collect();
            out.extend(NGINX_RELEASES.iter().rev().map(|(m, _)| format!("1.{m}")));
            return out;
        }
        "httpd" => &["latest", "2.4", "2.4-alpine", "alpine", "2"],
        "busybox" => &["latest", "1.37", "1.36", "1.35", "1.34", "stable"],
        "alicek106/rr-test" => &["echo-hostname"],
        "alicek106/ubuntu" => &["curl"],
        "registry.k8s.io/coredns/coredns" => &["v1.13.1", "v1.12.2", "v1.12.1", "v1.12.0", "v1.11.3", "v1.11.1"],
        _ => &[],
    };
    fixed.iter().map(|t| t.to_string()).collect()
}

/// The tag a learner most likely meant, when a known repository has no `tag`: the same tag with a letter typed for
/// the digit it looks like (`1.1O`, `1.l9`), else the one listed tag closest to it. `None` when that is not one tag.
pub fn meant_tag(image: &Image, tag: &str) -> Option<String> {
    let digits: String = tag
        .chars()
        .map(|c| match c {
            'O' | 'o' => '0',
            'l' | 'I' => '1',
            _ => c,
        })
        .collect();
    if digits != tag && tag_exists(image, &digits) {
        return Some(digits);
    }
    let listed = tags(image);
    let mut best: Vec<(usize, &String)> =
        listed.iter().map(|t| (edit_distance(t, tag), t)).filter(|(d, _)| *d <= 1).collect();
    crate::util::sort(&mut best);
    match best.as_slice() {
        [(d, t)] => Some(t.to_string()).filter(|_| *d > 0),
        [(d0, t), (d1, _), ..] if d0 < d1 => Some(t.to_string()),
        _ => None,
    }
}

/// The tags kubeplay lists for a known repository (for completion and messages).
pub fn tag_exists(image: &Image, tag: &str) -> bool {
    match image.repository {
        "nginx" => nginx_tag_exists(tag),
        "httpd" => {
            matches!(tag, "latest" | "alpine" | "2" | "2.4" | "2-alpine" | "2.4-alpine")
                || tag.strip_prefix("2.4.").and_then(|p| p.parse::<u32>().ok()).is_some_and(|p| p <= 63)
        }
        "busybox" => matches!(
            tag,
            "latest"
                | "stable"
                | "musl"
                | "glibc"
                | "uclibc"
                | "1.36"
                | "1.36.0"
                | "1.36.1"
                | "1.37"
                | "1.37.0"
                | "1.35"
                | "1.35.0"
                | "1.34"
                | "1.34.1"
        ),
        "alicek106/rr-test" => tag == "echo-hostname",
        "alicek106/ubuntu" => tag == "curl",
        "registry.k8s.io/coredns/coredns" => {
            matches!(tag, "v1.10.1" | "v1.11.1" | "v1.11.3" | "v1.12.0" | "v1.12.1" | "v1.12.2" | "v1.13.1")
        }
        _ => false,
    }
}

/// An image reference split as the kubelet reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Registry and repository as written, without the tag (`nginx`, `docker.io/library/nginx`).
    pub name: String,
    pub tag: String,
}

/// Parses `[registry/]repository[:tag][@digest]`. `None` for references the kubelet refuses (`InvalidImageName`):
/// empty, upper-case letters in the repository, spaces.
pub fn parse(reference: &str) -> Option<Reference> {
    if reference.is_empty() || reference.chars().any(char::is_whitespace) || reference.len() > 255 {
        return None;
    }
    let without_digest = reference.split('@').next().unwrap_or(reference);
    let last_slash = without_digest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match without_digest[last_slash..].rfind(':') {
        Some(i) => (&without_digest[..last_slash + i], &without_digest[last_slash + i + 1..]),
        None => (without_digest, "latest"),
    };
    let repo_part = &name[name.find('/').filter(|i| name[..*i].contains(['.', ':'])).map_or(0, |i| i + 1)..];
    if name.is_empty() || tag.is_empty() || repo_part.chars().any(|c| c.is_ascii_uppercase()) {
        return None;
    }
    Some(Reference { name: name.to_string(), tag: tag.to_string() })
}

/// The repository without a Docker Hub registry prefix: `docker.io/library/nginx` → `nginx`.
fn short_repository(name: &str) -> &str {
    let n = name.strip_prefix("docker.io/").or_else(|| name.strip_prefix("index.docker.io/")).unwrap_or(name);
    n.strip_prefix("library/").unwrap_or(n)
}

/// What pulling `reference` gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pull {
    Ok(Image),
    /// The registry's error, as the kubelet reports it after `Failed to pull image "…": `.
    Fails(String),
    /// The reference cannot be parsed (`InvalidImageName`).
    Invalid(String),
}

pub fn resolve(reference: &str) -> Pull {
    let Some(r) = parse(reference) else {
        return Pull::Invalid(format!(
            "Failed to apply default image tag \"{reference}\": couldn't parse image name \"{reference}\": invalid \
             reference format"
        ));
    };
    let short = short_repository(&r.name);
    let qualified = |canonical: &str| format!("{canonical}:{}", r.tag);
    if let Some(image) = CATALOGUE.iter().find(|i| i.repository == short) {
        if tag_exists(image, &r.tag) {
            return Pull::Ok(*image);
        }
        let q = qualified(image.canonical);
        return Pull::Fails(format!(
            "rpc error: code = NotFound desc = failed to pull and unpack image \"{q}\": failed to resolve reference \
             \"{q}\": {q}: not found"
        ));
    }
    let hub = !short.contains('.') && !r.name.contains(['.', ':']) || r.name.starts_with("docker.io/");
    if hub && CATALOGUE.iter().any(|i| edit_distance(i.repository, short) <= 2) {
        let canonical =
            if short.contains('/') { format!("docker.io/{short}") } else { format!("docker.io/library/{short}") };
        let q = qualified(&canonical);
        return Pull::Fails(format!(
            "rpc error: code = Unknown desc = failed to pull and unpack image \"{q}\": failed to resolve reference \
             \"{q}\": pull access denied, repository does not exist or may require authorization: server message: \
             insufficient_scope: authorization failed"
        ));
    }
    Pull::Ok(GENERIC)
}

/// Levenshtein distance, bounded in work by the short names it compares.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 2 || a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A stable, image-specific digest for `imageID` (`docker.io/library/nginx@sha256:…`).
pub fn digest(reference: &str) -> String {
    let mut out = String::with_capacity(64);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for round in 0..4u8 {
        for b in reference.bytes().chain([round]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        out.push_str(&format!("{h:016x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_offered_tag_exists_and_look_alike_letters_are_meant_as_digits() {
        for image in catalogue() {
            let tags = tags(image);
            assert!(!tags.is_empty(), "{}", image.repository);
            for t in tags {
                assert!(tag_exists(image, &t), "{}:{t}", image.repository);
            }
        }
        assert_eq!(meant_tag(&NGINX, "1.1O").as_deref(), Some("1.10"));
        assert_eq!(meant_tag(&NGINX, "1.l9").as_deref(), Some("1.19"));
        assert_eq!(meant_tag(&NGINX, "latst").as_deref(), Some("latest"));
        // `1.2x` is one edit from 1.20 … 1.29: no single meaning.
        assert_eq!(meant_tag(&NGINX, "1.2x"), None);
        assert_eq!(meant_tag(&RR_TEST, "echo-hostnam").as_deref(), Some("echo-hostname"));
    }

    #[test]
    fn the_learners_images_and_tags_exist() {
        for good in [
            "nginx:1.10",
            "nginx:1.11",
            "nginx:1.14.2",
            "nginx:1.16.1",
            "nginx:1.25",
            "nginx:latest",
            "nginx",
            "docker.io/library/nginx:1.25-alpine",
            "httpd:2.4",
            "busybox:1.36",
            "busybox",
            "alicek106/rr-test:echo-hostname",
            "alicek106/ubuntu:curl",
        ] {
            assert!(matches!(resolve(good), Pull::Ok(i) if !i.repository.is_empty()), "{good}");
        }
    }

    #[test]
    fn an_unknown_tag_of_a_known_image_is_not_found() {
        let Pull::Fails(msg) = resolve("nginx:1.161") else { panic!() };
        assert_eq!(
            msg,
            "rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/nginx:1.161\": \
             failed to resolve reference \"docker.io/library/nginx:1.161\": docker.io/library/nginx:1.161: not found"
        );
        assert!(matches!(resolve("nginx:1.16.2"), Pull::Fails(_)));
        assert!(matches!(resolve("nginx:1.016"), Pull::Fails(_)));
    }

    #[test]
    fn a_misspelt_repository_is_denied_and_an_unknown_one_is_generic() {
        let Pull::Fails(msg) = resolve("ngnix:1.14") else { panic!() };
        assert!(msg.contains("pull access denied, repository does not exist"), "{msg}");
        assert_eq!(resolve("myorg/shop-frontend:2.3"), Pull::Ok(GENERIC));
        assert_eq!(resolve("registry.example.com/team/app:1"), Pull::Ok(GENERIC));
    }

    #[test]
    fn invalid_references_are_refused() {
        for bad in ["", "Nginx:1.10", "nginx 1.10", "nginx:"] {
            assert!(matches!(resolve(bad), Pull::Invalid(_)), "{bad}");
        }
    }

    #[test]
    fn digests_are_stable_and_distinct() {
        assert_eq!(digest("nginx:1.10"), digest("nginx:1.10"));
        assert_ne!(digest("nginx:1.10"), digest("nginx:1.11"));
        assert_eq!(digest("nginx:1.10").len(), 64);
    }
}
