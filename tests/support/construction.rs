//! How values of the generated types are built, as doctests (they run with
//! `cargo test`, and the `compile_fail` ones prove what must not compile).
//!
//! A post with a mention facet, a reply and an image embed, in the API an app
//! uses: required fields in `new`, optional ones by `with_…`, union members
//! by `.into()`, never `extra`, `Box::new` or `None`:
//!
//! ```
//! use atproto_types::app::bsky::embed::images;
//! use atproto_types::app::bsky::feed::post;
//! use atproto_types::app::bsky::richtext::facet;
//! use atproto_types::com::atproto::repo::{create_record, strong_ref};
//! use atproto_types::formats::{AtUri, Cid, Datetime, Did, RecordKey, Tid};
//! use atproto_types::types::{Blob, Unknown};
//! use atproto_types::validate::Validate; // for `validated()`
//!
//! let did: Did = "did:plc:z72i7hdynmk6r22z27h6tvur".parse()?;
//! let parent_uri = AtUri::record(did.clone(), &post::Record::collection(), &"3l3qo2vuowo2b".parse::<RecordKey>()?);
//! let parent = strong_ref::Main::new(parent_uri, "bafyreidogqfzz75tpkmjzjke425xqcrmpcib2p5tg44hnbirumdbpl5adu".parse::<Cid>()?);
//!
//! let text = "hi @alice.test";
//! let mention = facet::Main::new(
//!     facet::ByteSlice::new(3, text.len() as i64),
//!     vec![facet::Mention::new(did.clone()).into()],
//! );
//! let png: Cid = "bafkreibme22gw2h7y2h7tg2fhqotaqjucnbc24deqo72b6mkl2egezxhvy".parse()?;
//! let image = images::Image::new(Blob::new(png, "image/png", 1234), "a diagram");
//!
//! let record = post::Record::new(text, Datetime::now())
//!     .with_facets(vec![mention])
//!     .with_reply(post::ReplyRef::new(parent.clone(), parent))
//!     .with_embed(images::Main::new(vec![image]))
//!     .with_langs(vec!["en".parse()?])
//!     .validated()?; // every lexicon rule, with the path of the first broken one
//!
//! // Ready for createRecord: `$type` comes from the record type.
//! let input = create_record::Input::new(did, post::Record::collection(), Unknown::from_typed(&record)?)
//!     .with_rkey(RecordKey::from(Tid::now()));
//! assert_eq!(input.record.type_tag(), Some("app.bsky.feed.post"));
//!
//! // A rule broken in code is caught by `validated()`, named by its path.
//! let err = post::Record::new("x".repeat(301), Datetime::now()).validated().unwrap_err();
//! assert_eq!(err.to_string(), "text: maxGraphemes 300, got 301");
//!
//! // Query params with no required field have `Default`.
//! use atproto_types::app::bsky::feed::get_timeline;
//! let params = get_timeline::Params::default().with_limit(30);
//! assert_eq!(params.limit, Some(30));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A required field cannot be left out: `new` takes all of them.
//!
//! ```compile_fail,E0061
//! use atproto_types::app::bsky::feed::post;
//! let record = post::Record::new("hello"); // no createdAt
//! ```
//!
//! Structs are `#[non_exhaustive]` (a lexicon may add optional fields), so a
//! struct literal does not compile outside the generated crate, even with
//! every field named:
//!
//! ```compile_fail,E0639
//! use atproto_types::app::bsky::richtext::facet;
//! let tag = facet::Tag { tag: "rust".into(), extra: Default::default() };
//! ```
//!
//! Nor does `..Default::default()`:
//!
//! ```compile_fail,E0639
//! use atproto_types::app::bsky::feed::get_timeline;
//! let params = get_timeline::Params { limit: Some(30), ..Default::default() };
//! ```
//!
//! Open unions, knownValues and errors are `#[non_exhaustive]` too (members,
//! values and error names can be added), so a match naming every variant
//! still needs a catch-all arm:
//!
//! ```compile_fail,E0004
//! use atproto_types::app::bsky::feed::post::RecordEmbed;
//! fn kind(embed: &RecordEmbed) -> &'static str {
//!     match embed {
//!         RecordEmbed::Images(_) => "images",
//!         RecordEmbed::Video(_) => "video",
//!         RecordEmbed::Gallery(_) => "gallery",
//!         RecordEmbed::External(_) => "external",
//!         RecordEmbed::Record(_) => "record",
//!         RecordEmbed::RecordWithMedia(_) => "record with media",
//!         RecordEmbed::Unknown(_) => "unknown",
//!     }
//! }
//! ```
