//! `kubectl rollout status | history | undo | pause | resume | restart` (`pkg/cmd/rollout`,
//! `pkg/polymorphichelpers/{rollout_status,history,rollback}.go`).

use super::flags::{flag, int, val, Parsed, Spec, Sub};
use super::{errors, namespace, one_target, tabwriter, usage_error, Output};
use crate::api::{self, Deployment, ReplicaSet};
use crate::cluster::store::{Change, Kind};
use crate::controllers::deployment::util;
use crate::sim::{OpError, Rollback, Sim};

/// Every subcommand's flags, for finding the subcommand; each is then parsed with its own ([`SUBS`]).
pub const FLAGS: &[Spec] = &[
    int("to-revision", None, 64),
    int("revision", None, 64),
    val("timeout", None),
    flag("watch", Some('w')),
    val("output", Some('o')),
];

/// `pkg/cmd/rollout`: each subcommand and its flags.
pub const SUBS: &[Sub] = &[
    Sub {
        names: &["status"],
        shown: "rollout status",
        flags: &[int("revision", None, 64), val("timeout", None), flag("watch", Some('w'))],
        subs: &[],
    },
    Sub {
        names: &["history"],
        shown: "rollout history",
        flags: &[int("revision", None, 64), val("output", Some('o'))],
        subs: &[],
    },
    Sub { names: &["undo"], shown: "rollout undo", flags: &[int("to-revision", None, 64)], subs: &[] },
    Sub { names: &["pause"], shown: "rollout pause", flags: &[], subs: &[] },
    Sub { names: &["resume"], shown: "rollout resume", flags: &[], subs: &[] },
    Sub { names: &["restart"], shown: "rollout restart", flags: &[], subs: &[] },
];

/// How long `rollout status` waits in virtual time when no `--timeout` is given (kubectl waits forever; a script must
/// end).
const STATUS_LIMIT_MS: u64 = 60 * 60 * 1000;

pub fn run(sim: &mut Sim, f: &Parsed) -> Output {
    let Some((sub, args)) = f.args.split_first() else {
        return Output::err("error: Required subcommand not specified (history, pause, restart, resume, status, undo)");
    };
    if !SUBS.iter().any(|s| s.names.contains(&sub.as_str())) {
        return Output::err(format!("error: unknown command {sub:?}\nSee 'kubectl rollout -h' for help and examples"));
    }
    let verb = format!("rollout {sub}");
    // `Validate` runs before any request: the revision must not be negative.
    let revision = f.int("revision").unwrap_or(0);
    if revision < 0 {
        return Output::err(format!("error: revision must be a positive integer: {revision}"));
    }
    let (kind, name) = match one_target(args, &verb) {
        Ok(t) => t,
        Err(o) => return o,
    };
    if kind != Kind::Deployment {
        return Output::err(format!("error: no rollout support for {}; kubeplay rolls out deployments", kind.plural()));
    }
    let ns = namespace(f);
    let lines = |r: Result<String, OpError>| match r {
        Ok(l) => Output::ok("").line(&l),
        Err(e) => Output::err(errors::op(&e, &name)),
    };
    // `pause.go` / `resume.go`: the object pauser refuses a Deployment already in that state (`is already paused`,
    // `is not paused`), and the command words it `error: deployments.apps "NAME" …`.
    let pause = |sim: &mut Sim, paused: bool| match sim.set_paused(&ns, &name, paused) {
        Ok(true) => {
            Output::ok("").line(&format!("deployment.apps/{name} {}", if paused { "paused" } else { "resumed" }))
        }
        Ok(false) => Output::err(format!(
            "error: deployments.apps {name:?} {}",
            if paused { "is already paused" } else { "is not paused" }
        )),
        Err(e) => Output::err(errors::op(&e, &name)),
    };
    match sub.as_str() {
        "status" => status(sim, &ns, &name, f, revision),
        "history" => history(sim, &ns, &name, revision),
        "undo" => {
            // A 64-bit integer, checked by the flag parser.
            let to = f.int("to-revision").unwrap_or(0);
            lines(sim.rollout_undo(&ns, &name, to).map(|done| match done {
                Rollback::RolledBack => format!("deployment.apps/{name} rolled back"),
                Rollback::Skipped { revision } => format!(
                    "deployment.apps/{name} skipped rollback (current template already matches revision {revision})"
                ),
            }))
        }
        "pause" => pause(sim, true),
        "resume" => pause(sim, false),
        "restart" => lines(sim.rollout_restart(&ns, &name).map(|()| format!("deployment.apps/{name} restarted"))),
        other => Output::err(format!("error: unknown command {other:?} for \"kubectl rollout\"")),
    }
}

fn deployment(sim: &Sim, ns: &str, name: &str) -> Result<Deployment, Output> {
    sim.cluster()
        .store()
        .get::<Deployment>(ns, name)
        .cloned()
        .ok_or_else(|| Output::err(super::errors::not_found(Kind::Deployment, name)))
}

/// `DeploymentStatusViewer.Status`: the message for the current state, and whether the rollout is done. A wanted
/// `revision` (above 0) must be the Deployment's.
fn status_message(d: &Deployment, revision: i64) -> Result<(String, bool), String> {
    let name = api::name_of(&d.metadata);
    if revision > 0 {
        let running = api::annotation(&d.metadata, util::REVISION).and_then(|r| r.parse::<i64>().ok()).unwrap_or(0);
        if running != revision {
            return Err(format!(
                "error: desired revision ({revision}) is different from the running revision ({running})"
            ));
        }
    }
    let st = d.status.clone().unwrap_or_default();
    if d.metadata.generation.unwrap_or(0) > st.observed_generation.unwrap_or(0) {
        return Ok(("Waiting for deployment spec update to be observed...".into(), false));
    }
    if util::get_condition(&st, "Progressing").is_some_and(|c| c.reason.as_deref() == Some("ProgressDeadlineExceeded"))
    {
        return Err(format!("error: deployment {name:?} exceeded its progress deadline"));
    }
    let want = util::replicas(d);
    let updated = st.updated_replicas.unwrap_or(0);
    if updated < want {
        return Ok((
            format!("Waiting for deployment {name:?} rollout to finish: {updated} out of {want} new replicas have been updated..."),
            false,
        ));
    }
    if st.replicas.unwrap_or(0) > updated {
        let old = st.replicas.unwrap_or(0) - updated;
        return Ok((
            format!("Waiting for deployment {name:?} rollout to finish: {old} old replicas are pending termination..."),
            false,
        ));
    }
    let available = st.available_replicas.unwrap_or(0);
    if available < updated {
        return Ok((
            format!("Waiting for deployment {name:?} rollout to finish: {available} of {updated} updated replicas are available..."),
            false,
        ));
    }
    Ok((format!("deployment {name:?} successfully rolled out"), true))
}

/// `kubectl rollout status`: prints the message for the Deployment as it is, then again for every change of it the
/// watch delivers (`UntilWithSync` calls the condition on each event, so a change that leaves the message as it was
/// prints it again), advancing virtual time timer by timer until the rollout is done, has failed, or the timeout
/// passed.
fn status(sim: &mut Sim, ns: &str, name: &str, f: &Parsed, revision: i64) -> Output {
    // `--watch=false`: one status line, then exit (0 even when the rollout is not done).
    let watch = f.get("watch") != Some("false");
    let limit = match f.get("timeout") {
        Some(t) => match crate::cluster::settings::parse_duration(t) {
            Some(ms) if ms > 0 => ms,
            Some(_) => STATUS_LIMIT_MS,
            None => {
                return usage_error(
                    "rollout status",
                    &format!("invalid argument {t:?} for \"--timeout\" flag: time: invalid duration {t:?}"),
                )
            }
        },
        None => STATUS_LIMIT_MS,
    };
    // Each change's object is read from the watch log, as the watch would deliver it.
    sim.with_watch_snapshots(|sim| watch_status(sim, ns, name, revision, watch, limit))
}

/// What one state of the Deployment prints; true when the command ends there.
fn status_line(d: &Deployment, revision: i64, watch: bool, out: &mut Output) -> bool {
    match status_message(d, revision) {
        Ok((msg, done)) => {
            out.stdout.push_str(&msg);
            out.stdout.push('\n');
            done || !watch
        }
        Err(e) => {
            out.stderr.push_str(&e);
            out.stderr.push('\n');
            out.code = 1;
            true
        }
    }
}

fn watch_status(sim: &mut Sim, ns: &str, name: &str, revision: i64, watch: bool, limit: u64) -> Output {
    let deadline = sim.now().saturating_add(limit);
    let mut out = Output::default();
    let d = match deployment(sim, ns, name) {
        Ok(d) => d,
        Err(o) => return o,
    };
    if status_line(&d, revision, watch, &mut out) {
        return out;
    }
    let target = crate::cluster::store::ObjRef::new(Kind::Deployment, ns, name);
    let mut from = sim.cluster().store().watch_len();
    loop {
        match sim.next_due() {
            Some(t) if t <= deadline => sim.run_until(t),
            _ => {
                sim.run_until(deadline);
                out.stderr.push_str("error: timed out waiting for the condition\n");
                out.code = 1;
                return out;
            }
        }
        let store = sim.cluster().store();
        let changes: Vec<(Change, Option<serde_json::Value>)> =
            store.watch_since(from).filter(|e| e.object == target).map(|e| (e.change, e.snapshot.clone())).collect();
        from = store.watch_len();
        for (change, snapshot) in changes {
            if change == Change::Deleted {
                return match deployment(sim, ns, name) {
                    Ok(_) => out,
                    Err(o) => {
                        out.stderr.push_str(&o.stderr);
                        out.code = 1;
                        out
                    }
                };
            }
            let Some(d) = snapshot.and_then(|s| crate::manifest::decode::from_json::<Deployment>(&s).ok()) else {
                continue;
            };
            if status_line(&d, revision, watch, &mut out) {
                return out;
            }
        }
    }
}

/// `kubectl rollout history`, or with a `revision` above 0 (`--revision=N`, checked by `run`) that revision's template.
fn history(sim: &Sim, ns: &str, name: &str, rev: i64) -> Output {
    let d = match deployment(sim, ns, name) {
        Ok(d) => d,
        Err(o) => return o,
    };
    let uid = d.metadata.uid.clone().unwrap_or_default();
    let mut rss: Vec<(i64, &ReplicaSet)> = sim
        .cluster()
        .store()
        .controlled_by::<ReplicaSet>(&uid)
        .filter_map(|rs| util::revision(rs).map(|r| (r, rs)))
        .collect();
    crate::util::sort_by_key(&mut rss, |(r, _)| *r);
    if rev > 0 {
        let Some((_, rs)) = rss.iter().find(|(r, _)| *r == rev) else {
            return Output::err("error: unable to find the specified revision");
        };
        let mut template = rs.spec.as_ref().and_then(|s| s.template.clone()).unwrap_or_default();
        if let Some(cause) = api::annotation(&rs.metadata, "kubernetes.io/change-cause") {
            api::set_annotation(
                template.metadata.get_or_insert_with(Default::default),
                "kubernetes.io/change-cause",
                cause,
            );
        }
        // `printTemplate` writes the description into a plain buffer: raw tabs, no tabwriter.
        let body = super::describe::pod_template(&template);
        return Output::ok(format!("deployment.apps/{name} with revision #{rev}\n{body}\n"));
    }
    if rss.is_empty() {
        return Output::ok("No rollout history found.\n");
    }
    let mut t = String::from("REVISION\tCHANGE-CAUSE\n");
    for (rev, rs) in &rss {
        let cause = api::annotation(&rs.metadata, "kubernetes.io/change-cause").unwrap_or("<none>");
        t.push_str(&format!("{rev}\t{cause}\n"));
    }
    Output::ok(format!("deployment.apps/{name} \n{}\n", tabwriter::format(&t, 0, 2)))
}
