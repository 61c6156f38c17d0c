//! The stage: Deployment cards with the rollout budget, ReplicaSet lanes of pod tiles (or the pods by node), loose
//! pods and Services. Tiles are keyed by pod uid, so a pod that goes away leaves and a new one arrives (CSS animates
//! the arrival; the reduced-motion setting turns it off). Clicking an object shows its `kubectl describe` and YAML,
//! asked of kubectl by kind and name (read-only: the run is borrowed, never copied or changed).

use crate::api::Kind;
use crate::i18n::{budget_available, budget_counted, budget_rounding, text, Lang, Msg};
use crate::i18n::{cause_text, failure_label};
use crate::kubectl;
use crate::scenario::stage::{self, Budget, DeploymentCard, Dot, PodTile, Route, ServiceCard, Stage, Stop, Traffic};
use std::rc::Rc;
use yew::prelude::*;

/// Pod name → the revision of its ReplicaSet.
type Revisions<'a> = std::collections::HashMap<&'a str, Option<i64>>;

/// The revision colour class: 8 colour-blind-safe colours (Okabe–Ito), by revision.
pub fn revision_class(revision: Option<i64>) -> String {
    match revision {
        Some(r) if r > 0 => format!("rev-{}", (r - 1) % 8),
        _ => "rev-none".into(),
    }
}

#[function_component(StageView)]
pub fn stage_view(p: &super::StageProps) -> Html {
    let props = &p.run;
    let lang = props.lang;
    let t = |m| text(lang, m);
    let by_node = use_state(|| false);
    let selected = use_state(|| None::<(Kind, String)>);
    let s: &Stage = &p.stage;
    // One callback for every tile, stable across renders, so unchanged tiles skip theirs.
    let select = {
        let selected = selected.clone();
        use_callback((), move |what: (Kind, String), _| selected.set(Some(what)))
    };

    let toggle = |value: bool, label: Msg| {
        let state = by_node.clone();
        html! {
            <button type="button" class="view-button" aria-pressed={(*by_node == value).to_string()}
                onclick={Callback::from(move |_| state.set(value))}>{ t(label) }</button>
        }
    };

    let body = if *by_node {
        s.nodes
            .iter()
            .map(|n| {
                html! {
                    <section class="node" key={n.name.clone()} aria-label={n.name.clone()}>
                        <h4 class="lane-title">
                            <span class="obj-name">{ &n.name }</span>
                            if n.control_plane { <span class="badge">{ "control-plane" }</span> }
                            if !n.ready { <span class="badge badge-bad">{ "NotReady" }</span> }
                        </h4>
                        { tiles(&n.pods, lang, &select, &p.traffic) }
                    </section>
                }
            })
            .collect::<Html>()
    } else {
        html! {
            <>
                { for s.deployments.iter().map(|d| deployment(d, lang, &select, &p.traffic)) }
                if !s.loose.is_empty() {
                    <section class="deployment loose">
                        <h3 class="card-title">{ t(Msg::LoosePods) }</h3>
                        { tiles(&s.loose, lang, &select, &p.traffic) }
                    </section>
                }
                if s.deployments.is_empty() && s.loose.is_empty() {
                    <p class="placeholder">{ t(Msg::StageEmpty) }</p>
                }
            </>
        }
    };

    // Each pod's revision by name, once, for the colours of the Services' endpoint lines.
    let revisions: Revisions = s
        .deployments
        .iter()
        .flat_map(|d| d.lanes.iter())
        .flat_map(|l| l.pods.iter())
        .chain(s.loose.iter())
        .map(|p| (p.name.as_str(), p.revision))
        .collect();

    // Requests that never reached a Service (an unresolved name, an address outside the cluster): they stop at the
    // client, with their reason.
    let at_client: Vec<&Dot> = p.traffic.dots.iter().filter(|d| d.stop == Stop::Client).collect();
    let client_stops: Html = at_client.iter().map(|d| dot(d, lang)).collect();

    let details = selected.as_ref().map(|(kind, name)| {
        // Reading never changes the run: both views borrow the simulation.
        let (describe, yaml) = {
            let run = props.run.read();
            let ns = stage::NAMESPACE;
            (kubectl::describe_object(run.sim(), *kind, ns, name), kubectl::object_yaml(run.sim(), *kind, ns, name))
        };
        let kind = kind.singular();
        let close = {
            let selected = selected.clone();
            Callback::from(move |_| selected.set(None))
        };
        html! {
            <section class="details" aria-label={format!("{kind}/{name}")} data-testid="details">
                <header class="details-head">
                    <h3>{ format!("{kind}/{name}") }</h3>
                    <button type="button" class="view-button" onclick={close}>{ t(Msg::Close) }</button>
                </header>
                <h4>{ format!("kubectl describe {kind} {name}") }</h4>
                <pre class="details-text">{ describe.stdout }{ describe.stderr }</pre>
                <h4>{ format!("kubectl get {kind} {name} -o yaml") }</h4>
                <pre class="details-text">{ yaml.stdout }{ yaml.stderr }</pre>
            </section>
        }
    });

    html! {
        <div class="stage">
            <div class="view-switch" role="group" aria-label={t(Msg::StageView)}>
                { toggle(false, Msg::ByReplicaSet) }
                { toggle(true, Msg::ByNode) }
            </div>
            if !at_client.is_empty() {
                <div class="client-stops" data-testid="client-stops">
                    <span class="kind">{ t(Msg::Clients) }</span>{ client_stops }
                </div>
            }
            if s.services.iter().any(|c| c.name != "kubernetes") || !p.traffic.dots.is_empty() {
                <h3 class="section-title">{ t(Msg::ServicesTitle) }</h3>
                <div class="services">
                    { for s.services.iter().filter(|c| c.name != "kubernetes").map(|c| service(c, lang, &revisions, &select, &p.traffic)) }
                    { for s.services.iter().filter(|c| c.name == "kubernetes").map(|c| service(c, lang, &revisions, &select, &p.traffic)) }
                </div>
            }
            <div class="stage-body">{ body }</div>
            if s.services.iter().all(|c| c.name == "kubernetes") && p.traffic.dots.is_empty() {
                <h3 class="section-title">{ t(Msg::ServicesTitle) }</h3>
                <div class="services">
                    { for s.services.iter().map(|c| service(c, lang, &revisions, &select, &p.traffic)) }
                </div>
            }
            { details.unwrap_or_default() }
        </div>
    }
}

fn object_button(kind: Kind, name: &str, select: &Callback<(Kind, String)>) -> Html {
    let (cb, owned) = (select.clone(), name.to_string());
    html! {
        <button type="button" class="obj-name obj-link" onclick={Callback::from(move |_| cb.emit((kind, owned.clone())))}>
            { name }
        </button>
    }
}

fn deployment(d: &DeploymentCard, lang: Lang, select: &Callback<(Kind, String)>, traffic: &Traffic) -> Html {
    let t = |m| text(lang, m);
    let lanes: Html = d
        .lanes
        .iter()
        .map(|l| {
            let revision = l.revision.map(|r| r.to_string()).unwrap_or_default();
            html! {
                <section key={l.name.clone()} class={classes!("lane", if l.new { "lane-new" } else { "lane-old" })}
                    data-testid="replicaset" data-revision={revision.clone()} data-name={l.name.clone()}>
                    <h4 class="lane-title">
                        <span class={classes!("swatch", revision_class(l.revision))} aria-hidden="true"></span>
                        { object_button(Kind::ReplicaSet, &l.name, select) }
                        <span class="badge">{ format!("rev {revision}") }</span>
                        <span class="badge">{ if l.new { t(Msg::NewRs) } else { t(Msg::OldRs) } }</span>
                        <span class="lane-counts">
                            { format!("DESIRED {} · CURRENT {} · READY {}", l.desired, l.current, l.ready) }
                        </span>
                        <span class="lane-image">{ l.images.join(", ") }</span>
                    </h4>
                    { tiles(&l.pods, lang, select, traffic) }
                </section>
            }
        })
        .collect();
    let revision = d.revision.map(|r| r.to_string()).unwrap_or_default();
    html! {
        <section class="deployment" key={d.name.clone()} data-testid="deployment" data-name={d.name.clone()}>
            <h3 class="card-title">
                <span class="kind">{ "Deployment" }</span>
                { object_button(Kind::Deployment, &d.name, select) }
                <span class="card-counts">
                    { format!("READY {}/{} · UP-TO-DATE {} · AVAILABLE {} · rev {revision}", d.ready, d.replicas,
                        d.up_to_date, d.available) }
                </span>
                if let Some(p) = &d.progress { <span class={classes!("badge", (p == "ProgressDeadlineExceeded").then_some("badge-bad"))}>{ p }</span> }
                if d.paused { <span class="badge">{ t(Msg::Paused) }</span> }
            </h3>
            { d.budget.as_ref().map(|b| budget(b, lang)).unwrap_or_else(|| html! {
                <p class="budget-line">{ format!("{}: {}", t(Msg::Strategy), d.strategy) }</p>
            }) }
            <div class="lanes">{ lanes }</div>
        </section>
    }
}

/// The budget bars: one cell per pod the controller may count (replicas + maxSurge), and one per replica with the
/// minimum available marked.
fn budget(b: &Budget, lang: Lang) -> Html {
    let rounding = budget_rounding(lang, b);
    let max = b.max_total().max(b.counted).max(1);
    let counted: Html = (0..max)
        .map(|i| {
            let class = if i < b.counted { "cell cell-on" } else { "cell" };
            let over = if i >= b.replicas { "cell-surge" } else { "" };
            html! { <span class={classes!(class, over)}></span> }
        })
        .collect();
    let avail_max = b.replicas.max(b.available).max(1);
    let available: Html = (0..avail_max)
        .map(|i| {
            let class = if i < b.available { "cell cell-on" } else { "cell" };
            let floor = if i < b.min_available() { "cell-floor" } else { "" };
            html! { <span class={classes!(class, floor)}></span> }
        })
        .collect();
    html! {
        <div class="budget" title={rounding.clone()} tabindex="0" aria-label={rounding.clone()}>
            <div class="budget-row">
                <span class="budget-label">{ budget_counted(lang, b) }</span>
                <span class="cells" aria-hidden="true">{ counted }</span>
            </div>
            <div class="budget-row">
                <span class="budget-label">{ budget_available(lang, b) }</span>
                <span class="cells" aria-hidden="true">{ available }</span>
            </div>
        </div>
    }
}

fn tiles(pods: &[Rc<PodTile>], lang: Lang, select: &Callback<(Kind, String)>, traffic: &Traffic) -> Html {
    let items: Html = pods
        .iter()
        .map(|p| {
            let hits = traffic.hits.get(&p.name).copied().unwrap_or(0);
            let dots: Vec<Dot> =
                traffic.dots.iter().filter(|d| matches!(&d.stop, Stop::Pod(n) if *n == p.name)).cloned().collect();
            html! { <Tile key={p.uid.clone()} tile={p.clone()} {lang} select={select.clone()} {hits} {dots} /> }
        })
        .collect();
    html! { <ul class="pods" aria-label={text(lang, Msg::PodsList)}>{ items }</ul> }
}

#[derive(Properties, Clone, PartialEq)]
struct TileProps {
    tile: Rc<PodTile>,
    lang: Lang,
    select: Callback<(Kind, String)>,
    /// Answers in the last few seconds.
    hits: u32,
    /// Requests that just ended here.
    dots: Vec<Dot>,
}

/// One pod. A component of its own so that a tile whose pod did not change is not drawn again.
#[function_component(Tile)]
fn tile(props: &TileProps) -> Html {
    let p = &props.tile;
    let revision = p.revision.map(|r| r.to_string()).unwrap_or_default();
    // The accessible name starts with the tile's visible text (r1 abcde Ready), then says it in full.
    let visible = format!(
        "{} {} {}",
        if revision.is_empty() { "·".to_string() } else { format!("r{revision}") },
        p.short,
        state_glyph(p)
    );
    let label = format!(
        "{visible} — {} · {} · {}{}",
        p.name,
        p.status,
        if p.ready { "Ready" } else { text(props.lang, Msg::NotReady) },
        p.revision.map(|r| format!(" · rev {r}")).unwrap_or_default()
    );
    let (cb, name) = (props.select.clone(), p.name.clone());
    let lang = props.lang;
    let dots: Html = props.dots.iter().map(|d| dot(d, lang)).collect();
    html! {
        <li class={classes!("pod", format!("state-{}", p.state.id()), revision_class(p.revision))}
            data-testid="pod" data-name={p.name.clone()} data-revision={revision.clone()}
            data-phase={p.phase.clone()} data-state={p.state.id()} data-ready={p.ready.to_string()}>
            <button type="button" class="pod-button" title={label.clone()} aria-label={label}
                onclick={Callback::from(move |_| cb.emit((Kind::Pod, name.clone())))}>
                <span class="pod-rev">{ if revision.is_empty() { "·".to_string() } else { format!("r{revision}") } }</span>
                <span class="pod-short">{ &p.short }</span>
                <span class="pod-state">{ state_glyph(p) }</span>
            </button>
            if props.hits > 0 {
                <span class="pod-hits" data-testid="pod-hits" title={text(lang, Msg::AnsweredRecently)}>
                    { format!("↓{}", props.hits) }
                </span>
            }
            { dots }
        </li>
    }
}

/// A short word for the tile: the state in kubectl's own vocabulary.
fn state_glyph(p: &PodTile) -> String {
    use stage::PodState::*;
    match p.state {
        Ready => "Ready".into(),
        RunningNotReady => "0/1".into(),
        Pending => "Pending".into(),
        ContainerCreating => "Creating".into(),
        Terminating => "Terminating".into(),
        ImagePull | CrashLoopBackOff | Other => p.status.clone(),
    }
}

/// A request that ended at a pod, a Service or its client: it falls in from above (where the Services are) and
/// fades; a failed one is marked and says why in its title.
fn dot(d: &Dot, lang: Lang) -> Html {
    let (pod, revision) = match &d.stop {
        Stop::Pod(p) => (Some(p.clone()), d.revision.map(|r| r.to_string())),
        _ => (None, None),
    };
    let (class, title) = match (d.failed, d.cause) {
        (Some(f), cause) => (
            "req-failed".to_string(),
            format!(
                "{}{}",
                failure_label(lang, f),
                cause.map(|c| format!(": {}", cause_text(lang, c).0)).unwrap_or_default()
            ),
        ),
        (None, _) => (revision_class(d.revision), format!("rev {}", revision.clone().unwrap_or_default())),
    };
    html! {
        <span key={d.id.to_string()} class={classes!("req-dot", class)} data-testid="request-dot"
            data-pod={pod} data-revision={revision} data-failed={d.failed.map(|_| "true")} {title}
            aria-hidden="true"></span>
    }
}

fn service(
    c: &ServiceCard,
    lang: Lang,
    revisions: &Revisions,
    select: &Callback<(Kind, String)>,
    traffic: &Traffic,
) -> Html {
    let t = |m| text(lang, m);
    // Requests through this Service in the last second, and the ones that stopped here.
    let through = traffic.dots.iter().filter(|d| d.service.as_deref() == Some(c.name.as_str())).count();
    let here: Vec<&Dot> = traffic.dots.iter().filter(|d| d.stop == Stop::Service(c.name.clone())).collect();
    let stopped_here = !here.is_empty();
    let stopped: Html = here.iter().map(|d| dot(d, lang)).collect();
    // The endpoint pods' revisions, for the colour of each line.
    let revision_of = |pod: &str| revisions.get(pod).copied().flatten();
    let external = if c.type_ == "LoadBalancer" {
        Some(if c.external.is_empty() { "<pending>".to_string() } else { c.external.join(",") })
    } else {
        None
    };
    html! {
        <section class="service" key={c.name.clone()} data-testid="service" data-name={c.name.clone()}
            data-type={c.type_.clone()}>
            <h4 class="lane-title">
                <span class="kind">{ "Service" }</span>
                { object_button(Kind::Service, &c.name, select) }
                <span class="badge">{ &c.type_ }</span>
                if through > 0 {
                    <span class="badge badge-traffic" data-testid="service-traffic">{ format!("→ {through}/s") }</span>
                }
            </h4>
            if stopped_here {
                <div class="svc-stops" title={t(Msg::StoppedAtService)}>{ stopped }</div>
            }
            <p class="svc-addr">
                { format!("CLUSTER-IP {} · PORT(S) {}", c.cluster_ip, c.ports.join(",")) }
                if let Some(e) = external { { format!(" · EXTERNAL-IP {e}") } }
            </p>
            <ul class="endpoints" aria-label={t(Msg::Endpoints)}>
                { for c.endpoints.iter().map(|(pod, route)| html! {
                    <li class={classes!("endpoint", revision_class(revision_of(pod)), format!("endpoint-{}", route.id()))}
                        data-testid="endpoint" data-pod={pod.clone()} data-route={route.id()}>
                        <span class="ep-line" aria-hidden="true"></span>
                        { pod }{ match route {
                            Route::Ready => String::new(),
                            Route::Terminating => format!(" ({})", t(Msg::TerminatingEndpoint)),
                            Route::NotReady => format!(" ({})", t(Msg::NotReady)),
                        } }
                    </li>
                }) }
                if c.endpoints.is_empty() { <li class="endpoint endpoint-none">{ t(Msg::NoEndpoints) }</li> }
            </ul>
        </section>
    }
}
