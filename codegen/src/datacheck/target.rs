//! Which data a `--def NSID[#name]` (and `--body`) describes, as the shape
//! of the root value; clear errors, with suggestions, when it names nothing.

use crate::ir::{EndpointIr, EndpointKind, Ir, LexiconIr, Shape, TypeId, TypeKind};
use crate::suggest::did_you_mean;
use std::fmt;
use std::str::FromStr;

/// Which body of an XRPC endpoint to validate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// The request body of a procedure.
    Input,
    /// The response body of a query or procedure.
    Output,
    /// The parameters, as a JSON object.
    Params,
    /// A message of a subscription.
    Message,
}

impl Body {
    /// The lowercase name (`input`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Body::Input => "input",
            Body::Output => "output",
            Body::Params => "params",
            Body::Message => "message",
        }
    }

    /// The body validated when none is asked for: a query's output, a
    /// procedure's input, a subscription's message.
    pub fn default_for(kind: EndpointKind) -> Body {
        match kind {
            EndpointKind::Query => Body::Output,
            EndpointKind::Procedure => Body::Input,
            EndpointKind::Subscription => Body::Message,
        }
    }
}

impl fmt::Display for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Body {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        [Body::Input, Body::Output, Body::Params, Body::Message]
            .into_iter()
            .find(|b| b.name() == s)
            .ok_or_else(|| format!("unknown body {s:?}: expected input, output, params or message"))
    }
}

/// A `--def` that names no data type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefError {
    /// Not `NSID` or `NSID#name`.
    Syntax(String),
    /// No lexicon has this NSID.
    NoLexicon {
        /// The NSID asked for.
        nsid: String,
        /// A close NSID, if any.
        suggestion: Option<String>,
    },
    /// The lexicon has no def of this name.
    NoDef {
        /// The lexicon.
        nsid: String,
        /// The def asked for.
        def: String,
        /// A close def name, if any.
        suggestion: Option<String>,
        /// Every def name of the lexicon.
        defs: Vec<String>,
    },
    /// A token, permission set or error list: nothing to validate data against.
    NotData {
        /// `nsid#name`.
        def: String,
        /// What it is.
        what: &'static str,
    },
    /// `--body` given for a def that is not an endpoint.
    NotEndpoint {
        /// `nsid#name`.
        def: String,
    },
    /// The endpoint has no such body.
    NoBody {
        /// The endpoint's NSID.
        def: String,
        /// The body asked for.
        body: Body,
        /// The bodies it has (with JSON data).
        available: Vec<Body>,
    },
    /// The body is not JSON (`*/*`, `application/jsonl`, `video/mp4`, ...).
    RawBody {
        /// The endpoint's NSID.
        def: String,
        /// The body asked for.
        body: Body,
        /// Its encoding.
        encoding: String,
    },
}

impl fmt::Display for DefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DefError::Syntax(def) => {
                write!(f, "invalid def {def:?}: expected NSID or NSID#name")
            }
            DefError::NoLexicon { nsid, suggestion } => {
                write!(f, "no lexicon {nsid:?} was found")?;
                match suggestion {
                    Some(s) => write!(f, "; did you mean {s:?}?"),
                    None => Ok(()),
                }
            }
            DefError::NoDef {
                nsid,
                def,
                suggestion,
                defs,
            } => {
                write!(f, "lexicon {nsid:?} has no def {def:?}")?;
                match suggestion {
                    Some(s) => write!(f, "; did you mean \"{nsid}#{s}\"?"),
                    None => write!(f, " (its defs: {})", defs.join(", ")),
                }
            }
            DefError::NotData { def, what } => {
                write!(
                    f,
                    "{def} is {what}, not a data type; there is nothing to validate"
                )
            }
            DefError::NotEndpoint { def } => write!(
                f,
                "--body applies to query, procedure and subscription defs; {def} is none of those"
            ),
            DefError::NoBody {
                def,
                body,
                available,
            } => {
                write!(f, "{def} has no {body} schema")?;
                if available.is_empty() {
                    write!(f, " (it has no JSON data to validate)")
                } else {
                    let names: Vec<&str> = available.iter().map(|b| b.name()).collect();
                    write!(f, "; try --body {}", names.join(" or --body "))
                }
            }
            DefError::RawBody {
                def,
                body,
                encoding,
            } => write!(
                f,
                "the {body} of {def} is {encoding:?}, not JSON; there is nothing to validate"
            ),
        }
    }
}

impl std::error::Error for DefError {}

/// The shape a value of this named type has as a root value.
pub(super) fn type_shape(ir: &Ir, id: TypeId, def: &str) -> Result<Shape, DefError> {
    match &ir.ty(id).kind {
        TypeKind::Object(_) | TypeKind::Union(_) | TypeKind::StringEnum(_) => Ok(Shape::Named(id)),
        TypeKind::Alias(shape) => Ok(Shape::Alias {
            id,
            target: Box::new(shape.clone()),
        }),
        TypeKind::Errors(_) => Err(DefError::NotData {
            def: def.to_owned(),
            what: "an error list",
        }),
    }
}

/// Resolves `NSID[#name]` (and the body of an endpoint) to the root shape
/// and a description (`com.example.query output`).
pub(super) fn resolve(
    ir: &Ir,
    spec: &str,
    body: Option<Body>,
) -> Result<(Shape, String), DefError> {
    let (nsid, name) = spec.split_once('#').unwrap_or((spec, "main"));
    if nsid.is_empty() || name.is_empty() || name.contains('#') {
        return Err(DefError::Syntax(spec.to_owned()));
    }
    let Some(lex) = ir.lexicon(nsid) else {
        let all: Vec<&str> = ir.lexicons.iter().map(|l| l.nsid.as_str()).collect();
        return Err(DefError::NoLexicon {
            nsid: nsid.to_owned(),
            suggestion: did_you_mean(nsid, &all).map(str::to_owned),
        });
    };
    let full = if name == "main" {
        nsid.to_owned()
    } else {
        format!("{nsid}#{name}")
    };
    if name == "main" {
        if let Some(ep) = &lex.endpoint {
            return endpoint_body(ir, ep, &full, body);
        }
    }
    if body.is_some() {
        return Err(DefError::NotEndpoint { def: full });
    }
    if let Some((_, id)) = lex.defs.iter().find(|(n, _)| n == name) {
        return type_shape(ir, *id, &full).map(|shape| (shape, full));
    }
    if lex.tokens.iter().any(|t| t.value == full) {
        return Err(DefError::NotData {
            def: full,
            what: "a token (a string constant)",
        });
    }
    if name == "main" && lex.permission_set.is_some() {
        return Err(DefError::NotData {
            def: full,
            what: "a permission set",
        });
    }
    let defs = def_names(lex);
    let candidates: Vec<&str> = defs.iter().map(String::as_str).collect();
    Err(DefError::NoDef {
        nsid: nsid.to_owned(),
        def: name.to_owned(),
        suggestion: did_you_mean(name, &candidates).map(str::to_owned),
        defs,
    })
}

/// Every def name of a lexicon (types, tokens, and a primary `main`).
fn def_names(lex: &LexiconIr) -> Vec<String> {
    let mut names: Vec<String> = lex.defs.iter().map(|(n, _)| n.clone()).collect();
    for t in &lex.tokens {
        let name = t.value.split_once('#').map_or("main", |(_, d)| d);
        names.push(name.to_owned());
    }
    if lex.endpoint.is_some() || lex.permission_set.is_some() {
        names.push("main".to_owned());
    }
    names.sort();
    names.dedup();
    names
}

/// The JSON body of an endpoint: its schema type, `unknown` for JSON
/// without a schema (what the generated `Endpoint` uses), else an error.
fn endpoint_body(
    ir: &Ir,
    ep: &EndpointIr,
    def: &str,
    body: Option<Body>,
) -> Result<(Shape, String), DefError> {
    let body = body.unwrap_or(Body::default_for(ep.kind));
    let describe = |shape: Shape| (shape, format!("{def} {body}"));
    let subscription = ep.kind == EndpointKind::Subscription;
    let io = |b: Option<&crate::ir::BodyIr>| -> Option<Result<Shape, DefError>> {
        let b = b?;
        Some(match b.schema {
            Some(id) => type_shape(ir, id, def),
            None if b.encoding == "application/json" => Ok(Shape::Unknown),
            None => Err(DefError::RawBody {
                def: def.to_owned(),
                body,
                encoding: b.encoding.clone(),
            }),
        })
    };
    let found = match body {
        Body::Params => ep.params.map(|id| type_shape(ir, id, def)),
        Body::Input => io(ep.input.as_ref()),
        Body::Output => io(ep.output.as_ref()),
        Body::Message if subscription => Some(match ep.message {
            Some(id) => type_shape(ir, id, def),
            None => Ok(Shape::Unknown),
        }),
        Body::Message => None,
    };
    match found {
        Some(result) => result.map(describe),
        None => {
            let json = |b: Option<&crate::ir::BodyIr>| {
                b.is_some_and(|b| b.schema.is_some() || b.encoding == "application/json")
            };
            let mut available = Vec::new();
            if ep.params.is_some() {
                available.push(Body::Params);
            }
            if json(ep.input.as_ref()) {
                available.push(Body::Input);
            }
            if json(ep.output.as_ref()) {
                available.push(Body::Output);
            }
            if subscription {
                available.push(Body::Message);
            }
            Err(DefError::NoBody {
                def: def.to_owned(),
                body,
                available,
            })
        }
    }
}
