//! The API server's refusals, shaped like `metav1.Status` (apimachinery `pkg/api/errors`): a [`Reason`] with its
//! HTTP code, the server's message, and [`Details`] naming the object and, for `Invalid`, each field's cause. An
//! HTTP front end could send [`ApiError::to_status`] as it is; how a client words the error (kubectl's
//! `Error from server (NotFound): …`, `The Deployment "web" is invalid: …`) is the client's business, not this
//! module's. Names are quoted as Go's `%q` quotes them (Rust's `{:?}` agrees for every name the API accepts).

use super::validation::FieldError;
use super::Kind;
use serde_json::{json, Value};

/// `metav1.StatusReason`: the reasons kubeplay's API server refuses a request with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    BadRequest,
    NotFound,
    AlreadyExists,
    Conflict,
    Invalid,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::BadRequest => "BadRequest",
            Reason::NotFound => "NotFound",
            Reason::AlreadyExists => "AlreadyExists",
            Reason::Conflict => "Conflict",
            Reason::Invalid => "Invalid",
        }
    }

    /// The HTTP status code the API server answers with (`http.StatusNotFound`, …).
    pub fn code(self) -> u16 {
        match self {
            Reason::BadRequest => 400,
            Reason::NotFound => 404,
            Reason::AlreadyExists | Reason::Conflict => 409,
            Reason::Invalid => 422,
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `metav1.StatusDetails`: which object the refusal is about. `kind` is what upstream puts there: the resource
/// (`deployments`) for NotFound / AlreadyExists / Conflict, the kind (`Deployment`) for Invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    pub group: &'static str,
    pub kind: &'static str,
    pub name: String,
    /// For `Invalid`: each field error (`details.causes`), so a manifest can point at the line of each.
    pub causes: Vec<FieldError>,
}

/// A refused request, as the API server answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub reason: Reason,
    /// The server's message (`deployments.apps "web" not found`).
    pub message: String,
    pub details: Option<Details>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// `GroupResource.String()`: `deployments.apps`, `pods`.
fn resource_details(kind: Kind, name: &str) -> Details {
    Details { group: kind.group(), kind: kind.plural(), name: name.to_string(), causes: Vec::new() }
}

impl ApiError {
    pub fn code(&self) -> u16 {
        self.reason.code()
    }

    /// The field errors of an `Invalid` refusal (none for the others).
    pub fn causes(&self) -> &[FieldError] {
        self.details.as_ref().map_or(&[], |d| &d.causes)
    }

    /// `errors.NewNotFound`.
    pub fn not_found(kind: Kind, name: &str) -> ApiError {
        ApiError {
            reason: Reason::NotFound,
            message: format!("{} {name:?} not found", kind.resource()),
            details: Some(resource_details(kind, name)),
        }
    }

    /// `errors.NewAlreadyExists`.
    pub fn already_exists(kind: Kind, name: &str) -> ApiError {
        ApiError {
            reason: Reason::AlreadyExists,
            message: format!("{} {name:?} already exists", kind.resource()),
            details: Some(resource_details(kind, name)),
        }
    }

    /// `errors.NewConflict` for a stale resourceVersion (`registry.OptimisticLockErrorMsg`).
    pub fn conflict(kind: Kind, name: &str) -> ApiError {
        ApiError::conflict_because(
            kind,
            name,
            "the object has been modified; please apply your changes to the latest version and try again",
        )
    }

    /// `errors.NewConflict`: `Operation cannot be fulfilled on deployments.apps "web": <why>`.
    pub fn conflict_because(kind: Kind, name: &str, why: &str) -> ApiError {
        ApiError {
            reason: Reason::Conflict,
            message: format!("Operation cannot be fulfilled on {} {name:?}: {why}", kind.resource()),
            details: Some(resource_details(kind, name)),
        }
    }

    /// `errors.NewBadRequest`.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError { reason: Reason::BadRequest, message: message.into(), details: None }
    }

    /// `errors.NewInvalid`: `Deployment.apps "x" is invalid: …` (the aggregate of the field errors: one as it is,
    /// several in brackets), with the field errors as causes.
    pub fn invalid(kind: Kind, name: &str, causes: Vec<FieldError>) -> ApiError {
        let all: Vec<String> = causes.iter().map(ToString::to_string).collect();
        let list = if all.len() == 1 { all[0].clone() } else { format!("[{}]", all.join(", ")) };
        let group_kind = match kind.group() {
            "" => kind.name().to_string(),
            group => format!("{}.{group}", kind.name()),
        };
        ApiError {
            reason: Reason::Invalid,
            message: format!("{group_kind} {name:?} is invalid: {list}"),
            details: Some(Details { group: kind.group(), kind: kind.name(), name: name.to_string(), causes }),
        }
    }

    /// The body an API server sends with this refusal (`metav1.Status`).
    pub fn to_status(&self) -> Value {
        let mut status = json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason.as_str(),
            "code": self.code(),
        });
        if let Some(d) = &self.details {
            let mut details = json!({ "name": d.name, "group": d.group, "kind": d.kind });
            if d.group.is_empty() {
                details.as_object_mut().map(|o| o.remove("group"));
            }
            if !d.causes.is_empty() {
                let causes: Vec<Value> = d
                    .causes
                    .iter()
                    .map(|c| json!({ "reason": cause_type(&c.detail), "message": c.detail, "field": c.path }))
                    .collect();
                details["causes"] = Value::Array(causes);
            }
            status["details"] = details;
        }
        status
    }
}

/// `field.ErrorType` → `metav1.CauseType`, read from the start of the error's detail (`Required value`, …).
fn cause_type(detail: &str) -> &'static str {
    const TYPES: [(&str, &str); 10] = [
        ("Required value", "FieldValueRequired"),
        ("Invalid value", "FieldValueInvalid"),
        ("Unsupported value", "FieldValueNotSupported"),
        ("Duplicate value", "FieldValueDuplicate"),
        ("Forbidden", "FieldValueForbidden"),
        ("Too long", "FieldValueTooLong"),
        ("Too many", "FieldValueTooMany"),
        ("Not found", "FieldValueNotFound"),
        ("Internal error", "InternalError"),
        ("Invalid value type", "FieldValueTypeInvalid"),
    ];
    TYPES.iter().rev().find(|(t, _)| detail.starts_with(t)).map_or("FieldValueInvalid", |(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The body `errors.NewInvalid` builds for `replicas: -1` (`staging/src/k8s.io/apimachinery/pkg/api/errors`).
    #[test]
    fn an_invalid_deployment_is_the_api_servers_status() {
        let e = ApiError::invalid(
            Kind::Deployment,
            "web",
            vec![FieldError::new("spec.replicas", "Invalid value: -1: must be greater than or equal to 0")],
        );
        assert_eq!(e.code(), 422);
        assert_eq!(
            e.to_status().to_string(),
            r#"{"apiVersion":"v1","code":422,"details":{"causes":[{"field":"spec.replicas","message":"Invalid value: -1: must be greater than or equal to 0","reason":"FieldValueInvalid"}],"group":"apps","kind":"Deployment","name":"web"},"kind":"Status","message":"Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0","metadata":{},"reason":"Invalid","status":"Failure"}"#
        );
    }

    #[test]
    fn several_causes_are_bracketed_in_the_message_and_listed_in_the_details() {
        let e = ApiError::invalid(
            Kind::Service,
            "web",
            vec![
                FieldError::new("spec.ports[0].name", "Required value"),
                FieldError::new("spec.ports[1].name", "Required value"),
            ],
        );
        assert_eq!(
            e.message,
            "Service \"web\" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]"
        );
        let s = e.to_status();
        assert_eq!(s["details"]["causes"][1]["reason"], "FieldValueRequired");
        assert!(s["details"].get("group").is_none(), "the core group is omitted: {s}");
    }

    #[test]
    fn not_found_names_the_resource() {
        let e = ApiError::not_found(Kind::Deployment, "web");
        assert_eq!((e.reason, e.code()), (Reason::NotFound, 404));
        assert_eq!(e.message, "deployments.apps \"web\" not found");
        let s = e.to_status();
        assert_eq!(
            (s["details"]["kind"].as_str(), s["details"]["group"].as_str()),
            (Some("deployments"), Some("apps"))
        );
        assert_eq!(ApiError::already_exists(Kind::Pod, "p").code(), 409);
        assert_eq!(ApiError::bad_request("x").to_status()["code"], 400);
    }

    #[test]
    fn each_field_error_type_has_its_cause_type() {
        assert_eq!(cause_type("Unsupported value: \"x\": supported values: \"a\""), "FieldValueNotSupported");
        assert_eq!(cause_type("Duplicate value: \"nginx\""), "FieldValueDuplicate");
        assert_eq!(cause_type("Forbidden: may not be set"), "FieldValueForbidden");
        assert_eq!(cause_type("Invalid value type"), "FieldValueTypeInvalid");
    }
}
