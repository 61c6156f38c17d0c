//! kubectl's words for what went wrong — the one place an [`ApiError`] becomes `Error from server (NotFound): …` or
//! `The Deployment "web" is invalid: …`, and a [`Refusal`] becomes kubectl's own `error: …` line
//! (`pkg/cmd/util/helpers.go`: `checkErr`, `StandardErrorMessage`, `MultilineError`, `AddSourceToErr`).

use crate::apply::DocFailure;
use crate::cluster::store::{ApiError, Kind, Reason};
use crate::manifest::DocError;
use crate::sim::{OpError, Refusal, MAX_REPLICAS};

/// `StandardErrorMessage` for an API status: `Error from server (NotFound): pods "x" not found`.
pub fn from_server(e: &ApiError) -> String {
    format!("Error from server ({}): {}", e.reason, e.message)
}

/// `AddSourceToErr`: the server's message, prefixed with what kubectl was doing with which file.
pub fn with_source(e: &ApiError, doing: &str, source: &str) -> ApiError {
    ApiError { message: format!("error when {doing} {source:?}: {}", e.message), ..e.clone() }
}

/// `checkErr` for a command that failed with one API error. An `Invalid` refusal is put together from its details,
/// not its message: `The Deployment "web" is invalid: spec.replicas: …` for one cause and, for several, one line
/// per cause after `The Service "web" is invalid: ` (`MultilineError`); any other reason is
/// [`from_server`]'s line. Without a trailing newline.
pub fn check(e: &ApiError) -> String {
    if e.reason == Reason::Invalid && e.details.is_none() {
        return format!("The request is invalid: {}", e.message);
    }
    let Some(d) = e.details.as_ref().filter(|_| e.reason == Reason::Invalid) else {
        return from_server(e);
    };
    let head = if !d.kind.is_empty() || !d.name.is_empty() {
        format!("The {} {:?} is invalid", d.kind, d.name)
    } else if d.causes.is_empty() {
        format!("The request is invalid: {}", e.message)
    } else {
        "The request is invalid".to_string()
    };
    // `statusCausesToAggrError`: `field: message`, repeated ones once.
    let mut causes: Vec<String> = Vec::new();
    for c in &d.causes {
        let line = c.to_string();
        if !causes.contains(&line) {
            causes.push(line);
        }
    }
    match causes.as_slice() {
        [] => head,
        [one] => format!("{head}: {one}"),
        many => {
            let mut s = format!("{head}: ");
            for c in many {
                s.push_str(&format!("\n* {c}"));
            }
            s
        }
    }
}

/// The line for a document of a manifest that could not be sent, or that the API server refused; `create` for
/// `kubectl create` (its server errors read `error when creating`, apply's `error when applying`).
pub fn doc_failure(f: &DocFailure, source: &str, create: bool) -> String {
    match f {
        DocFailure::Stream(m) => format!("error: {m}"),
        // Before the object exists, decoding errors read "when creating"; after, kubectl patches.
        DocFailure::Manifest { error, existed } => manifest(error, source, if *existed { "patching" } else { "creating" }),
        DocFailure::NamespaceMismatch { own, given } => format!(
            "error: the namespace from the provided object {own:?} does not match the namespace {given:?}. You must pass '--namespace={own}' to perform this operation."
        ),
        // `AddSourceToErr`: apply creates what did not exist (`error when creating`), and patches what did.
        DocFailure::Api { error, existed } => {
            check(&with_source(error, if create || !*existed { "creating" } else { "applying" }, source))
        }
    }
}

/// The line for a document kubectl could not send, or that the server refused on reading it, while `doing`
/// (`creating`, `patching`, `deleting`) what `source` holds.
pub fn manifest(e: &DocError, source: &str, doing: &str) -> String {
    match e {
        DocError::Syntax(m) => format!("error: error parsing {source}: {m}"),
        DocError::MissingTypeInfo(missing) => format!(
            "error: error validating {source:?}: error validating data: [{}]; if you choose to ignore these errors, turn validation off with --validate=false",
            missing.join(", ")
        ),
        DocError::Kind(m) => format!("error: {m}"),
        DocError::Decode(e) | DocError::Invalid(e) => check(&with_source(e, doing, source)),
    }
}

/// `Error from server (NotFound): deployments.apps "web" not found`.
pub fn not_found(kind: Kind, name: &str) -> String {
    from_server(&ApiError::not_found(kind, name))
}

/// `Error from server (BadRequest): …`.
pub fn bad_request(message: impl Into<String>) -> String {
    from_server(&ApiError::bad_request(message))
}

/// The line for a refused operation on the Deployment (or other object) `name`.
pub fn op(e: &OpError, name: &str) -> String {
    match e {
        OpError::Api(e) => check(e),
        OpError::Refused(r) => refusal(r, name),
    }
}

/// kubectl's own checks, in its words (`scale.go`, `set_image.go`, `rollback.go`, `restart.go`), and kubeplay's
/// limits in the same style.
pub fn refusal(r: &Refusal, name: &str) -> String {
    match r {
        Refusal::NegativeReplicas => {
            "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0".into()
        }
        Refusal::TooManyReplicas => format!("error: kubeplay simulates at most {MAX_REPLICAS} replicas per Deployment"),
        Refusal::UnknownContainer(c) => format!("error: unable to find container named {c:?}"),
        Refusal::RevisionNotFound(rev) => format!("error: unable to find specified revision {rev} in history"),
        Refusal::NoRolloutHistory => format!("error: no rollout history found for deployment {name:?}"),
        Refusal::RestartPaused => "error: can't restart paused deployment (run rollout resume first)".into(),
        Refusal::RollbackPaused => "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again".into(),
        Refusal::NotDeletable(kind) => format!(
            "error: kubeplay does not delete {} (the simulated cluster keeps its nodes and namespaces, and the endpoints controllers own endpoints and endpoint slices)",
            kind.plural()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::validation::FieldError;

    #[test]
    fn one_invalid_field_is_one_line() {
        let e = ApiError::invalid(
            Kind::Deployment,
            "web",
            vec![FieldError::new("spec.replicas", "Invalid value: -1: must be greater than or equal to 0")],
        );
        assert_eq!(
            check(&e),
            "The Deployment \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"
        );
    }

    /// `MultilineError` with several causes: the head, then one `* ` line each, repeated causes once.
    #[test]
    fn several_invalid_fields_are_a_list() {
        let e = ApiError::invalid(
            Kind::Service,
            "web",
            vec![
                FieldError::new("spec.ports[0].name", "Required value"),
                FieldError::new("spec.ports[1].name", "Required value"),
                FieldError::new("spec.ports[1].name", "Required value"),
            ],
        );
        assert_eq!(
            check(&e),
            "The Service \"web\" is invalid: \n* spec.ports[0].name: Required value\n* spec.ports[1].name: Required value"
        );
    }

    #[test]
    fn other_reasons_are_errors_from_the_server_with_their_source() {
        let e = ApiError::not_found(Kind::Deployment, "web");
        assert_eq!(check(&e), "Error from server (NotFound): deployments.apps \"web\" not found");
        assert_eq!(
            check(&with_source(&e, "deleting", "d.yaml")),
            "Error from server (NotFound): error when deleting \"d.yaml\": deployments.apps \"web\" not found"
        );
        assert_eq!(
            op(&OpError::Refused(Refusal::NoRolloutHistory), "web"),
            "error: no rollout history found for deployment \"web\""
        );
    }
}
