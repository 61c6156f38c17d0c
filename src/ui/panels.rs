//! The side panels: events and the decision log (following the playhead, filterable), the Deployment's revision
//! history with "roll back to this" (a `kubectl rollout undo` typed into the terminal), traffic, and settings.

use super::{Change, StageProps};
use crate::cluster::Settings;
use crate::i18n::{text, Msg};
use crate::net::{HopKind, Outcome as NetOutcome, Record};
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
        .filter(|d| keep(&[&d.controller, &d.object, &d.message]))
        .rev()
        .map(|d| {
            html! {
                <li class="decision"><span class="when">{ format!("t={}", clock(d.at)) }</span>
                    <span class="who">{ format!(" {} {}: ", d.controller, d.object) }</span>{ &d.message }</li>
            }
        })
        .collect();
    html! {
        <div class="events">
            <label class="filter">{ t(Msg::Filter) }
                <input type="search" value={(*filter).clone()} {oninput} data-testid="event-filter" />
            </label>
            <h3 class="section-title">{ t(Msg::EventsTitle) }</h3>
            <div class="table-wrap">
                <table class="event-table">
                    <thead><tr><th>{ "LAST SEEN" }</th><th>{ "TYPE" }</th><th>{ "REASON" }</th><th>{ "OBJECT" }</th>
                        <th>{ "MESSAGE" }</th></tr></thead>
                    <tbody>{ events }</tbody>
                </table>
            </div>
            <h3 class="section-title">{ t(Msg::DecisionsTitle) }</h3>
            <ul class="decisions">{ decisions }</ul>
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
            lanes.sort_by_key(|l| l.revision);
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

#[function_component(Traffic)]
pub fn traffic(p: &StageProps) -> Html {
    let props = &p.run;
    let t = |m| text(props.lang, m);
    let run = props.run.read();
    let s = &p.stage;
    let suggested = s
        .services
        .iter()
        .find(|c| c.name != "kubernetes")
        .map(|c| {
            format!("http://{}:{}/", c.name, c.ports.first().and_then(|p| p.split([':', '/']).next()).unwrap_or("80"))
        })
        .unwrap_or_else(|| "http://my-service/".into());
    let url = use_state(|| suggested.clone());
    let rate = use_state(|| 10u32);
    let source = use_state(String::new);
    let message = use_state(|| None::<String>);

    let pod_names: Vec<String> = s
        .deployments
        .iter()
        .flat_map(|d| d.lanes.iter().flat_map(|l| l.pods.iter()))
        .chain(s.loose.iter())
        .filter(|p| p.state == stage::PodState::Ready)
        .map(|p| p.name.clone())
        .collect();
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
    let now = run.now();
    let records: Vec<&Record> = run.sim().net.records.iter().rev().take(STRIP).collect();
    let strip: Html = records
        .iter()
        .rev()
        .map(|r| {
            let (class, label) = match r.outcome {
                NetOutcome::Status(code) if code < 400 => {
                    (super::stage::revision_class(r.revision), format!("{code} rev {}", rev_text(r.revision)))
                }
                NetOutcome::Status(code) => ("resp-error".to_string(), code.to_string()),
                NetOutcome::Failed(f) => ("resp-failed".to_string(), f.label().to_string()),
            };
            html! {
                <li key={r.id.to_string()} class={classes!("resp", class)} data-testid="request"
                    data-revision={rev_text(r.revision)} title={format!("t={} {} {label}", clock(r.at), r.url)}></li>
            }
        })
        .collect();
    // Requests in flight (sent in the last second): a dot along their hops, red where one failed.
    let flights: Html = records
        .iter()
        .filter(|r| now.saturating_sub(r.at) < 1_000)
        .take(12)
        .map(|r| {
            let hops = r.hops.len().max(1);
            let (reach, class) = match r.outcome {
                NetOutcome::Failed(_) => {
                    (hops.saturating_sub(1) as f64 / hops as f64 * 100.0, "dot-failed".to_string())
                }
                NetOutcome::Status(c) if c >= 400 => (100.0, "dot-failed".to_string()),
                NetOutcome::Status(_) => (100.0, super::stage::revision_class(r.revision)),
            };
            let path = r.hops.iter().map(|h| hop_label(h.kind, &h.name)).collect::<Vec<_>>().join(" → ");
            html! {
                <li key={r.id.to_string()} class="flight" title={path.clone()}>
                    <span class="flight-path">{ path }</span>
                    <span class={classes!("dot", class)} style={format!("--reach: {reach:.0}%")}></span>
                </li>
            }
        })
        .collect();
    let counters: Html = run
        .sim()
        .net
        .counters
        .by_revision
        .iter()
        .map(|(rev, n)| {
            html! {
                <li class="counter"><span class={classes!("swatch", super::stage::revision_class(*rev))}></span>
                    { format!("rev {}: {n}", rev_text(*rev)) }</li>
            }
        })
        .collect();
    let failures: u64 = run.sim().net.counters.by_failure.values().sum();

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
        let source = source.clone();
        Callback::from(move |e: Event| source.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
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
            if let Some(m) = &*message { <p class="editor-message" role="alert">{ m }</p> }
            <ul class="generators">{ generators }</ul>
            <ul class="flights" aria-hidden="true">{ flights }</ul>
            <h3 class="section-title">{ t(Msg::ResponsesTitle) }</h3>
            <ul class="strip" aria-label={t(Msg::ResponsesTitle)}>{ strip }</ul>
            <ul class="counters">
                { counters }
                if failures > 0 { <li class="counter"><span class="swatch resp-failed"></span>{ format!("{}: {failures}", t(Msg::Failed)) }</li> }
            </ul>
        </div>
    }
}

fn rev_text(r: Option<i64>) -> String {
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
            <button type="button" class="apply-button" onclick={apply} data-testid="settings-apply">{ t(Msg::ApplySettings) }</button>
            if let Some(m) = &*message { <p class="editor-message" role="alert">{ m }</p> }
        </div>
    }
}
