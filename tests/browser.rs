//! Browser tests of the UI glue, run by wasm-bindgen-test in headless Chromium (`cargo xtask test`).
#![cfg(target_arch = "wasm32")]

use gloo::timers::future::TimeoutFuture;
use kubeplay::ui::{storage, App};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

thread_local! {
    /// The app the previous test mounted: destroyed before the next one mounts, so it stops playing and saving.
    static MOUNTED: std::cell::RefCell<Option<(yew::AppHandle<App>, Element)>> = const { std::cell::RefCell::new(None) };
}

/// Forgets every saved run, draft and progress (the language choice stays).
fn clear_saved() {
    for key in
        [storage::RUN_KEY, storage::PREVIOUS_KEY, storage::UNREADABLE_KEY, storage::DRAFT_KEY, storage::PROGRESS_KEY]
    {
        storage::remove(key);
    }
}

/// Mounts the app into a fresh element, with nothing saved, and waits until it has rendered and run its effects.
async fn mount() -> Element {
    if let Some((app, old)) = MOUNTED.with(|m| m.borrow_mut().take()) {
        app.destroy();
        old.remove();
    }
    clear_saved();
    mount_keeping_storage().await
}

/// Mounts the app on whatever is saved (as a reload does).
async fn mount_keeping_storage() -> Element {
    if let Some((app, old)) = MOUNTED.with(|m| m.borrow_mut().take()) {
        app.destroy();
        old.remove();
    }
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    MOUNTED.with(|m| *m.borrow_mut() = Some((app, root.clone())));
    for _ in 0..50 {
        if root.query_selector("[data-testid=\"app-ready\"]").unwrap().is_some() {
            return root;
        }
        wait(10).await;
    }
    panic!("the app did not become ready; DOM: {}", root.inner_html());
}

/// Lets `ms` of wall time pass (for the player to advance virtual time), then waits until every render the page
/// has scheduled, and its effects, are done. Yew yields to the browser every 16 ms, so on a busy machine a render can
/// still be pending after any fixed sleep; `flush` makes the wait end on the render, not on a guess.
async fn wait(ms: u32) {
    TimeoutFuture::new(ms).await;
    yew::scheduler::flush().await;
}

fn texts(root: &Element, css: &str) -> Vec<String> {
    let list = root.query_selector_all(css).unwrap();
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.text_content()).collect()
}

/// The value of `attribute` on every element matching `css`, in document order.
fn attributes(root: &Element, css: &str, attribute: &str) -> Vec<String> {
    let list = root.query_selector_all(css).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .filter_map(|e| e.get_attribute(attribute))
        .collect()
}

#[wasm_bindgen_test]
async fn the_app_mounts_with_its_labelled_regions() {
    let root = mount().await;
    let regions = attributes(&root, "[data-region]", "data-region");
    assert_eq!(regions, ["timeline", "editor", "stage", "terminal", "side"]);
    // Every region is labelled (by its heading, or by a label), for screen readers.
    let list = root.query_selector_all("section[data-region]").unwrap();
    for i in 0..list.length() {
        let section: Element = list.item(i).unwrap().dyn_into().unwrap();
        let label = match section.get_attribute("aria-labelledby") {
            Some(id) => gloo::utils::document().get_element_by_id(&id).unwrap().text_content().unwrap(),
            None => section.get_attribute("aria-label").unwrap(),
        };
        assert!(!label.trim().is_empty());
    }
    assert_eq!(texts(&root, "h1"), ["kubeplay"]);
    // A tablist holds only tabs (the "+" for a new file sits beside the files' tablist).
    let tablists = root.query_selector_all("[role=\"tablist\"]").unwrap();
    assert!(tablists.length() >= 2);
    for i in 0..tablists.length() {
        let list: Element = tablists.item(i).unwrap().dyn_into().unwrap();
        let children = list.children();
        for j in 0..children.length() {
            assert_eq!(
                children.item(j).unwrap().get_attribute("role").as_deref(),
                Some("tab"),
                "{}",
                list.outer_html()
            );
        }
    }
    // A pod tile's accessible name contains what it shows (WCAG 2.5.3, label in name).
    let buttons = root.query_selector_all(".pod-button").unwrap();
    assert!(buttons.length() > 0);
    for i in 0..buttons.length() {
        let b: HtmlElement = buttons.item(i).unwrap().dyn_into().unwrap();
        let shown: Vec<String> =
            (0..b.children().length()).filter_map(|k| b.children().item(k)).filter_map(|c| c.text_content()).collect();
        let label = b.get_attribute("aria-label").unwrap();
        assert!(label.starts_with(&shown.join(" ")), "{label:?} does not contain {shown:?}");
    }
    root.remove();
}

#[wasm_bindgen_test]
async fn switching_language_changes_the_text_and_html_lang() {
    let root = mount().await;
    let buttons = root.query_selector_all(".lang-button").unwrap();
    let mut korean = None;
    let mut english = None;
    for i in 0..buttons.length() {
        let button: HtmlElement = buttons.item(i).unwrap().dyn_into().unwrap();
        match button.get_attribute("lang").as_deref() {
            Some("ko") => korean = Some(button),
            Some("en") => english = Some(button),
            _ => {}
        }
    }
    let (korean, english) = (korean.expect("a 한국어 button"), english.expect("an English button"));

    korean.click();
    wait(20).await;
    let html = gloo::utils::document().document_element().unwrap();
    assert_eq!(html.get_attribute("lang").as_deref(), Some("ko"));
    assert_eq!(korean.get_attribute("aria-pressed").as_deref(), Some("true"));
    assert!(texts(&root, "h2").contains(&"터미널".to_string()), "{:?}", texts(&root, "h2"));
    assert!(gloo::utils::document().title().contains("쿠버네티스"));
    // The decision log speaks Korean too; object names stay as they are.
    open_tab(&root, &["Events", "이벤트"]).await;
    let hangul = |t: &String| t.chars().any(|c| ('가'..='힣').contains(&c));
    let decisions = texts(&root, ".decision");
    assert!(!decisions.is_empty() && decisions.iter().all(hangul), "{decisions:?}");
    assert!(decisions.iter().any(|d| d.contains("my-nginx-deployment-")), "{decisions:?}");

    english.click();
    wait(20).await;
    assert_eq!(html.get_attribute("lang").as_deref(), Some("en"));
    assert!(texts(&root, "h2").contains(&"Terminal".to_string()));
    assert_eq!(korean.get_attribute("aria-pressed").as_deref(), Some("false"));
    let decisions = texts(&root, ".decision");
    assert!(!decisions.is_empty() && !decisions.iter().any(hangul), "{decisions:?}");
    root.remove();
}

/// Clicks the tab whose text is one of `names` (English, Korean) and waits for the render.
async fn open_tab(root: &Element, names: &[&str]) {
    let tabs = root.query_selector_all("[role=\"tab\"]").unwrap();
    for i in 0..tabs.length() {
        let tab: HtmlElement = tabs.item(i).unwrap().dyn_into().unwrap();
        if tab.text_content().is_some_and(|t| names.contains(&t.as_str())) {
            tab.click();
        }
    }
    wait(30).await;
}

/// Presses a key in an element, as the browser would dispatch it.
/// Dispatches a keydown of `key`; false when the page took it (prevented the browser's default).
fn press(target: &HtmlElement, key: &str) -> bool {
    press_with(target, key, false)
}

/// Ctrl and `key`, as a keydown.
fn press_ctrl(target: &HtmlElement, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_ctrl_key(true);
    init.set_bubbles(true);
    init.set_cancelable(true);
    target
        .dispatch_event(&web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap())
        .unwrap();
}

fn press_with(target: &HtmlElement, key: &str, shift: bool) -> bool {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap()
}

#[wasm_bindgen_test]
async fn the_terminal_runs_kubectl_and_recalls_its_history() {
    let root = mount().await;
    let input: web_sys::HtmlInputElement =
        root.query_selector("[data-testid=\"terminal-input\"]").unwrap().unwrap().dyn_into().unwrap();
    let output = root.query_selector("[data-testid=\"terminal-output\"]").unwrap().unwrap();
    input.set_value("kubectl get nodes");
    press(&input, "Enter");
    wait(30).await;
    let text = output.text_content().unwrap();
    assert!(text.contains("$ kubectl get nodes"), "{text}");
    assert!(text.contains("kubeplay-control-plane   Ready    control-plane"), "{text}");
    assert_eq!(input.value(), "", "the line is consumed");
    input.set_value("kubectl get svc -A");
    press(&input, "Enter");
    wait(30).await;
    assert!(output.text_content().unwrap().contains("kube-dns"));
    // ↑ walks back through the typed lines, ↓ forward to a fresh line.
    press(&input, "ArrowUp");
    assert_eq!(input.value(), "kubectl get svc -A");
    press(&input, "ArrowUp");
    assert_eq!(input.value(), "kubectl get nodes");
    press(&input, "ArrowUp");
    assert_eq!(input.value(), "kubectl get nodes", "the oldest line stays");
    press(&input, "ArrowDown");
    press(&input, "ArrowDown");
    assert_eq!(input.value(), "");
    // `clear` empties the view; errors keep kubectl's words.
    input.set_value("clear");
    press(&input, "Enter");
    wait(30).await;
    assert_eq!(output.text_content().unwrap(), "");
    input.set_value("kubectl get deploymnets");
    press(&input, "Enter");
    wait(30).await;
    let text = output.text_content().unwrap();
    assert!(text.contains("error: the server doesn't have a resource type \"deploymnets\""), "{text}");
    root.remove();
}

fn by_testid<T: JsCast>(root: &Element, id: &str) -> T {
    root.query_selector(&format!("[data-testid=\"{id}\"]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no {id}"))
        .dyn_into()
        .unwrap()
}

fn clock_ms(root: &Element) -> u64 {
    by_testid::<Element>(root, "clock").get_attribute("data-ms").unwrap().parse().unwrap()
}

/// The pods on the stage as (name, revision, state, ready).
fn pods(root: &Element) -> Vec<(String, String, String, String)> {
    let list = root.query_selector_all("[data-testid=\"pod\"]").unwrap();
    let mut v: Vec<_> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .map(|e| {
            let a = |k: &str| e.get_attribute(k).unwrap_or_default();
            (a("data-name"), a("data-revision"), a("data-state"), a("data-ready"))
        })
        .collect();
    v.sort();
    v
}

async fn type_line(root: &Element, line: &str) {
    let input: web_sys::HtmlInputElement = by_testid(root, "terminal-input");
    input.set_value(line);
    press(&input, "Enter");
    wait(30).await;
}

/// Sets a form control's value and fires the event Yew listens for.
fn set_value(target: &HtmlElement, value: &str, event: &str) {
    if let Some(i) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        i.set_value(value);
    } else if let Some(t) = target.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        t.set_value(value);
    } else if let Some(s) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
        s.set_value(value);
    }
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let e = web_sys::Event::new_with_event_init_dict(event, &init).unwrap();
    target.dispatch_event(&e).unwrap();
}

#[wasm_bindgen_test]
async fn the_landing_example_is_applied_and_plays() {
    let root = mount().await;
    // The example is in a tab and was applied through the terminal.
    let editor: web_sys::HtmlTextAreaElement = by_testid(&root, "editor");
    assert!(editor.value().contains("name: my-nginx-deployment") && editor.value().contains("image: nginx:1.10"));
    let output = by_testid::<Element>(&root, "terminal-output").text_content().unwrap();
    assert!(output.contains("$ kubectl apply -f my-nginx-deployment.yaml"), "{output}");
    assert!(output.contains("deployment.apps/my-nginx-deployment created"), "{output}");
    assert_eq!(pods(&root).len(), 3);
    assert!(pods(&root).iter().all(|p| p.1 == "1"));
    // It is playing: virtual time moves on its own.
    let t0 = clock_ms(&root);
    wait(400).await;
    assert!(clock_ms(&root) > t0, "the clock did not move from {t0}");
    assert_eq!(by_testid::<Element>(&root, "play").get_attribute("aria-pressed").as_deref(), Some("true"));
    root.remove();
}

/// Clicking a pod shows its `kubectl describe` and YAML, asked of kubectl by kind and name; looking changes nothing.
#[wasm_bindgen_test]
async fn clicking_a_pod_shows_its_description_and_yaml() {
    let root = mount().await;
    by_testid::<HtmlElement>(&root, "pause").click();
    wait(30).await;
    let name = pods(&root)[0].0.clone();
    let (t0, before) = (clock_ms(&root), pods(&root));
    let button: HtmlElement = root
        .query_selector(&format!("[data-testid=\"pod\"][data-name=\"{name}\"] .pod-button"))
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    button.click();
    wait(30).await;
    let details = by_testid::<Element>(&root, "details").text_content().unwrap();
    assert!(details.contains(&format!("kubectl describe pod {name}")), "{details}");
    assert!(details.contains("Namespace:") && details.contains("Controlled By:"), "{details}");
    assert!(details.contains(&format!("kubectl get pod {name} -o yaml")) && details.contains("kind: Pod"), "{details}");
    assert_eq!((clock_ms(&root), pods(&root)), (t0, before), "looking changed the run");
    root.remove();
}

#[wasm_bindgen_test]
async fn pause_step_and_speed_control_virtual_time() {
    let root = mount().await;
    by_testid::<HtmlElement>(&root, "pause").click();
    wait(150).await;
    let t0 = clock_ms(&root);
    wait(400).await;
    assert_eq!(clock_ms(&root), t0, "paused, the clock stands still");
    // Step: one controller round, jumping to the next timer when nothing is queued; still paused after.
    let mut stepped = t0;
    for _ in 0..5 {
        by_testid::<HtmlElement>(&root, "step").click();
        wait(30).await;
        stepped = clock_ms(&root);
        if stepped > t0 {
            break;
        }
    }
    assert!(stepped > t0, "stepping never reached the next timer");
    wait(300).await;
    assert_eq!(clock_ms(&root), stepped);
    // 8×: eight times the real time (a tick accounts for at most 250 ms of it).
    set_value(&by_testid(&root, "speed"), "8", "change");
    by_testid::<HtmlElement>(&root, "play").click();
    wait(600).await;
    by_testid::<HtmlElement>(&root, "pause").click();
    wait(50).await;
    let moved = clock_ms(&root) - stepped;
    assert!((2_400..=12_000).contains(&moved), "moved {moved} ms at 8× in about 600 ms");
    root.remove();
}

#[wasm_bindgen_test]
async fn the_scrubber_rewinds_and_replays_the_same_run() {
    let root = mount().await;
    by_testid::<HtmlElement>(&root, "pause").click();
    set_value(&by_testid(&root, "speed"), "8", "change");
    by_testid::<HtmlElement>(&root, "play").click();
    wait(1_000).await;
    type_line(&root, "kubectl set image deployment my-nginx-deployment nginx=nginx:1.11").await;
    wait(700).await;
    by_testid::<HtmlElement>(&root, "pause").click();
    wait(50).await;
    let (end, at_end) = (clock_ms(&root), pods(&root));
    assert!(at_end.iter().any(|p| p.1 == "2"), "{at_end:?}");
    let transcript = by_testid::<Element>(&root, "terminal-output").text_content().unwrap();
    // Back to the start: the landing state, the set-image not yet typed.
    let scrubber: HtmlElement = by_testid(&root, "scrubber");
    set_value(&scrubber, "0", "input");
    wait(50).await;
    assert_eq!(clock_ms(&root), 0);
    assert!(pods(&root).iter().all(|p| p.1 == "1"), "{:?}", pods(&root));
    let at_start = by_testid::<Element>(&root, "terminal-output").text_content().unwrap();
    assert!(!at_start.contains("set image"), "at t=0 the terminal has not seen the set image yet: {at_start}");
    // Forward to the end again (the scrubber's last step is the end of the run): the same pods (names, revisions,
    // states), the same terminal.
    let last_step = scrubber.get_attribute("max").unwrap();
    set_value(&scrubber, &last_step, "input");
    wait(50).await;
    assert_eq!(clock_ms(&root), end);
    assert_eq!(pods(&root), at_end);
    assert_eq!(by_testid::<Element>(&root, "terminal-output").text_content().unwrap(), transcript);
    root.remove();
}

#[wasm_bindgen_test]
async fn the_editor_marks_diagnostics_and_applies_with_ctrl_enter() {
    let root = mount().await;
    by_testid::<HtmlElement>(&root, "pause").click();
    let editor: HtmlElement = by_testid(&root, "editor");
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-nginx-deployment\nspec:\n  replica: 3\n";
    set_value(&editor, text, "input");
    wait(30).await;
    let problems = texts(&root, "[data-testid=\"diagnostics\"] li");
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("6:3 error: unknown field \"spec.replica\"")
                && p.contains("did you mean \"replicas\"?")),
        "{problems:?}"
    );
    let markers = root.query_selector_all(".gutter-error").unwrap();
    let marked: Element = (0..markers.length())
        .filter_map(|i| markers.item(i)?.dyn_into::<Element>().ok())
        .find(|e| e.text_content().as_deref() == Some("6"))
        .expect("a gutter marker on line 6");
    assert!(marked.get_attribute("title").unwrap().contains("unknown field \"spec.replica\""));
    assert!(!texts(&root, ".mark-error").is_empty(), "the span is underlined");
    // Ctrl+Enter applies: the command and the API server's refusal show in the terminal, and the text stays.
    press_ctrl(&editor, "Enter");
    wait(50).await;
    let out = by_testid::<Element>(&root, "terminal-output").text_content().unwrap();
    assert_eq!(out.matches("$ kubectl apply -f my-nginx-deployment.yaml").count(), 2, "{out}");
    assert!(out.contains("unknown field \"spec.replica\""), "{out}");
    assert_eq!(by_testid::<web_sys::HtmlTextAreaElement>(&root, "editor").value(), text);
    // The terminal reads the tab: `kubectl apply -f` there sees the edited text too.
    type_line(&root, "kubectl apply -f my-nginx-deployment.yaml").await;
    let out = by_testid::<Element>(&root, "terminal-output").text_content().unwrap();
    assert_eq!(out.matches("strict decoding error: unknown field \"spec.replica\"").count(), 2, "{out}");
    // After kubectl's error, kubeplay's hint names the place in the file and the fix.
    assert_eq!(out.matches("kubeplay hint: my-nginx-deployment.yaml:").count(), 2, "{out}");
    assert!(out.contains("unknown field \"spec.replica\"; did you mean \"replicas\"?"), "{out}");
    root.remove();
}

#[wasm_bindgen_test]
async fn files_are_created_renamed_and_closed_through_the_recording() {
    let root = mount().await;
    by_testid::<HtmlElement>(&root, "pause").click();
    let tabs = |root: &Element| texts(root, "[data-testid=\"editor-panel\"] [role=\"tab\"]");
    let before = tabs(&root);
    assert!(!before.iter().any(|t| t.contains("untitled-1.yaml")), "{before:?}");
    by_testid::<HtmlElement>(&root, "file-new").click();
    wait(30).await;
    assert!(tabs(&root).iter().any(|t| t.trim() == "untitled-1.yaml"), "{:?}", tabs(&root));
    // Typing, then renaming: the draft goes with the file under its new name (one change: write, then remove).
    let editor: HtmlElement = by_testid(&root, "editor");
    set_value(&editor, "kind: ConfigMap\n", "input");
    wait(30).await;
    by_testid::<HtmlElement>(&root, "file-rename").click();
    wait(30).await;
    let input: web_sys::HtmlInputElement = by_testid(&root, "file-rename-input");
    input.set_value("notes.yaml");
    press(&input, "Enter");
    wait(30).await;
    let now = tabs(&root);
    assert!(now.iter().any(|t| t.trim() == "notes.yaml"), "{now:?}");
    assert!(!now.iter().any(|t| t.contains("untitled-1.yaml")), "{now:?}");
    assert_eq!(by_testid::<web_sys::HtmlTextAreaElement>(&root, "editor").value(), "kind: ConfigMap\n");
    // The terminal reads the renamed file.
    type_line(&root, "kubectl apply -f notes.yaml").await;
    let out = by_testid::<Element>(&root, "terminal-output").text_content().unwrap();
    assert!(out.contains("$ kubectl apply -f notes.yaml"), "{out}");
    assert!(!out.contains("the path \"notes.yaml\" does not exist"), "{out}");
    // A name already taken is refused, with the file left as it was.
    by_testid::<HtmlElement>(&root, "file-rename").click();
    wait(30).await;
    let input: web_sys::HtmlInputElement = by_testid(&root, "file-rename-input");
    input.set_value(before[0].trim());
    press(&input, "Enter");
    wait(30).await;
    assert!(!texts(&root, ".editor-message").is_empty(), "the refusal is shown");
    assert!(tabs(&root).iter().any(|t| t.trim() == "notes.yaml"));
    // Closing removes the tab.
    by_testid::<HtmlElement>(&root, "file-close").click();
    wait(30).await;
    assert!(!tabs(&root).iter().any(|t| t.trim() == "notes.yaml"), "{:?}", tabs(&root));
    root.remove();
}

#[wasm_bindgen_test]
async fn a_dry_run_redirected_to_a_file_opens_a_tab_to_edit_and_apply() {
    let root = mount().await;
    by_testid::<HtmlElement>(&root, "pause").click();
    let tabs = |root: &Element| texts(root, "[data-testid=\"editor-panel\"] [role=\"tab\"]");
    type_line(
        &root,
        "kubectl create deployment web --image=nginx:1.25 --replicas=2 --dry-run=client -o yaml > web.yaml",
    )
    .await;
    // The output went to the file, which is a tab now, open, with what kubectl printed.
    assert!(tabs(&root).iter().any(|t| t.trim() == "web.yaml"), "{:?}", tabs(&root));
    let editor: web_sys::HtmlTextAreaElement = by_testid(&root, "editor");
    let generated = editor.value();
    assert!(generated.starts_with("apiVersion: apps/v1\nkind: Deployment\n"), "{generated}");
    assert!(generated.contains("  replicas: 2\n") && generated.contains("status: {}\n"), "{generated}");
    let out = by_testid::<Element>(&root, "terminal-output").text_content().unwrap();
    assert!(out.contains("--dry-run=client -o yaml > web.yaml"), "{out}");
    assert!(!out.contains("replicas: 2"), "the YAML went to the file, not the terminal: {out}");
    // Nothing was created: it was a dry run.
    type_line(&root, "kubectl get deployment web").await;
    let out = by_testid::<Element>(&root, "terminal-output").text_content().unwrap();
    assert!(out.contains("deployments.apps \"web\" not found"), "{out}");
    // Edit the file, then apply it (Ctrl+Enter types `kubectl apply -f web.yaml`).
    let edited = generated.replace("  replicas: 2\n", "  replicas: 4\n");
    let editor_el: HtmlElement = by_testid(&root, "editor");
    set_value(&editor_el, &edited, "input");
    wait(30).await;
    press_ctrl(&editor_el, "Enter");
    wait(50).await;
    let out = by_testid::<Element>(&root, "terminal-output").text_content().unwrap();
    assert!(out.contains("$ kubectl apply -f web.yaml") && out.contains("deployment.apps/web created"), "{out}");
    type_line(&root, "kubectl get deployment web -o jsonpath={.spec.replicas}").await;
    let out = by_testid::<Element>(&root, "terminal-output").text_content().unwrap();
    assert!(out.trim_end().ends_with('4'), "the edited file was applied: {out}");
    // `>>` appends to the tab, and `cat` prints it.
    type_line(&root, "kubectl get deployment web -o name >> web.yaml").await;
    assert!(by_testid::<web_sys::HtmlTextAreaElement>(&root, "editor")
        .value()
        .ends_with("status: {}\ndeployment.apps/web\n"));
    type_line(&root, "cat web.yaml | grep -c replicas").await;
    let out = by_testid::<Element>(&root, "terminal-output").text_content().unwrap();
    assert!(out.contains("cat web.yaml | grep -c replicas"), "{out}");
    root.remove();
}

#[wasm_bindgen_test]
async fn tab_completes_verbs_types_names_and_flags() {
    let root = mount().await;
    let input: web_sys::HtmlInputElement = by_testid(&root, "terminal-input");
    input.set_value("kubectl rollout und");
    press(&input, "Tab");
    assert_eq!(input.value(), "kubectl rollout undo ");
    input.set_value("kubectl get deploy");
    press(&input, "Tab");
    wait(30).await;
    assert_eq!(input.value(), "kubectl get deploy");
    assert_eq!(
        by_testid::<Element>(&root, "terminal-choices").text_content().unwrap(),
        "deploy  deployment  deployments"
    );
    input.set_value("kubectl get deployment my-");
    press(&input, "Tab");
    assert_eq!(input.value(), "kubectl get deployment my-nginx-deployment ");
    input.set_value("kubectl get pods --show-l");
    press(&input, "Tab");
    assert_eq!(input.value(), "kubectl get pods --show-labels ");
    root.remove();
}

#[wasm_bindgen_test]
async fn tab_never_traps_the_keyboard_in_the_terminal() {
    let root = mount().await;
    let input: web_sys::HtmlInputElement = by_testid(&root, "terminal-input");
    // On an empty line Tab is the browser's: the focus moves on.
    input.set_value("");
    assert!(press(&input, "Tab"), "Tab on an empty line must move the focus");
    // With text, Tab completes (the page takes it) ...
    input.set_value("kubectl get deployment my-");
    assert!(!press(&input, "Tab"), "Tab with text completes");
    assert_eq!(input.value(), "kubectl get deployment my-nginx-deployment ");
    // ... but Shift+Tab goes back, and after Escape Tab goes on, keeping the line.
    assert!(press_with(&input, "Tab", true), "Shift+Tab must move the focus back");
    press(&input, "Escape");
    assert!(press(&input, "Tab"), "Tab after Escape must move the focus");
    assert_eq!(input.value(), "kubectl get deployment my-nginx-deployment ");
    // Escape counts once: the next Tab completes again.
    assert!(!press(&input, "Tab"));
    root.remove();
}

#[wasm_bindgen_test]
async fn rolling_back_from_the_history_panel_types_the_command() {
    let root = mount().await;
    by_testid::<HtmlElement>(&root, "pause").click();
    type_line(&root, "kubectl set image deployment my-nginx-deployment nginx=nginx:1.11").await;
    open_tab(&root, &["History", "히스토리"]).await;
    let button: HtmlElement = root
        .query_selector("[data-testid=\"revision\"][data-revision=\"1\"] [data-testid=\"rollback\"]")
        .unwrap()
        .expect("a roll-back button for revision 1")
        .dyn_into()
        .unwrap();
    assert!(
        root.query_selector("[data-testid=\"revision\"][data-revision=\"2\"] [data-testid=\"rollback\"]")
            .unwrap()
            .is_none(),
        "the current revision has no roll-back button"
    );
    button.click();
    wait(30).await;
    let out = by_testid::<Element>(&root, "terminal-output").text_content().unwrap();
    assert!(out.contains("$ kubectl rollout undo deployment my-nginx-deployment --to-revision=1"), "{out}");
    assert!(out.contains("deployment.apps/my-nginx-deployment rolled back"), "{out}");
    root.remove();
}

#[wasm_bindgen_test]
async fn a_watch_streams_while_time_plays_and_ctrl_c_stops_it() {
    let root = mount().await;
    by_testid::<HtmlElement>(&root, "pause").click();
    type_line(&root, "kubectl get deployments -w").await;
    let output = by_testid::<Element>(&root, "terminal-output");
    let before = output.text_content().unwrap();
    assert!(
        root.query_selector("[data-testid=\"terminal-watching\"]").unwrap().is_some(),
        "the watch is shown as running"
    );
    type_line(&root, "kubectl scale deployment my-nginx-deployment --replicas=5").await;
    assert!(root.query_selector("[data-testid=\"terminal-watching\"]").unwrap().is_none(), "the next line ended it");
    // A new watch, then time plays: rows arrive without typing anything.
    type_line(&root, "kubectl get deployments -w").await;
    let started = output.text_content().unwrap();
    set_value(&by_testid(&root, "speed"), "8", "change");
    by_testid::<HtmlElement>(&root, "play").click();
    wait(1_500).await;
    let streamed = output.text_content().unwrap();
    assert!(streamed.len() > started.len() && started.len() > before.len(), "no rows streamed:\n{streamed}");
    assert!(
        streamed.trim_end().ends_with("5/5     5            5           1s")
            || streamed.contains("my-nginx-deployment   5/5"),
        "{streamed}"
    );
    // Ctrl+C stops it; nothing more is added while time plays on.
    let input: HtmlElement = by_testid(&root, "terminal-input");
    press_ctrl(&input, "c");
    wait(30).await;
    assert!(root.query_selector("[data-testid=\"terminal-watching\"]").unwrap().is_none());
    let stopped = output.text_content().unwrap();
    type_line(&root, "kubectl scale deployment my-nginx-deployment --replicas=2").await;
    wait(500).await;
    let after = output.text_content().unwrap();
    assert!(after.starts_with(&stopped) && !after[stopped.len()..].contains("my-nginx-deployment   "), "{after}");
    root.remove();
}

/// A workstation curl to a ClusterIP says at once what it waits for; the clock does not jump, and Ctrl+C stops it.
#[wasm_bindgen_test]
async fn a_waiting_curl_says_why_before_the_clock_moves_and_ctrl_c_stops_it() {
    let root = mount().await;
    by_testid::<HtmlElement>(&root, "pause").click();
    wait(30).await;
    let clock = || by_testid::<Element>(&root, "clock").text_content().unwrap();
    let before = clock();
    type_line(&root, "curl -s http://10.96.0.1/").await;
    let output = by_testid::<Element>(&root, "terminal-output").text_content().unwrap();
    assert!(output.contains("kubeplay hint: curl is waiting for http://10.96.0.1/:"), "{output}");
    assert!(output.contains("(Ctrl+C stops it)"), "{output}");
    assert_eq!(clock(), before, "the clock has not jumped");
    assert!(root.query_selector("[data-testid=\"terminal-waiting\"]").unwrap().is_some());
    let input: HtmlElement = by_testid(&root, "terminal-input");
    press_ctrl(&input, "c");
    wait(30).await;
    assert!(root.query_selector("[data-testid=\"terminal-waiting\"]").unwrap().is_none());
    let output = by_testid::<Element>(&root, "terminal-output").text_content().unwrap();
    assert!(output.trim_end().ends_with("^C"), "{output}");
    root.remove();
}

#[wasm_bindgen_test]
async fn rewinding_shows_the_file_as_it_was_and_acting_in_the_past_keeps_the_typing() {
    let root = mount().await;
    wait(300).await;
    by_testid::<HtmlElement>(&root, "pause").click();
    wait(30).await;
    assert!(clock_ms(&root) > 0);
    let editor: HtmlElement = by_testid(&root, "editor");
    let typed = "# my notes\n";
    set_value(&editor, typed, "input");
    // Leaving the field writes the file into the run.
    editor.dispatch_event(&web_sys::FocusEvent::new("blur").unwrap()).unwrap();
    wait(30).await;
    let scrubber: HtmlElement = by_testid(&root, "scrubber");
    set_value(&scrubber, "0", "input");
    wait(50).await;
    let shown = by_testid::<web_sys::HtmlTextAreaElement>(&root, "editor").value();
    assert!(shown.contains("name: my-nginx-deployment"), "at t=0 the tab shows the file as it was: {shown}");
    // A command in the past drops the recorded future, but not what was typed in it.
    type_line(&root, "kubectl get pods").await;
    assert_eq!(by_testid::<web_sys::HtmlTextAreaElement>(&root, "editor").value(), typed);
    root.remove();
}

/// Runs JavaScript in the page (an inline script runs when it is inserted).
fn js(code: &str) {
    let document = gloo::utils::document();
    let script = document.create_element("script").unwrap();
    script.set_text_content(Some(code));
    document.body().unwrap().append_child(&script).unwrap();
    script.remove();
}

fn text_of(root: &Element, id: &str) -> String {
    by_testid::<Element>(root, id).text_content().unwrap_or_default()
}

fn notice_kind(root: &Element) -> Option<String> {
    root.query_selector("[data-testid=\"notice\"]").unwrap().and_then(|n| n.get_attribute("data-kind"))
}

#[wasm_bindgen_test]
async fn the_lesson_picker_lists_every_lesson_and_a_lesson_step_checks_itself() {
    let root = mount().await;
    type_line(&root, "kubectl get pods -o wide").await;
    by_testid::<HtmlElement>(&root, "lessons").click();
    wait(30).await;
    let items = root.query_selector_all("[data-testid=\"lesson-item\"]").unwrap();
    assert_eq!(items.length(), 8);
    let first: HtmlElement = root
        .query_selector("[data-testid=\"lesson-item\"][data-lesson=\"01-deployment-basics\"] button")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    first.click();
    wait(50).await;
    let panel: Element = by_testid(&root, "lesson");
    assert_eq!(panel.get_attribute("data-step").as_deref(), Some("0"));
    assert_eq!(by_testid::<Element>(&root, "lesson-check").get_attribute("data-passed").as_deref(), Some("false"));
    // The lesson opened its file in the editor, and "type it" types the command in the terminal.
    assert!(by_testid::<web_sys::HtmlTextAreaElement>(&root, "editor").value().contains("image: nginx:1.10"));
    by_testid::<HtmlElement>(&root, "lesson-type").click();
    wait(50).await;
    assert!(text_of(&root, "terminal-output").contains("deployment.apps/my-nginx-deployment created"));
    set_value(&by_testid(&root, "speed"), "8", "change");
    by_testid::<HtmlElement>(&root, "play").click();
    let mut passed = false;
    for _ in 0..100 {
        wait(100).await;
        if by_testid::<Element>(&root, "lesson-check").get_attribute("data-passed").as_deref() == Some("true") {
            passed = true;
            break;
        }
    }
    assert!(passed, "the step's check passed once the pods were Ready (clock {})", clock_ms(&root));
    // Progress is saved, and the next step begins with its check not yet passed.
    wait(50).await;
    assert_eq!(storage::progress().get("01-deployment-basics"), Some(&1));
    by_testid::<HtmlElement>(&root, "lesson-next").click();
    wait(50).await;
    assert_eq!(by_testid::<Element>(&root, "lesson").get_attribute("data-step").as_deref(), Some("1"));
    assert_eq!(by_testid::<Element>(&root, "lesson-check").get_attribute("data-passed").as_deref(), Some("false"));
    // The run the lesson replaced was kept: the notice brings it back.
    assert_eq!(notice_kind(&root).as_deref(), Some("kept"));
    by_testid::<HtmlElement>(&root, "restore-previous").click();
    wait(50).await;
    assert!(text_of(&root, "terminal-output").contains("kubectl get pods -o wide"));
    assert!(root.query_selector("[data-testid=\"lesson\"]").unwrap().is_none());
    // And the lesson run is the one kept now.
    let kept = kubeplay::scenario::link::Link::decode(&storage::get(storage::PREVIOUS_KEY).unwrap()).unwrap();
    assert!(kept.log.iter().any(|r| matches!(&r.action, kubeplay::scenario::Action::EnterStep { step: 1, .. })));
    root.remove();
}

#[wasm_bindgen_test]
async fn autosave_restores_the_run_and_the_unsaved_draft_after_a_reload() {
    let root = mount().await;
    by_testid::<HtmlElement>(&root, "pause").click();
    type_line(&root, "kubectl scale deployment my-nginx-deployment --replicas=2").await;
    // Typed but not yet written to the run (no blur, no Apply): only the draft has it.
    let editor: HtmlElement = by_testid(&root, "editor");
    set_value(&editor, "# my notes\nkind: Deployment\n", "input");
    wait(50).await;
    let terminal = text_of(&root, "terminal-output");
    let saved = storage::get(storage::RUN_KEY).expect("the run was saved when the command was recorded");
    // A reload: a new app on what is stored.
    let root = mount_keeping_storage().await;
    assert_eq!(text_of(&root, "terminal-output"), terminal);
    assert_eq!(by_testid::<web_sys::HtmlTextAreaElement>(&root, "editor").value(), "# my notes\nkind: Deployment\n");
    assert_eq!(notice_kind(&root), None);
    // Opening the page wrote nothing.
    assert_eq!(storage::get(storage::RUN_KEY).as_deref(), Some(saved.as_str()));
    root.remove();
}

#[wasm_bindgen_test]
async fn a_share_link_opens_the_same_run_at_the_same_moment() {
    let root = mount().await;
    set_value(&by_testid(&root, "speed"), "8", "change");
    type_line(&root, "kubectl set image deployment my-nginx-deployment nginx=nginx:1.11").await;
    wait(700).await;
    by_testid::<HtmlElement>(&root, "pause").click();
    wait(50).await;
    let (clock, stage, terminal) = (clock_ms(&root), pods(&root), text_of(&root, "terminal-output"));
    by_testid::<HtmlElement>(&root, "share").click();
    wait(30).await;
    let url = by_testid::<web_sys::HtmlInputElement>(&root, "share-link").value();
    let fragment = url.split_once('#').expect("the link is in the fragment").1.to_string();
    assert!(fragment.starts_with("v1."), "{fragment}");
    // Someone else's page with saved work of its own, and an unsaved edit, opens the link.
    storage::set(storage::DRAFT_KEY, r##"["my-nginx-deployment.yaml","# unsaved\n"]"##).unwrap();
    gloo::utils::window().location().set_hash(&fragment).unwrap();
    let root = mount_keeping_storage().await;
    assert_eq!(notice_kind(&root).as_deref(), Some("link-opened"));
    assert_eq!(clock_ms(&root), clock);
    assert_eq!(pods(&root), stage);
    assert_eq!(text_of(&root, "terminal-output"), terminal);
    assert_eq!(gloo::utils::window().location().hash().unwrap(), "", "the fragment is cleared once read");
    // The shared run's file shows, not the other run's draft; that run is kept with its draft written into it.
    assert!(by_testid::<web_sys::HtmlTextAreaElement>(&root, "editor").value().contains("image: nginx:1.10"));
    assert_eq!(storage::get(storage::DRAFT_KEY), None);
    let kept = kubeplay::scenario::link::Link::decode(&storage::get(storage::PREVIOUS_KEY).unwrap()).unwrap();
    let kept = kept.open().unwrap();
    assert_eq!(kept.files.0["my-nginx-deployment.yaml"], "# unsaved\n");
    root.remove();
}

#[wasm_bindgen_test]
async fn a_damaged_or_cut_link_opens_the_saved_run_and_changes_nothing() {
    let root = mount().await;
    type_line(&root, "kubectl get pods").await;
    wait(50).await;
    let saved = storage::get(storage::RUN_KEY).unwrap();
    let good = kubeplay::scenario::link::Link::decode(&saved).unwrap().encode();
    for bad in ["v1.AAAA", "v7.abc", &good[..good.len() / 2], "v1.$$$"] {
        gloo::utils::window().location().set_hash(bad).unwrap();
        let root = mount_keeping_storage().await;
        assert_eq!(notice_kind(&root).as_deref(), Some("link-bad"), "{bad}");
        assert!(text_of(&root, "terminal-output").contains("kubectl get pods"), "the saved run opened");
        assert_eq!(storage::get(storage::RUN_KEY).as_deref(), Some(saved.as_str()), "{bad}");
        assert_eq!(storage::get(storage::PREVIOUS_KEY), None);
    }
    root.remove();
}

#[wasm_bindgen_test]
async fn storage_that_refuses_to_save_is_reported_not_fatal() {
    let root = mount().await;
    js("window.__setItem = Storage.prototype.setItem; \
        Storage.prototype.setItem = function () { throw new DOMException('the quota is full', 'QuotaExceededError'); };");
    type_line(&root, "kubectl get deployments").await;
    wait(50).await;
    js("Storage.prototype.setItem = window.__setItem;");
    assert_eq!(notice_kind(&root).as_deref(), Some("save-failed"));
    assert!(text_of(&root, "notice").contains("QuotaExceededError"), "{}", text_of(&root, "notice"));
    // The page goes on working.
    type_line(&root, "kubectl get pods").await;
    assert!(text_of(&root, "terminal-output").contains("my-nginx-deployment-"));
    root.remove();
}

#[wasm_bindgen_test]
async fn export_downloads_the_files_as_yaml_and_the_run_as_a_script() {
    let root = mount().await;
    // Record what would be downloaded: the file name and the Blob's text, read while its URL is alive.
    js("window.__click = HTMLAnchorElement.prototype.click; \
        HTMLAnchorElement.prototype.click = function () { \
          const x = new XMLHttpRequest(); x.open('GET', this.href, false); x.send(); \
          document.body.dataset.downloadName = this.download; document.body.dataset.downloadText = x.responseText; };");
    let body = gloo::utils::document().body().unwrap();
    by_testid::<HtmlElement>(&root, "export").click();
    wait(30).await;
    by_testid::<HtmlElement>(&root, "export-yaml").click();
    let got = |k: &str| body.get_attribute(k).unwrap_or_default();
    assert_eq!(got("data-download-name"), "kubeplay-files.yaml");
    assert!(got("data-download-text").starts_with("# my-nginx-deployment.yaml\napiVersion: apps/v1\n"));
    by_testid::<HtmlElement>(&root, "export-script").click();
    js("HTMLAnchorElement.prototype.click = window.__click;");
    assert_eq!(got("data-download-name"), "kubeplay-run.sh");
    let script = got("data-download-text");
    assert!(script.starts_with("#!/bin/sh\n"), "{script}");
    assert!(script.contains("cat > my-nginx-deployment.yaml <<'KUBEPLAY_EOF'\n"), "{script}");
    assert!(script.contains("\nkubectl apply -f my-nginx-deployment.yaml\n"), "{script}");
    root.remove();
}

#[wasm_bindgen_test]
async fn the_traffic_form_proposes_urls_that_work_and_requests_land_on_the_tiles() {
    let root = mount().await;
    // Until the landing example's pods are Ready, no URL can work: play fast until they are.
    set_value(&by_testid(&root, "speed"), "8", "change");
    for _ in 0..200 {
        if pods(&root).iter().filter(|p| p.3 == "true").count() == 3 {
            break;
        }
        wait(50).await;
    }
    assert_eq!(pods(&root).iter().filter(|p| p.3 == "true").count(), 3, "{:?}", pods(&root));
    type_line(&root, "kubectl expose deployment my-nginx-deployment --port=80 --type=NodePort").await;
    open_tab(&root, &["Traffic", "트래픽"]).await;
    // A cluster name from the workstation is flagged before anything is sent, with why.
    let url: HtmlElement = by_testid(&root, "traffic-url");
    set_value(&url, "http://my-nginx-deployment/", "input");
    wait(30).await;
    let warning = by_testid::<Element>(&root, "traffic-warning").text_content().unwrap();
    assert!(warning.contains("outside the cluster") || warning.contains("클러스터 밖"), "{warning}");
    // The proposals are each node's NodePort; choosing one clears the warning.
    let proposals = texts(&root, "[data-testid=\"traffic-proposal\"]");
    assert_eq!(proposals.len(), 4, "{proposals:?}");
    assert!(proposals.iter().all(|p| p.starts_with("http://172.18.0.")), "{proposals:?}");
    by_testid::<HtmlElement>(&root, "traffic-proposal").click();
    wait(30).await;
    assert_eq!(by_testid::<web_sys::HtmlInputElement>(&root, "traffic-url").value(), proposals[0]);
    // Right after `expose` the nodes' kube-proxies may not have programmed the Service yet (the warning says so);
    // within a few seconds of virtual time the proposal works.
    for _ in 0..100 {
        match root.query_selector("[data-testid=\"traffic-warning\"]").unwrap() {
            Some(w) => assert!(
                w.text_content().unwrap().contains("kube-proxy"),
                "only a kube-proxy catching up may hold a proposal back: {:?}",
                w.text_content()
            ),
            None => break,
        }
        wait(50).await;
    }
    let left = root.query_selector("[data-testid=\"traffic-warning\"]").unwrap().and_then(|w| w.text_content());
    assert!(left.is_none(), "the proposal works at t={} ms: {left:?}", clock_ms(&root));
    by_testid::<HtmlElement>(&root, "traffic-start").click();
    let mut dots = Vec::new();
    for _ in 0..100 {
        wait(50).await;
        let list =
            root.query_selector_all("#stage [data-testid=\"request-dot\"], [data-testid=\"request-dot\"]").unwrap();
        dots = (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<Element>().ok())
            .map(|e| {
                (e.get_attribute("data-pod").unwrap_or_default(), e.get_attribute("data-revision").unwrap_or_default())
            })
            .collect();
        if !dots.is_empty() {
            break;
        }
    }
    assert!(!dots.is_empty(), "no request reached a pod tile");
    let names: Vec<String> = pods(&root).into_iter().map(|p| p.0).collect();
    for (pod, revision) in &dots {
        assert!(names.contains(pod), "{pod} is a tile");
        assert_eq!(revision, "1");
    }
    let groups = attributes(&root, "[data-testid=\"outcome-group\"]", "data-outcome");
    assert_eq!(groups, ["rev-1"], "every request was answered by revision 1");
    assert!(!texts(&root, "[data-testid=\"pod-hits\"]").is_empty());
}

#[wasm_bindgen_test]
async fn the_hints_setting_shows_exactly_what_kubectl_prints() {
    let root = mount().await;
    type_line(&root, "kubectl get deploymnt").await;
    let output = || by_testid::<Element>(&root, "terminal-output").text_content().unwrap();
    assert!(output().contains("the server doesn't have a resource type \"deploymnt\""), "{}", output());
    assert!(output().contains("Did you mean \"deployment\"? (a kubeplay hint; kubectl has none)"), "{}", output());
    open_tab(&root, &["Settings", "설정"]).await;
    let hints: web_sys::HtmlInputElement = by_testid(&root, "setting-hints");
    assert!(hints.checked());
    hints.set_checked(false);
    set_value(&hints, "", "change");
    wait(30).await;
    assert!(output().contains("the server doesn't have a resource type \"deploymnt\""), "{}", output());
    assert!(!output().contains("kubeplay hint"), "{}", output());
    // The choice is a display preference: it is remembered, and turning it back on shows the hint again.
    let hints: web_sys::HtmlInputElement = by_testid(&root, "setting-hints");
    hints.set_checked(true);
    set_value(&hints, "", "change");
    wait(30).await;
    assert!(output().contains("(a kubeplay hint; kubectl has none)"), "{}", output());
}

#[wasm_bindgen_test]
async fn a_run_saved_by_another_tab_is_never_overwritten_without_asking() {
    let root = mount().await;
    by_testid::<HtmlElement>(&root, "pause").click();
    // Another tab saves its own run: the landing example scaled to 5.
    let mut theirs = kubeplay::scenario::landing(kubeplay::cluster::Settings::default());
    theirs.dispatch(kubeplay::scenario::Action::Command {
        line: "kubectl scale deployment my-nginx-deployment --replicas=5".into(),
    });
    storage::save(&theirs).unwrap();
    let saved = storage::get(storage::RUN_KEY).unwrap();
    // The browser tells this tab with a `storage` event (sent only to the other tabs).
    let event = web_sys::Event::new("storage").unwrap();
    js_sys::Reflect::set(&event, &"key".into(), &storage::RUN_KEY.into()).unwrap();
    gloo::utils::window().dispatch_event(&event).unwrap();
    wait(30).await;
    assert_eq!(attributes(&root, "[data-testid=\"notice\"]", "data-kind"), ["other-tab"]);
    // Working on in this tab saves nothing over the other tab's run.
    type_line(&root, "kubectl get pods").await;
    wait(50).await;
    assert_eq!(storage::get(storage::RUN_KEY).as_deref(), Some(saved.as_str()), "the other tab's run was overwritten");
    // Opening theirs shows it here and saving goes on.
    by_testid::<HtmlElement>(&root, "other-tab-open").click();
    wait(50).await;
    let output = by_testid::<Element>(&root, "terminal-output").text_content().unwrap();
    assert!(output.contains("kubectl scale deployment my-nginx-deployment --replicas=5"), "{output}");
    assert!(root.query_selector("[data-testid=\"notice\"]").unwrap().is_none());
    type_line(&root, "kubectl get deployments").await;
    wait(50).await;
    assert_ne!(storage::get(storage::RUN_KEY).as_deref(), Some(saved.as_str()), "saving resumed");
}

/// `kubectl explain`'s documentation is not in the wasm: the line says it is loading, and the page fetches
/// `explain.data` from its folder. The test page has no such file, so the line says why it failed; once the data is
/// provided, the same line prints, and a line still waiting is filled in without being typed again.
#[wasm_bindgen_test]
async fn explain_waits_for_its_data_then_prints() {
    // wasm-bindgen-test runs the tests in reverse order of their names, and the `editor_…` tests give the page the
    // data: this one comes before them.
    assert!(!kubeplay::kubectl::Awaiting::ExplainData.loaded(), "a test that ran before this one provided the data");
    let root = mount().await;
    let output: Element = by_testid(&root, "terminal-output");
    type_line(&root, "kubectl explain deployment.spec.replicas").await;
    let mut failed = String::new();
    for _ in 0..200 {
        failed = output.text_content().unwrap();
        if failed.contains("could not load explain.data") {
            break;
        }
        wait(20).await;
    }
    assert!(
        failed.contains(
            "error: kubeplay could not load explain.data from the page's folder (HTTP 404); type the line again"
        ),
        "{failed}"
    );
    assert!(root.query_selector("[data-testid=\"terminal-loading\"]").unwrap().is_none());

    // A line waiting for data says so, and is filled in once the data arrives.
    let mut run = kubeplay::scenario::landing(Default::default());
    let kubeplay::scenario::Outcome::Printed(out) =
        run.dispatch(kubeplay::scenario::Action::Command { line: "kubectl explain deployment.spec.replicas".into() })
    else {
        panic!("a command prints");
    };
    assert_eq!(out.awaiting, Some(kubeplay::kubectl::Awaiting::ExplainData));
    assert_eq!(out.combined(), "");
    assert_eq!(run.awaiting(), vec![kubeplay::kubectl::Awaiting::ExplainData]);
    kubeplay::kubectl::Awaiting::ExplainData.provide("not the data".into()).unwrap_err();
    kubeplay::kubectl::Awaiting::ExplainData.provide(include_str!("../src/kubectl/explain.data").into()).unwrap();
    assert!(run.awaiting().is_empty());
    run.fill_awaiting();
    let filled = run.transcript.last().unwrap().output.clone();
    assert_eq!(filled.awaiting, None);
    assert!(
        filled
            .stdout
            .starts_with("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: replicas <integer>"),
        "{}",
        filled.stdout
    );

    // In the page, the line typed again prints at once now.
    type_line(&root, "kubectl explain deployment.spec.replicas").await;
    let text = output.text_content().unwrap();
    assert!(text.contains("FIELD: replicas <integer>"), "{text}");
    root.remove();
}

/// The app takes the prerendered landing screen over in place only when the visit opens on exactly that screen: no
/// share link, no saved run, no unsaved draft (`ui::mount`); any of them means another first screen.
#[wasm_bindgen_test]
fn only_a_visit_with_nothing_saved_and_no_link_opens_on_the_prerendered_screen() {
    clear_saved();
    assert!(storage::opens_on_landing(""));
    assert!(storage::opens_on_landing("#"));
    assert!(!storage::opens_on_landing("#v1.abc"));
    storage::set(storage::RUN_KEY, "v1.saved").unwrap();
    assert!(!storage::opens_on_landing(""));
    clear_saved();
    storage::set(storage::DRAFT_KEY, "{}").unwrap();
    assert!(!storage::opens_on_landing(""));
    clear_saved();
}

// ---- The editor knows Kubernetes (completion, documentation, quick fixes) and a code editor's keys ----

/// Types `text` into the editor as a keyboard does: each character through an `input` event that says what was
/// typed, and a new line through the Enter key (which the editor handles).
async fn type_text(area: &web_sys::HtmlTextAreaElement, text: &str) {
    for c in text.chars() {
        if c == '\n' {
            press(area, "Enter");
            wait(5).await;
            continue;
        }
        let value = area.value();
        let (s, e) =
            (area.selection_start().unwrap().unwrap() as usize, area.selection_end().unwrap().unwrap() as usize);
        area.set_value(&format!("{}{c}{}", &value[..s], &value[e..]));
        area.set_selection_range(s as u32 + 1, s as u32 + 1).unwrap();
        let init = web_sys::InputEventInit::new();
        init.set_data(Some(&c.to_string()));
        init.set_input_type("insertText");
        init.set_bubbles(true);
        area.dispatch_event(&web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap()).unwrap();
        wait(5).await;
    }
}

/// The labels the completion list offers now (empty when it is closed).
fn offered(root: &Element) -> Vec<String> {
    let list: Element = by_testid(root, "completions");
    if list.has_attribute("hidden") {
        return Vec::new();
    }
    texts(root, "[data-testid=\"completion\"] .completion-label")
}

/// Chooses `label` in the open completion list with the arrow keys and accepts it with Enter.
async fn accept(root: &Element, area: &web_sys::HtmlTextAreaElement, label: &str) {
    let labels = offered(root);
    let i = labels.iter().position(|l| l == label).unwrap_or_else(|| {
        panic!("{label:?} is not offered at {:?}: {labels:?}", &area.value()[area.value().len().saturating_sub(60)..])
    });
    for _ in 0..i {
        press(area, "ArrowDown");
    }
    wait(5).await;
    // The text field names the chosen option to screen readers.
    let chosen = area.get_attribute("aria-activedescendant").unwrap();
    let option = gloo::utils::document().get_element_by_id(&chosen).unwrap();
    assert_eq!(option.get_attribute("role").as_deref(), Some("option"));
    assert_eq!(option.get_attribute("aria-selected").as_deref(), Some("true"));
    assert!(option.text_content().unwrap().starts_with(label));
    press(area, "Enter");
    wait(10).await;
}

/// Ctrl+Space.
async fn suggest(area: &web_sys::HtmlTextAreaElement) {
    press_ctrl(area, " ");
    wait(10).await;
}

/// The field lists, which the page fetches on demand (`dist/explain.data`; the test server has no such file).
fn provide_field_lists() {
    if !kubeplay::kubectl::Awaiting::ExplainData.loaded() {
        kubeplay::kubectl::Awaiting::ExplainData.provide(include_str!("../src/kubectl/explain.data").into()).unwrap();
    }
}

/// A new, empty file, focused.
async fn new_file(root: &Element) -> web_sys::HtmlTextAreaElement {
    by_testid::<HtmlElement>(root, "file-new").click();
    wait(30).await;
    let area: web_sys::HtmlTextAreaElement = by_testid(root, "editor");
    assert_eq!(area.value(), "");
    area.focus().unwrap();
    wait(10).await;
    area
}

#[wasm_bindgen_test]
async fn editor_completion_types_a_deployment_where_offered_and_it_applies_with_no_diagnostics() {
    let root = mount().await;
    provide_field_lists();
    let area = new_file(&root).await;
    // An empty file: the type fields; a value after `key: ` opens by itself.
    suggest(&area).await;
    assert_eq!(offered(&root), ["apiVersion", "kind", "metadata"]);
    accept(&root, &area, "apiVersion").await;
    assert_eq!(offered(&root), ["apps/v1", "v1"]);
    accept(&root, &area, "apps/v1").await;
    // Enter: a new line, and what may go there.
    type_text(&area, "\n").await;
    accept(&root, &area, "kind").await;
    accept(&root, &area, "Deployment").await;
    type_text(&area, "\n").await;
    accept(&root, &area, "metadata").await;
    type_text(&area, "na").await;
    accept(&root, &area, "name").await;
    type_text(&area, "web\n").await;
    // Back to the root (Shift+Tab), then the spec.
    press_with(&area, "Tab", true);
    wait(10).await;
    suggest(&area).await;
    accept(&root, &area, "spec").await;
    accept(&root, &area, "selector").await;
    accept(&root, &area, "matchLabels").await;
    type_text(&area, "app: web\n").await;
    press_with(&area, "Tab", true);
    press_with(&area, "Tab", true);
    wait(10).await;
    suggest(&area).await;
    type_text(&area, "temp").await;
    accept(&root, &area, "template").await;
    accept(&root, &area, "metadata").await;
    type_text(&area, "lab").await;
    accept(&root, &area, "labels").await;
    // The template's labels offer the selector's.
    accept(&root, &area, "app: web").await;
    type_text(&area, "\n").await;
    press_with(&area, "Tab", true);
    press_with(&area, "Tab", true);
    wait(10).await;
    suggest(&area).await;
    accept(&root, &area, "spec").await;
    // A list of containers: the list and the item's required name.
    accept(&root, &area, "containers").await;
    type_text(&area, "web\n").await;
    type_text(&area, "ima").await;
    accept(&root, &area, "image").await;
    type_text(&area, "nginx:1.2").await;
    accept(&root, &area, "nginx:1.25").await;
    assert_eq!(
        area.value(),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25"
    );
    assert!(root.query_selector("[data-testid=\"diagnostics\"]").unwrap().is_none(), "no diagnostics");
    press_ctrl(&area, "Enter");
    wait(50).await;
    let output = by_testid::<Element>(&root, "terminal-output").text_content().unwrap();
    assert!(output.contains("$ kubectl apply -f untitled-1.yamldeployment.apps/web created"), "{output}");
    root.remove();
}

/// The editor's text after clicking the quick fix of the only diagnostic that has one.
async fn quick_fix(root: &Element, area: &web_sys::HtmlTextAreaElement, text: &str, label: &str) -> String {
    set_value(area, text, "input");
    wait(20).await;
    let buttons = root.query_selector_all("[data-testid=\"quick-fix\"]").unwrap();
    assert_eq!(buttons.length(), 1, "one fix for {label:?}");
    let button: HtmlElement = buttons.item(0).unwrap().dyn_into().unwrap();
    assert_eq!(button.text_content().unwrap(), format!("Quick fix: {label}"));
    button.click();
    wait(20).await;
    area.value()
}

#[wasm_bindgen_test]
async fn editor_quick_fixes_mend_the_five_common_mistakes_each_as_one_undoable_edit() {
    let root = mount().await;
    let area: web_sys::HtmlTextAreaElement = by_testid(&root, "editor");
    area.focus().unwrap();
    let good = area.value();
    assert!(good.contains("replicas: 3") && good.contains("image: nginx:1.10"));
    let cases = [
        (good.replacen("replicas: 3", "replica: 3", 1), "Rename to replicas"),
        (
            good.replacen(
                "    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.10\n        ports:\n        - containerPort: 80\n",
                "    containers:\n    - name: nginx\n      image: nginx:1.10\n      ports:\n      - containerPort: 80\n",
                1,
            ),
            "Move to spec.template.spec.containers",
        ),
        (good.replacen("nginx:1.10", "nginx:1.1O", 1), "Use nginx:1.10"),
        (good.replacen("      app: my-nginx\n  template", "      app: web\n  template", 1), "Make the selector match the template's labels"),
    ];
    for (broken, label) in &cases {
        assert_ne!(broken, &good, "{label}");
        let fixed = quick_fix(&root, &area, broken, label).await;
        assert_eq!(fixed, good, "{label}");
        assert!(root.query_selector("[data-testid=\"diagnostics\"]").unwrap().is_none(), "{label}");
        // One undoable edit: Ctrl+Z brings the mistake back, Ctrl+Shift+Z the fix.
        press_ctrl(&area, "z");
        wait(20).await;
        assert_eq!(&area.value(), broken, "{label}: undo");
        let init = web_sys::KeyboardEventInit::new();
        init.set_key("z");
        init.set_ctrl_key(true);
        init.set_shift_key(true);
        init.set_bubbles(true);
        init.set_cancelable(true);
        area.dispatch_event(&web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap())
            .unwrap();
        wait(20).await;
        assert_eq!(area.value(), good, "{label}: redo");
    }
    // `version: 1.0` unquoted in the labels (the template's and the selector's each have their fix).
    let broken = good.replacen("        app: my-nginx\n", "        app: my-nginx\n        version: 1.0\n", 1);
    let fixed = quick_fix(&root, &area, &broken, "Quote 1.0 as a string").await;
    assert!(fixed.contains("        version: \"1.0\"\n"), "{fixed}");
    assert!(root.query_selector("[data-testid=\"diagnostics\"]").unwrap().is_none());
    // The fix's words in Korean.
    set_value(&area, &good.replacen("replicas: 3", "replica: 3", 1), "input");
    wait(20).await;
    let language = |lang: &str| -> HtmlElement {
        root.query_selector(&format!(".lang-button[lang=\"{lang}\"]")).unwrap().unwrap().dyn_into().unwrap()
    };
    language("ko").click();
    wait(30).await;
    assert_eq!(texts(&root, "[data-testid=\"quick-fix\"]"), ["빠른 수정: replicas(으)로 이름 바꾸기"]);
    language("en").click();
    wait(30).await;
    root.remove();
}

#[wasm_bindgen_test]
async fn editor_keys_indent_comment_undo_across_apply_keep_the_caret_and_document_the_field() {
    let root = mount().await;
    let area = new_file(&root).await;
    // The focus arriving (from the keyboard) leaves Tab to the page; the keys are shown while the text has focus.
    assert!(press(&area, "Tab"), "before any edit, Tab walks on through the page");
    let keys: Element = by_testid(&root, "editor-keys");
    assert!(!keys.class_name().contains("visually-hidden"), "the keys show while the text has focus");
    // Enter keeps the indentation, one step more after a key that opens a block.
    type_text(&area, "apiVersion: v1\nkind: ConfigMap\nmetadata:\nname: a\n").await;
    assert_eq!(area.value(), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  ");
    // Tab and Shift+Tab move the selected lines.
    area.set_selection_range(0, 40).unwrap();
    assert!(!press(&area, "Tab"), "Tab is the editor's");
    wait(10).await;
    assert_eq!(area.value(), "  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n  name: a\n  ");
    press_with(&area, "Tab", true);
    wait(10).await;
    assert_eq!(area.value(), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  ");
    // Ctrl+/ comments the line out and back in.
    area.set_selection_range(3, 3).unwrap();
    press_ctrl(&area, "/");
    wait(10).await;
    assert!(area.value().starts_with("# apiVersion: v1\n"));
    press_ctrl(&area, "/");
    wait(10).await;
    assert!(area.value().starts_with("apiVersion: v1\n"));
    // Escape, then Tab leaves the editor to the page (the keyboard is never trapped).
    press(&area, "Escape");
    assert!(press(&area, "Tab"), "after Escape, Tab is the browser's");
    // The caret stays where it is while the text is coloured again: typing in the middle.
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n";
    set_value(&area, text, "input");
    wait(10).await;
    area.set_selection_range(50, 50).unwrap();
    type_text(&area, "b").await;
    assert_eq!(area.value(), text.replacen("name: a", "name: ab", 1));
    assert_eq!(area.selection_start().unwrap(), Some(51), "the caret is kept");
    // Apply, then undo: the history survives applying.
    press_ctrl(&area, "Enter");
    wait(50).await;
    let output = by_testid::<Element>(&root, "terminal-output").text_content().unwrap();
    assert!(output.contains("configmap/ab created"), "{output}");
    press_ctrl(&area, "z");
    wait(20).await;
    assert_eq!(area.value(), text, "undo after apply");
    press_ctrl(&area, "y");
    wait(20).await;
    assert_eq!(area.value(), text.replacen("name: a", "name: ab", 1), "redo");
    by_testid::<HtmlElement>(&root, "undo").click();
    wait(20).await;
    assert_eq!(area.value(), text, "the Undo button, for a phone");

    // The field at the caret is documented: loading first (the data comes on demand), then kubectl explain's words.
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  strategy:\n    type: Recreate\n";
    set_value(&area, deployment, "input");
    let on_strategy = deployment.find("strategy").unwrap() as u32 + 2;
    area.set_selection_range(on_strategy, on_strategy).unwrap();
    press(&area, "ArrowRight");
    area.dispatch_event(&web_sys::Event::new("keyup").unwrap()).unwrap();
    wait(20).await;
    let doc: Element = by_testid(&root, "field-doc");
    if !kubeplay::kubectl::Awaiting::ExplainData.loaded() {
        assert!(doc.text_content().unwrap().contains("Loading the field's documentation"), "{:?}", doc.text_content());
        provide_field_lists();
    }
    area.set_selection_range(on_strategy + 1, on_strategy + 1).unwrap();
    let init = web_sys::KeyboardEventInit::new();
    init.set_bubbles(true);
    area.dispatch_event(&web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keyup", &init).unwrap()).unwrap();
    wait(20).await;
    let words = doc.text_content().unwrap();
    assert!(words.contains("deployment.spec.strategy <DeploymentStrategy>"), "{words}");
    assert!(words.contains("The deployment strategy to use to replace existing pods with new ones."), "{words}");
    // Its link types `kubectl explain` into the terminal.
    by_testid::<HtmlElement>(&root, "explain-link").click();
    wait(50).await;
    let output = by_testid::<Element>(&root, "terminal-output").text_content().unwrap();
    assert!(output.contains("$ kubectl explain deployment.spec.strategy"), "{output}");
    assert!(output.contains("FIELD: strategy <DeploymentStrategy>"), "{output}");
    root.remove();
}
