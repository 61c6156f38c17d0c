//! The side panels: events and the decision log (following the playhead, filterable), the Deployment's revision
//! history with "roll back to this" (a `kubectl rollout undo` typed into the terminal), traffic, and settings.

use super::{Change, StageProps};
use crate::api::Kind;
use crate::cluster::store::ObjRef;
use crate::cluster::Settings;
use crate::i18n::{cause_text, failure_label, text, Msg};
use crate::net::client::Url;
use crate::net::{suggest, HopKind, Origin, Outcome as NetOutcome, Record};
use crate::scenario::stage::{self, clock};
use crate::scenario::{Action, Outcome, Run, Source};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Rows the tables show (the newest).
const ROWS: usize = 200;

#[function_component(Events)]
pub fn events(props: &super::RunProps) -> Html {
    let t = |m| text(props.lang, m);
    let filter = use_state(String::new);
    let oninput = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| filter.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let run = props.run.read();
    let now = run.now();
    let needle = filter.to_lowercase();
    let keep = |fields: &[&str]| needle.is_empty() || fields.iter().any(|f| f.to_lowercase().contains(&needle));
    let events: Html = stage::events(run.sim(), ROWS)
        .into_iter()
        .filter(|e| keep(&[&e.type_, &e.reason, &e.object, &e.message]))
        .rev()
        .map(|e| {
            html! {
                <tr data-testid="event-row" class={classes!((e.type_ == "Warning").then_some("row-warning"))}>
                    <td>{ crate::api::pod_columns::human_duration(now.saturating_sub(e.at)) }</td>
                    <td>{ &e.type_ }</td><td>{ &e.reason }</td><td>{ &e.object }</td><td>{ &e.message }</td>
                </tr>
            }
        })
        .collect();
    let decisions: Html = stage::decisions(run.sim(), ROWS)
        .into_iter()
        .map(|d| {
            let message = crate::i18n::decision(props.lang, &d.why);
            (d, message)
        })
        .filter(|(d, message)| keep(&[&d.controller, &d.object, message]))
        .rev()
        .map(|(d, message)| {
            html! {
                <li class="decision"><span class="when">{ format!("t={}", clock(d.at)) }</span>
                    <span class="who">{ format!(" {} {}: ", d.controller, d.object) }</span>{ message }</li>
            }
        })
        .collect();
    html! {
        <div class="events">
            <label class="filter">{ t(Msg::Filter) }
                <input type="search" value={(*filter).clone()} {oninput} data-testid="event-filter" />
            </label>
            <h3 class="section-title">{ t(Msg::EventsTitle) }</h3>
            // Scrollable, so it takes the focus: a keyboard scrolls it (WCAG 2.1.1).
            <div class="table-wrap" tabindex="0" role="region" aria-label={t(Msg::EventsTitle)}>
                <table class="event-table">
                    <thead><tr><th>{ "LAST SEEN" }</th><th>{ "TYPE" }</th><th>{ "REASON" }</th><th>{ "OBJECT" }</th>
                        <th>{ "MESSAGE" }</th></tr></thead>
                    <tbody>{ events }</tbody>
                </table>
            </div>
            <h3 class="section-title">{ t(Msg::DecisionsTitle) }</h3>
            <ul class="decisions" tabindex="0" aria-label={t(Msg::DecisionsTitle)}>{ decisions }</ul>
        </div>
    }
}

#[function_component(History)]
pub fn history(p: &StageProps) -> Html {
    let props = &p.run;
    let t = |m| text(props.lang, m);
    let s = &p.stage;
    let cards: Html = s
        .deployments
        .iter()
        .map(|d| {
            let mut lanes = d.lanes.clone();
            crate::util::sort_by_key(&mut lanes, |l| l.revision);
            let rows: Html = lanes
                .iter()
                .filter_map(|l| Some((l.revision?, l)))
                .map(|(r, l)| {
                    let current = d.revision == Some(r);
                    let line = format!("kubectl rollout undo deployment {} --to-revision={r}", d.name);
                    let props = props.clone();
                    let onclick = Callback::from(move |_| {
                        props.record(Action::Command { line: line.clone() });
                    });
                    html! {
                        <tr data-testid="revision" data-revision={r.to_string()}>
                            <td><span class={classes!("swatch", super::stage::revision_class(Some(r)))}></span>{ r }</td>
                            <td>{ l.change_cause.clone().unwrap_or_else(|| "<none>".into()) }</td>
                            <td>{ l.images.join(", ") }</td>
                            <td>
                                if current { <span class="badge">{ t(Msg::CurrentRevision) }</span> }
                                else {
                                    <button type="button" class="view-button" data-testid="rollback" {onclick}>
                                        { t(Msg::RollBack) }
                                    </button>
                                }
                            </td>
                        </tr>
                    }
                })
                .collect();
            html! {
                <section class="history-card" key={d.name.clone()}>
                    <h3 class="card-title">{ format!("deployment.apps/{}", d.name) }</h3>
                    <table class="history-table">
                        <thead><tr><th>{ "REVISION" }</th><th>{ "CHANGE-CAUSE" }</th><th>{ "IMAGE" }</th><th></th></tr></thead>
                        <tbody>{ rows }</tbody>
                    </table>
                </section>
            }
        })
        .collect();
    html! { <div class="history">{ cards }</div> }
}

/// The last responses the strip shows.
const STRIP: usize = 100;

/// The client pod the traffic form offers to start: the book's image with curl, kept running.
const CLIENT_POD: &str = "client";
const CLIENT_POD_COMMAND: &str = "kubectl run client --image=alicek106/ubuntu:curl --restart=Never -- sleep infinity";

#[function_component(Traffic)]
pub fn traffic(p: &StageProps) -> Html {
    let props = &p.run;
    let lang = props.lang;
    let t = |m| text(lang, m);
    let run = props.run.read();
    let s = &p.stage;
    let origin_of = |source: &str| {
        if source.is_empty() {
            Origin::Workstation
        } else {
            Origin::Pod(ObjRef::new(Kind::Pod, stage::NAMESPACE, source))
        }
    };
    // The first URL that works from the workstation (a node's NodePort, a load balancer), else the first Service:
    // worked out once, when the panel opens, not on every frame.
    let url = use_state(|| {
        suggest::urls(run.sim().cluster(), &Origin::Workstation).into_iter().next().unwrap_or_else(|| {
            s.services
                .iter()
                .find(|c| c.name != "kubernetes")
                .map_or_else(|| "http://my-service/".to_string(), |c| format!("http://{}/", c.name))
        })
    });
    let rate = use_state(|| 10u32);
    let source = use_state(String::new);
    let message = use_state(|| None::<String>);
    let origin = origin_of(&source);
    let proposals = suggest::urls(run.sim().cluster(), &origin);

    let pod_names: Vec<String> = s
        .deployments
        .iter()
        .flat_map(|d| d.lanes.iter().flat_map(|l| l.pods.iter()))
        .chain(s.loose.iter())
        .filter(|p| p.state == stage::PodState::Ready)
        .map(|p| p.name.clone())
        .collect();
    let has_client = s.loose.iter().any(|p| p.name == CLIENT_POD);

    // What the URL would meet from this origin, before anything is sent.
    let warning = match Url::parse(&url) {
        Err(e) => Some((e, None)),
        Ok(u) => {
            let r = run.sim().probe(&origin, u).record;
            match r.outcome {
                NetOutcome::Failed(f) => Some((failure_label(lang, f).to_string(), r.cause)),
                NetOutcome::Status(_) => None,
            }
        }
    };

    let start = {
        let (props, url, rate, source, message) =
            (props.clone(), url.clone(), rate.clone(), source.clone(), message.clone());
        Callback::from(move |_: MouseEvent| {
            let src = if source.is_empty() {
                Source::Workstation
            } else {
                Source::Pod { namespace: stage::NAMESPACE.into(), name: (*source).clone() }
            };
            let message = message.clone();
            props.record_then(vec![Action::StartTraffic { source: src, url: (*url).clone(), rate: *rate }], move |o| {
                message.set(match o {
                    Outcome::Refused(why) => Some(why),
                    _ => None,
                })
            });
        })
    };
    let start_client = {
        let props = props.clone();
        Callback::from(move |_: MouseEvent| props.record(Action::Command { line: CLIENT_POD_COMMAND.into() }))
    };
    let generators: Html = run
        .sim()
        .net
        .generators
        .iter()
        .map(|g| {
            let (props, id) = (props.clone(), g.id);
            let onclick = Callback::from(move |_| {
                props.record(Action::StopTraffic { id });
            });
            html! {
                <li class="generator">
                    { format!("#{} {} → {} · {}/s ", g.id, g.origin.label(), g.url, g.rate) }
                    <button type="button" class="view-button" data-testid="traffic-stop" {onclick}>{ t(Msg::StopTraffic) }</button>
                </li>
            }
        })
        .collect();
    let records: Vec<&Record> = run.sim().net.records.iter().rev().take(STRIP).collect();
    let strip = response_strip(lang, records.into_iter().rev());
    // Every answer and failure so far, grouped: each revision, each HTTP error status, each failure with its cause
    // explained and a way forward.
    let counters = &run.sim().net.counters;
    let revisions = counters.by_revision.iter().map(|(rev, n)| {
        html! {
            <li class="outcome" data-testid="outcome-group" data-outcome={format!("rev-{}", rev_text(*rev))}>
                <span class={classes!("swatch", super::stage::revision_class(*rev))}></span>
                { format!("rev {}: {n}", rev_text(*rev)) }
            </li>
        }
    });
    let statuses = counters.by_status.iter().filter(|(code, _)| **code >= 400).map(|(code, n)| {
        html! {
            <li class="outcome" data-testid="outcome-group" data-outcome={format!("status-{code}")}>
                <span class="swatch resp-error"></span>{ format!("HTTP {code}: {n}") }
            </li>
        }
    });
    let failures = counters.by_cause.iter().map(|((f, cause), n)| {
        let (why, fix) = cause_text(lang, *cause);
        html! {
            <li class="outcome outcome-failed" data-testid="outcome-group" data-outcome={format!("{f:?}-{cause:?}")}>
                <span class="swatch resp-failed"></span>
                <strong>{ format!("{}: {n}", failure_label(lang, *f)) }</strong>
                <span class="outcome-why">{ why }</span>
                <span class="outcome-fix">{ format!("{} ", t(Msg::Suggestion)) }{ fix }</span>
            </li>
        }
    });
    let on_url = {
        let url = url.clone();
        Callback::from(move |e: InputEvent| url.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_rate = {
        let rate = rate.clone();
        Callback::from(move |e: InputEvent| {
            if let Ok(v) = e.target_unchecked_into::<HtmlInputElement>().value().parse::<u32>() {
                rate.set(v);
            }
        })
    };
    let on_source = {
        let (source, url, props) = (source.clone(), url.clone(), props.clone());
        Callback::from(move |e: Event| {
            let chosen = e.target_unchecked_into::<HtmlSelectElement>().value();
            // A URL that works from the new origin replaces one that does not.
            let run = props.run.read();
            let origin = origin_of(&chosen);
            let works = suggest::urls(run.sim().cluster(), &origin);
            if !works.contains(&url) {
                if let Some(first) = works.first() {
                    url.set(first.clone());
                }
            }
            source.set(chosen);
        })
    };
    let chips: Html = proposals
        .iter()
        .map(|p| {
            let (url, value) = (url.clone(), p.clone());
            let selected = *url == *p;
            html! {
                <li><button type="button" class="chip" data-testid="traffic-proposal" aria-pressed={selected.to_string()}
                    onclick={Callback::from(move |_| url.set(value.clone()))}>{ p }</button></li>
            }
        })
        .collect();
    html! {
        <div class="traffic">
            <div class="traffic-form">
                <label>{ t(Msg::Source) }
                    <select onchange={on_source} data-testid="traffic-source">
                        <option value="" selected={source.is_empty()}>{ t(Msg::Workstation) }</option>
                        { for pod_names.iter().map(|p| html! { <option value={p.clone()} selected={*source == *p}>{ format!("pod/{p}") }</option> }) }
                    </select>
                </label>
                <label>{ "URL" }<input type="text" value={(*url).clone()} oninput={on_url} data-testid="traffic-url" /></label>
                <label>{ t(Msg::Rate) }<input type="number" min="1" max="1000" value={rate.to_string()} oninput={on_rate}
                    data-testid="traffic-rate" /></label>
                <button type="button" class="apply-button" onclick={start} data-testid="traffic-start">{ t(Msg::StartTraffic) }</button>
            </div>
            if !proposals.is_empty() {
                <div class="proposals">
                    <span class="section-title">{ t(Msg::UrlsThatWork) }</span>
                    <ul class="chips">{ chips }</ul>
                </div>
            }
            if !has_client {
                <button type="button" class="view-button" data-testid="traffic-client-pod" onclick={start_client}>
                    { t(Msg::StartClientPod) }
                </button>
            }
            if let Some((what, cause)) = &warning {
                <div class="traffic-warning" role="status" data-testid="traffic-warning">
                    <strong>{ format!("{}: {what}", t(Msg::UrlWontWork)) }</strong>
                    if let Some(c) = cause {
                        <span class="outcome-why">{ cause_text(lang, *c).0 }</span>
                        <span class="outcome-fix">{ format!("{} ", t(Msg::Suggestion)) }{ cause_text(lang, *c).1 }</span>
                    }
                </div>
            }
            if let Some(m) = &*message { <p class="editor-message" role="alert">{ m }</p> }
            <ul class="generators">{ generators }</ul>
            <h3 class="section-title">{ t(Msg::ResponsesTitle) }</h3>
            <ul class="strip" aria-label={t(Msg::ResponsesTitle)}>{ strip }</ul>
            <h3 class="section-title">{ t(Msg::OutcomesTitle) }</h3>
            <ul class="outcomes" data-testid="outcomes">
                { for revisions }{ for statuses }{ for failures }
            </ul>
        </div>
    }
}

/// Responses as a strip of cells, oldest first, each coloured by the revision that answered (an error status and a
/// failure have their own colour) and titled with what happened and the request's path.
pub fn response_strip<'a>(lang: crate::i18n::Lang, records: impl Iterator<Item = &'a Record>) -> Html {
    records
        .map(|r| {
            let (class, label) = match r.outcome {
                NetOutcome::Status(code) if code < 400 => {
                    (super::stage::revision_class(r.revision), format!("{code} rev {}", rev_text(r.revision)))
                }
                NetOutcome::Status(code) => ("resp-error".to_string(), code.to_string()),
                NetOutcome::Failed(f) => ("resp-failed".to_string(), failure_label(lang, f).to_string()),
            };
            let path = r.hops.iter().map(|h| hop_label(h.kind, &h.name)).collect::<Vec<_>>().join(" → ");
            html! {
                <li key={r.id.to_string()} class={classes!("resp", class)} data-testid="request"
                    data-revision={rev_text(r.revision)} title={format!("t={} {} {label} ({path})", clock(r.at), r.url)}></li>
            }
        })
        .collect()
}

pub fn rev_text(r: Option<i64>) -> String {
    r.map(|r| r.to_string()).unwrap_or_else(|| "-".into())
}

fn hop_label(kind: HopKind, name: &str) -> String {
    let k = match kind {
        HopKind::Client => "",
        HopKind::LoadBalancer => "lb/",
        HopKind::Node => "node/",
        HopKind::Service => "svc/",
        HopKind::Pod => "pod/",
        HopKind::ApiServer => "apiserver/",
    };
    format!("{k}{name}")
}

/// New settings replay the recording from the start, in a new run.
#[function_component(SettingsPanel)]
pub fn settings_panel(props: &super::RunProps) -> Html {
    let lang = props.lang;
    let t = |m| text(lang, m);
    let current = props.run.read().settings.clone();
    let draft = use_state(|| current.clone());
    let message = use_state(|| None::<String>);
    let field = |label: Msg, value: String, testid: &'static str, set: fn(&mut Settings, u64)| {
        let draft = draft.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            if let Ok(v) = e.target_unchecked_into::<HtmlInputElement>().value().parse::<u64>() {
                let mut s = (*draft).clone();
                set(&mut s, v);
                draft.set(s);
            }
        });
        html! { <label>{ t(label) }<input type="number" min="0" value={value} {oninput} data-testid={testid} /></label> }
    };
    let lb = {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            let mut s = (*draft).clone();
            s.load_balancer_ms = on.then_some(crate::cluster::settings::DEFAULT_LOAD_BALANCER_MS);
            draft.set(s);
        })
    };
    let apply = {
        let (props, draft, message) = (props.clone(), draft.clone(), message.clone());
        Callback::from(move |_: MouseEvent| {
            let mut s = (*draft).clone();
            s.workers = s.workers.clamp(1, crate::cluster::settings::MAX_WORKERS);
            let (log, at) = {
                let run = props.run.read();
                (run.log().to_vec(), run.now())
            };
            match Run::replay(s, log, at) {
                Ok(run) => {
                    message.set(None);
                    props.send(Change::Replace(Box::new(run)));
                }
                Err(e) => message.set(Some(e)),
            }
        })
    };
    // A display preference: it changes nothing in the run, so it applies at once.
    let hints = {
        let props = props.clone();
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            super::remember_hints(on);
            props.send(Change::Hints(on));
        })
    };
    let d = (*draft).clone();
    html! {
        <div class="settings">
            { field(Msg::Workers, d.workers.to_string(), "setting-workers", |s, v| s.workers = v.min(u64::from(u32::MAX)) as u32) }
            { field(Msg::StartMs, d.timings.start_ms.to_string(), "setting-start", |s, v| s.timings.start_ms = v) }
            { field(Msg::StopMs, d.timings.stop_ms.map(|v| v.to_string()).unwrap_or_default(), "setting-stop", |s, v| s.timings.stop_ms = Some(v)) }
            { field(Msg::Seed, d.seed.to_string(), "setting-seed", |s, v| s.seed = v) }
            <label class="check"><input type="checkbox" checked={d.load_balancer_ms.is_some()} onchange={lb}
                data-testid="setting-lb" />{ t(Msg::CloudLb) }</label>
            <p class="hint-text">{ t(Msg::SettingsHint) }</p>
            <label class="check"><input type="checkbox" checked={props.hints} onchange={hints}
                data-testid="setting-hints" />{ t(Msg::ShowHints) }</label>
            <button type="button" class="apply-button" onclick={apply} data-testid="settings-apply">{ t(Msg::ApplySettings) }</button>
            if let Some(m) = &*message { <p class="editor-message" role="alert">{ m }</p> }
        </div>
    }
}
