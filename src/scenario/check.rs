//! A lesson step's automatic checks, evaluated against the simulated state at the playhead. Each check says what
//! is wrong when it fails ("2 pods are Ready, the check wants 3"), so the lesson tests and teachers see why.
//!
//! The kinds (`lessons/README.md` documents each with examples): `pods`, `replicasets`, `field` (a kubectl JSONPath
//! over one object), `endpoints`, `requests`, `events`, `ran` (a command the learner typed), `absent` and `traffic`
//! (generators running).

use super::fields::Fail;
use super::stage::{Stage, NAMESPACE};
use super::Run;
use crate::cluster::clock::Millis;
use crate::cluster::events::EventReason;
use crate::cluster::store::Kind;
use crate::kubectl::labels::Selector;
use crate::manifest::yaml::{Node, Value};

/// Where a lesson step began: its instant, and how far the event log, the request record and the terminal had got
/// (so what happened at the same instant just before the step does not count for it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Since {
    pub at: Millis,
    pub events: usize,
    pub requests: u64,
    pub typed: u64,
}

/// A comparison with a number: `3` (exactly), `">= 1"`, `"<= 0"`, `"> 2"`, `"< 1"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cmp {
    pub op: Op,
    pub n: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ge,
    Le,
    Gt,
    Lt,
}

impl Cmp {
    pub fn holds(self, value: i64) -> bool {
        match self.op {
            Op::Eq => value == self.n,
            Op::Ge => value >= self.n,
            Op::Le => value <= self.n,
            Op::Gt => value > self.n,
            Op::Lt => value < self.n,
        }
    }

    fn parse(node: &Node, what: &str) -> Result<Cmp, Fail> {
        let bad = || super::fields::fail_at(node, format!("{what} must be a number or a comparison such as \">= 1\""));
        match &node.value {
            Value::Int(n) => Ok(Cmp { op: Op::Eq, n: *n }),
            Value::Str(s) => {
                let s = s.trim();
                let (op, rest) = [(">=", Op::Ge), ("<=", Op::Le), (">", Op::Gt), ("<", Op::Lt), ("=", Op::Eq)]
                    .iter()
                    .find_map(|(p, op)| s.strip_prefix(p).map(|r| (*op, r)))
                    .unwrap_or((Op::Eq, s));
                rest.trim().parse().map(|n| Cmp { op, n }).map_err(|_| bad())
            }
            _ => Err(bad()),
        }
    }
}

impl std::fmt::Display for Cmp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let op = match self.op {
            Op::Eq => "",
            Op::Ge => "at least ",
            Op::Le => "at most ",
            Op::Gt => "more than ",
            Op::Lt => "fewer than ",
        };
        write!(f, "{op}{}", self.n)
    }
}

/// Pods picked by label selector, owning Deployment, revision, image and STATUS column.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pods {
    pub selector: Option<Selector>,
    pub deployment: Option<String>,
    pub revision: Option<i64>,
    pub image: Option<String>,
    pub status: Option<String>,
    /// How many of them are Ready.
    pub ready: Option<Cmp>,
    /// How many there are (terminating ones included).
    pub count: Option<Cmp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    Pods(Pods),
    /// A Deployment's ReplicaSets (those of one revision, if given): how many, and their desired replicas summed.
    ReplicaSets {
        deployment: String,
        revision: Option<i64>,
        count: Option<Cmp>,
        desired: Option<Cmp>,
    },
    /// A kubectl JSONPath over one object, as `kubectl get KIND NAME -o jsonpath=PATH` prints it.
    Field {
        kind: Kind,
        name: String,
        path: String,
        expect: Expect,
    },
    /// A Service's ready endpoints.
    Endpoints {
        service: String,
        ready: Cmp,
    },
    /// Requests since the step began.
    Requests(Requests),
    /// Events since the step began (their `count` summed).
    Events {
        reason: EventReason,
        kind: Option<Kind>,
        count: Cmp,
    },
    /// A terminal line typed since the step began that runs one of these commands, as kubectl reads them (short
    /// names, `TYPE/NAME`, flag order: [`crate::kubectl::meaning::ran`]).
    Ran(Vec<String>),
    /// No object of this kind and name.
    Absent {
        kind: Kind,
        name: String,
    },
    /// Traffic generators running now.
    Traffic {
        running: Cmp,
    },
}

/// What a check counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    Pods,
    ReadyPods,
    ReplicaSets,
    DesiredReplicas,
    ReadyEndpoints,
    RunningTraffic,
    Answered,
    Failed,
    Events(EventReason),
}

/// Why a check does not pass yet, with what it found: the lesson panel words it in the page's language
/// ([`crate::i18n::check_miss`]); `Display` is the English, for the CLI and the lesson tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Miss {
    /// A count that is not what the check wants.
    Count {
        what: Counted,
        got: i64,
        want: Cmp,
    },
    NoDeployment(String),
    NoService(String),
    NoObject {
        kind: Kind,
        name: String,
    },
    StillExists {
        kind: Kind,
        name: String,
    },
    /// A field's value (as `-o jsonpath` prints it) that is not what the check wants.
    Field {
        path: String,
        value: String,
        want: Expect,
    },
    /// The check's own JSONPath does not parse (a lesson file's mistake).
    BadPath(String),
    NoPodReady,
    /// Ready pods that have not answered a request yet.
    Silent(Vec<String>),
    /// None of these commands was typed yet.
    NotTyped(Vec<String>),
}

impl std::fmt::Display for Counted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Counted::Pods => f.write_str("pods"),
            Counted::ReadyPods => f.write_str("Ready pods"),
            Counted::ReplicaSets => f.write_str("ReplicaSets"),
            Counted::DesiredReplicas => f.write_str("desired replicas"),
            Counted::ReadyEndpoints => f.write_str("ready endpoints"),
            Counted::RunningTraffic => f.write_str("traffic generators running"),
            Counted::Answered => f.write_str("answered requests"),
            Counted::Failed => f.write_str("failed requests"),
            Counted::Events(r) => write!(f, "{} events", r.as_str()),
        }
    }
}

impl std::fmt::Display for Expect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expect::Equals(s) => write!(f, "{s:?}"),
            Expect::Exists(true) => f.write_str("set"),
            Expect::Exists(false) => f.write_str("unset"),
            Expect::Between(lo, hi) => write!(f, "a number in {lo}..{hi}"),
        }
    }
}

/// The English (the CLI's and the lesson tests'); `i18n::check_miss` has the Korean.
impl std::fmt::Display for Miss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Miss::Count { what, got, want } => write!(f, "{what}: {got} (the check wants {want})"),
            Miss::NoDeployment(d) => write!(f, "there is no Deployment {d:?}"),
            Miss::NoService(s) => write!(f, "there is no Service {s:?}"),
            Miss::NoObject { kind, name } => write!(f, "there is no {} {name:?}", kind.name()),
            Miss::StillExists { kind, name } => write!(f, "{} {name:?} still exists", kind.name()),
            Miss::Field { path, value, want } => write!(f, "{path} is {value:?} (the check wants {want})"),
            Miss::BadPath(e) => f.write_str(e),
            Miss::NoPodReady => f.write_str("no pod is Ready"),
            Miss::Silent(pods) => write!(f, "no answer yet from {}", pods.join(", ")),
            Miss::NotTyped(lines) => write!(f, "not run yet: {}", lines.join(" or ")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    Equals(String),
    Exists(bool),
    Between(i64, i64),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Requests {
    /// `workstation` or `pod/NAME`.
    pub from: Option<String>,
    /// Only answers by pods of this Deployment.
    pub deployment: Option<String>,
    pub revision: Option<i64>,
    pub answered: Option<Cmp>,
    pub failed: Option<Cmp>,
    /// Every Ready pod of `deployment` answered at least once.
    pub each_pod: bool,
    /// Only requests to this host name (as typed in the URL, case-insensitive): `web.default.svc.cluster.local`
    /// is not `web`.
    pub host: Option<String>,
}

/// The host of a URL as a client was given it: `http://web.default:8080/x` → `web.default`.
fn url_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default(),
    }
}

/// The object of this kind and name in the lesson namespace, as `kubectl get KIND NAME` finds it.
fn find(run: &Run, kind: Kind, name: &str, view: crate::kubectl::get::View) -> Option<crate::kubectl::get::Found> {
    let names = [name.to_string()];
    let (mut found, _) = crate::kubectl::get::find_kind(
        kind,
        run.sim.cluster().store(),
        Some(NAMESPACE),
        &names,
        &Selector::default(),
        run.now(),
        view,
    );
    found.pop()
}

fn kind(node: &Node) -> Result<Kind, Fail> {
    let word = super::fields::string_of(node, "kind")?;
    crate::kubectl::resources::resolve(&word)
        .map_err(|w| super::fields::fail_at(node, format!("{w:?} is not a kind kubeplay simulates")))
}

fn event_reason(node: &Node) -> Result<EventReason, Fail> {
    let word = super::fields::string_of(node, "reason")?;
    EventReason::parse(&word).ok_or_else(|| {
        let known: Vec<&str> = EventReason::ALL.iter().map(|r| r.as_str()).collect();
        super::fields::fail_at(node, format!("{word:?} is not an event reason kubeplay records ({})", known.join(", ")))
    })
}

impl Check {
    /// Reads one check: a mapping with exactly one key, the check's kind.
    pub fn parse(node: &Node) -> Result<Check, Fail> {
        use super::fields::{fail_at, string_of, Fields};
        const KINDS: [&str; 9] =
            ["pods", "replicasets", "field", "endpoints", "requests", "events", "ran", "absent", "traffic"];
        let Value::Map(entries) = &node.value else {
            return Err(fail_at(node, format!("a check is a mapping with one of: {}", KINDS.join(", "))));
        };
        let [(key, body)] = &entries[..] else {
            return Err(fail_at(node, "a check has exactly one kind; write two checks as two list items"));
        };
        let int = |n: &Node, what: &str| match n.value {
            Value::Int(i) => Ok(i),
            _ => Err(fail_at(n, format!("{what} must be a whole number"))),
        };
        let cmp = |f: &mut Fields, k: &str| f.opt(k).map(|n| Cmp::parse(n, k)).transpose();
        let check = match key.name.as_str() {
            "pods" => {
                let mut f = Fields::of(body, "a pods check")?;
                let selector = match f.opt("selector") {
                    Some(n) => Some(Selector::parse(&string_of(n, "selector")?).map_err(|e| fail_at(n, e))?),
                    None => None,
                };
                let p = Pods {
                    selector,
                    deployment: f.opt("deployment").map(|n| string_of(n, "deployment")).transpose()?,
                    revision: f.opt("revision").map(|n| int(n, "revision")).transpose()?,
                    image: f.opt("image").map(|n| string_of(n, "image")).transpose()?,
                    status: f.opt("status").map(|n| string_of(n, "status")).transpose()?,
                    ready: cmp(&mut f, "ready")?,
                    count: cmp(&mut f, "count")?,
                };
                if p.ready.is_none() && p.count.is_none() {
                    return Err(fail_at(body, "a pods check needs ready or count"));
                }
                f.finish(&["selector", "deployment", "revision", "image", "status", "ready", "count"])?;
                Check::Pods(p)
            }
            "replicasets" => {
                let mut f = Fields::of(body, "a replicasets check")?;
                let c = Check::ReplicaSets {
                    deployment: string_of(f.req("deployment")?, "deployment")?,
                    revision: f.opt("revision").map(|n| int(n, "revision")).transpose()?,
                    count: cmp(&mut f, "count")?,
                    desired: cmp(&mut f, "desired")?,
                };
                f.finish(&["deployment", "revision", "count", "desired"])?;
                c
            }
            "field" => {
                let mut f = Fields::of(body, "a field check")?;
                let kind = kind(f.req("kind")?)?;
                let name = string_of(f.req("name")?, "name")?;
                let path_node = f.req("path")?;
                let path = string_of(path_node, "path")?;
                crate::kubectl::jsonpath::Template::parse(&path).map_err(|e| fail_at(path_node, e))?;
                let expect = match (f.opt("equals"), f.opt("exists"), f.opt("between")) {
                    (Some(n), None, None) => Expect::Equals(string_of(n, "equals")?),
                    (None, Some(n), None) => match n.value {
                        Value::Bool(b) => Expect::Exists(b),
                        _ => return Err(fail_at(n, "exists must be true or false")),
                    },
                    (None, None, Some(n)) => match &n.value {
                        Value::Seq(items) if items.len() == 2 => {
                            Expect::Between(int(&items[0], "between")?, int(&items[1], "between")?)
                        }
                        _ => return Err(fail_at(n, "between is a list of two numbers: [30000, 32767]")),
                    },
                    _ => return Err(fail_at(body, "a field check needs one of equals, exists or between")),
                };
                f.finish(&["kind", "name", "path", "equals", "exists", "between"])?;
                Check::Field { kind, name, path, expect }
            }
            "endpoints" => {
                let mut f = Fields::of(body, "an endpoints check")?;
                let c = Check::Endpoints {
                    service: string_of(f.req("service")?, "service")?,
                    ready: Cmp::parse(f.req("ready")?, "ready")?,
                };
                f.finish(&["service", "ready"])?;
                c
            }
            "requests" => {
                let mut f = Fields::of(body, "a requests check")?;
                let r = Requests {
                    from: f.opt("from").map(|n| string_of(n, "from")).transpose()?,
                    deployment: f.opt("deployment").map(|n| string_of(n, "deployment")).transpose()?,
                    revision: f.opt("revision").map(|n| int(n, "revision")).transpose()?,
                    answered: cmp(&mut f, "answered")?,
                    failed: cmp(&mut f, "failed")?,
                    each_pod: match f.opt("eachPod") {
                        Some(n) => matches!(n.value, Value::Bool(true)),
                        None => false,
                    },
                    host: f.opt("host").map(|n| string_of(n, "host")).transpose()?,
                };
                if r.each_pod && r.deployment.is_none() {
                    return Err(fail_at(body, "eachPod needs deployment"));
                }
                if r.answered.is_none() && r.failed.is_none() && !r.each_pod {
                    return Err(fail_at(body, "a requests check needs answered, failed or eachPod"));
                }
                f.finish(&["from", "deployment", "revision", "answered", "failed", "eachPod", "host"])?;
                Check::Requests(r)
            }
            "events" => {
                let mut f = Fields::of(body, "an events check")?;
                let c = Check::Events {
                    reason: event_reason(f.req("reason")?)?,
                    kind: f.opt("kind").map(kind).transpose()?,
                    count: Cmp::parse(f.req("count")?, "count")?,
                };
                f.finish(&["reason", "kind", "count"])?;
                c
            }
            "ran" => match &body.value {
                Value::Seq(items) => {
                    Check::Ran(items.iter().map(|n| string_of(n, "ran")).collect::<Result<Vec<_>, _>>()?)
                }
                _ => Check::Ran(vec![string_of(body, "ran")?]),
            },
            "absent" => {
                let mut f = Fields::of(body, "an absent check")?;
                let c = Check::Absent { kind: kind(f.req("kind")?)?, name: string_of(f.req("name")?, "name")? };
                f.finish(&["kind", "name"])?;
                c
            }
            "traffic" => {
                let mut f = Fields::of(body, "a traffic check")?;
                let c = Check::Traffic { running: Cmp::parse(f.req("running")?, "running")? };
                f.finish(&["running"])?;
                c
            }
            other => {
                let hint = KINDS
                    .iter()
                    .find(|k| strsim::levenshtein(k, other) <= 2)
                    .map(|k| format!(" (did you mean {k:?}?)"))
                    .unwrap_or_default();
                return Err((
                    Some(key.span.start),
                    format!("unknown check {other:?}{hint}; known: {}", KINDS.join(", ")),
                ));
            }
        };
        Ok(check)
    }

    /// Passes, or says what it found instead.
    pub fn evaluate(&self, run: &Run, stage: &Stage, since: &Since) -> Result<(), Miss> {
        let want = |what: Counted, want: Cmp, got: i64| {
            if want.holds(got) {
                Ok(())
            } else {
                Err(Miss::Count { what, got, want })
            }
        };
        match self {
            Check::Pods(p) => {
                let store = run.sim.cluster().store();
                let tiles: std::collections::BTreeMap<&str, (&super::stage::PodTile, Option<&str>)> = stage
                    .deployments
                    .iter()
                    .flat_map(|d| {
                        d.lanes.iter().flat_map(move |l| l.pods.iter().map(move |t| (t, Some(d.name.as_str()))))
                    })
                    .chain(stage.loose.iter().map(|t| (t, None)))
                    .map(|(t, d)| (t.name.as_str(), (&**t, d)))
                    .collect();
                let picked: Vec<&super::stage::PodTile> = store
                    .list::<crate::api::Pod>(Some(NAMESPACE))
                    .filter(|pod| p.selector.as_ref().is_none_or(|s| s.matches(pod.metadata.labels.as_ref())))
                    .filter(|pod| {
                        p.image.as_ref().is_none_or(|image| {
                            pod.spec.iter().flat_map(|s| &s.containers).any(|c| c.image.as_deref() == Some(image))
                        })
                    })
                    .filter_map(|pod| tiles.get(pod.metadata.name.as_deref().unwrap_or_default()))
                    .filter(|(_, d)| p.deployment.as_ref().is_none_or(|want| *d == Some(want.as_str())))
                    .filter(|(t, _)| p.revision.is_none_or(|r| t.revision == Some(r)))
                    .filter(|(t, _)| p.status.as_ref().is_none_or(|s| &t.status == s))
                    .map(|(t, _)| *t)
                    .collect();
                if let Some(c) = p.count {
                    want(Counted::Pods, c, picked.len() as i64)?;
                }
                if let Some(c) = p.ready {
                    want(Counted::ReadyPods, c, picked.iter().filter(|t| t.ready).count() as i64)?;
                }
                Ok(())
            }
            Check::ReplicaSets { deployment, revision, count, desired } => {
                let d = stage
                    .deployments
                    .iter()
                    .find(|d| &d.name == deployment)
                    .ok_or_else(|| Miss::NoDeployment(deployment.clone()))?;
                let lanes: Vec<_> = d.lanes.iter().filter(|l| revision.is_none_or(|r| l.revision == Some(r))).collect();
                if let Some(c) = count {
                    want(Counted::ReplicaSets, *c, lanes.len() as i64)?;
                }
                if let Some(c) = desired {
                    want(Counted::DesiredReplicas, *c, lanes.iter().map(|l| i64::from(l.desired)).sum())?;
                }
                Ok(())
            }
            Check::Field { kind, name, path, expect } => {
                let Some(obj) = find(run, *kind, name, crate::kubectl::get::View::Objects) else {
                    return Err(Miss::NoObject { kind: *kind, name: name.clone() });
                };
                let template = crate::kubectl::jsonpath::Template::parse(path).map_err(Miss::BadPath)?;
                let value = template.execute(&obj.json, true, false).unwrap_or_default();
                let holds = match expect {
                    Expect::Equals(s) => &value == s,
                    Expect::Exists(e) => value.is_empty() != *e,
                    Expect::Between(lo, hi) => value.trim().parse::<i64>().is_ok_and(|v| (*lo..=*hi).contains(&v)),
                };
                if holds {
                    Ok(())
                } else {
                    Err(Miss::Field { path: path.clone(), value, want: expect.clone() })
                }
            }
            Check::Endpoints { service, ready } => {
                let s = stage
                    .services
                    .iter()
                    .find(|s| &s.name == service)
                    .ok_or_else(|| Miss::NoService(service.clone()))?;
                want(
                    Counted::ReadyEndpoints,
                    *ready,
                    s.endpoints.iter().filter(|e| e.1 == super::stage::Route::Ready).count() as i64,
                )
            }
            Check::Requests(r) => {
                // A Deployment's answers come from the pods of its ReplicaSets, those of now and of its history (the
                // stage's lanes), so an answer from a pod that is gone since still counts.
                let replica_sets: std::collections::BTreeSet<&str> = r
                    .deployment
                    .as_ref()
                    .and_then(|d| stage.deployments.iter().find(|c| &c.name == d))
                    .map(|d| d.lanes.iter().map(|l| l.name.as_str()).collect())
                    .unwrap_or_default();
                let mut answered = 0;
                let mut failed = 0;
                let mut answerers = std::collections::BTreeSet::new();
                for rec in run.sim.net.records.iter().filter(|rec| rec.id >= since.requests) {
                    if r.from.as_ref().is_some_and(|f| &rec.origin != f)
                        || r.host.as_ref().is_some_and(|h| !url_host(&rec.url).eq_ignore_ascii_case(h))
                    {
                        continue;
                    }
                    match rec.outcome {
                        crate::net::Outcome::Failed(_) => failed += 1,
                        crate::net::Outcome::Status(_) => {
                            let pod = rec.pod.as_deref().unwrap_or_default();
                            let ours = r.deployment.is_none()
                                || rec.replica_set.as_deref().is_some_and(|rs| replica_sets.contains(rs));
                            if ours && r.revision.is_none_or(|v| rec.revision == Some(v)) {
                                answered += 1;
                                answerers.insert(pod.to_string());
                            }
                        }
                    }
                }
                if let Some(c) = r.answered {
                    want(Counted::Answered, c, answered)?;
                }
                if let Some(c) = r.failed {
                    want(Counted::Failed, c, failed)?;
                }
                if r.each_pod {
                    let ready: Vec<&str> = stage
                        .deployments
                        .iter()
                        .filter(|d| Some(&d.name) == r.deployment.as_ref())
                        .flat_map(|d| d.lanes.iter().flat_map(|l| &l.pods))
                        .filter(|t| t.ready)
                        .map(|t| t.name.as_str())
                        .collect();
                    let silent: Vec<&str> = ready.iter().copied().filter(|p| !answerers.contains(*p)).collect();
                    if ready.is_empty() {
                        return Err(Miss::NoPodReady);
                    }
                    if !silent.is_empty() {
                        return Err(Miss::Silent(silent.iter().map(|p| p.to_string()).collect()));
                    }
                }
                Ok(())
            }
            Check::Events { reason, kind, count } => {
                let n = run
                    .sim
                    .cluster()
                    .events()
                    .log
                    .since(since.events)
                    .filter(|e| e.reason == *reason && kind.is_none_or(|k| e.object.kind == k))
                    .count();
                want(Counted::Events(*reason), *count, n as i64)
            }
            Check::Ran(lines) => {
                // By meaning, as kubectl reads the line: `kubectl get deploy,rs,po` ran `kubectl get
                // deployments,replicasets,pods`.
                let typed = run
                    .transcript
                    .iter()
                    .filter(|e| e.seq >= since.typed)
                    .any(|e| lines.iter().any(|l| crate::kubectl::meaning::ran(l, &e.line)));
                if typed {
                    Ok(())
                } else {
                    Err(Miss::NotTyped(lines.clone()))
                }
            }
            Check::Traffic { running } => want(Counted::RunningTraffic, *running, run.sim.net.generators.len() as i64),
            Check::Absent { kind, name } => {
                if find(run, *kind, name, crate::kubectl::get::View::Names).is_none() {
                    Ok(())
                } else {
                    Err(Miss::StillExists { kind: *kind, name: name.clone() })
                }
            }
        }
    }
}
