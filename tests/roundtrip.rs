//! Realistic data for the main shapes of the official lexicons round-trips
//! to identical JSON through the generated types; invalid variants are
//! rejected with a message naming the JSON path.

use atproto_types::app::bsky::{actor, feed, graph};
use atproto_types::com::atproto::{server, sync};
use atproto_types::validate::Validate;
use atproto_types::xrpc::Subscription;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

const CID1: &str = "bafyreidogqfzz75tpkmjzjke425xqcrmpcib2p5tg44hnbirumdbpl5adu";
const CID2: &str = "bafyreicl6ujc6ncfktctxxroxognfn7d2fqavvrryoc2lv6m4i6hpbkfti";
const CID3: &str = "bafyreig3yg2msah74sgvow25uxddqbabex3f3mh6hysess3w5kmgiv6zqy";
const BLOB_CID: &str = "bafkreieprs5x3t2g4c6h2uzgk5e2nql5cfqjhjv2sxsee5samddw7vfinq";
const ALICE: &str = "did:plc:z72i7hdynmk6r22z27h6tvur";
const BOB: &str = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";

/// Deserializes, checks `validate()`, re-serializes, and compares.
fn round_trip<T: DeserializeOwned + Serialize + Validate>(value: Value) -> T {
    let typed: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("rejected: {e}\n{value:#}"));
    typed.validate().unwrap_or_else(|e| panic!("validate: {e}"));
    let back = serde_json::to_value(&typed).expect("serialize");
    assert_eq!(back, value, "round trip changed the JSON");
    typed
}

/// Deserializing must fail with a message containing `path` and `rule`.
fn rejected<T: DeserializeOwned + std::fmt::Debug>(value: Value, path: &str, rule: &str) {
    let err = serde_json::from_value::<T>(value).expect_err("must be rejected");
    let msg = err.to_string();
    assert!(msg.contains(path), "path `{path}` not in: {msg}");
    assert!(msg.contains(rule), "rule `{rule}` not in: {msg}");
}

fn blob(mime: &str, size: u64) -> Value {
    json!({"$type": "blob", "ref": {"$link": BLOB_CID}, "mimeType": mime, "size": size})
}

fn strong_ref(rkey: &str, cid: &str) -> Value {
    json!({"uri": format!("at://{ALICE}/app.bsky.feed.post/{rkey}"), "cid": cid})
}

fn post() -> Value {
    json!({
        "$type": "app.bsky.feed.post",
        "text": "Hello @bob.test, see https://example.com #rust ✨",
        "createdAt": "2026-11-23T10:00:00.000Z",
        "langs": ["en", "fr-CA"],
        "facets": [
            {
                "index": {"byteStart": 6, "byteEnd": 15},
                "features": [{"$type": "app.bsky.richtext.facet#mention", "did": BOB}]
            },
            {
                "index": {"byteStart": 21, "byteEnd": 40},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://example.com"}]
            },
            {
                "index": {"byteStart": 41, "byteEnd": 46},
                "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "rust"}]
            }
        ],
        "reply": {
            "root": {"$type": "com.atproto.repo.strongRef", "uri": format!("at://{ALICE}/app.bsky.feed.post/3kz2a7qwe4k2d"), "cid": CID1},
            "parent": strong_ref("3kz2a7qwe4k2e", CID2)
        },
        "tags": ["lexgen"],
        "labels": {"$type": "com.atproto.label.defs#selfLabels", "values": [{"val": "graphic-media"}]}
    })
}

fn with_embed(embed: Value) -> Value {
    let mut p = post();
    p["embed"] = embed;
    p
}

fn images_embed() -> Value {
    json!({
        "$type": "app.bsky.embed.images",
        "images": [
            {"image": blob("image/png", 1234), "alt": "A cat", "aspectRatio": {"width": 800, "height": 600}},
            {"image": blob("image/jpeg", 99), "alt": ""}
        ]
    })
}

#[test]
fn post_with_facets_and_reply() {
    let record: feed::post::Record = round_trip(post());
    assert_eq!(record.facets.as_ref().map(Vec::len), Some(3));
    assert_eq!(
        record.reply.as_ref().expect("reply").root.uri.as_str(),
        format!("at://{ALICE}/app.bsky.feed.post/3kz2a7qwe4k2d")
    );
    // `$type` on a plain object (here a strongRef) is not required, but kept.
    assert_eq!(
        record.reply.as_ref().expect("reply").root.extra["$type"],
        "com.atproto.repo.strongRef"
    );
}

#[test]
fn post_with_each_embed_kind() {
    let embeds = [
        images_embed(),
        json!({
            "$type": "app.bsky.embed.video",
            "video": blob("video/mp4", 5_000_000),
            "captions": [{"lang": "en", "file": blob("text/vtt", 100)}],
            "alt": "A clip",
            "aspectRatio": {"width": 16, "height": 9}
        }),
        json!({
            "$type": "app.bsky.embed.external",
            "external": {"uri": "https://example.com/a", "title": "Example", "description": "An example page", "thumb": blob("image/webp", 4000)}
        }),
        json!({"$type": "app.bsky.embed.record", "record": strong_ref("3kz2a7qwe4k2f", CID3)}),
        json!({
            "$type": "app.bsky.embed.recordWithMedia",
            "record": {"record": strong_ref("3kz2a7qwe4k2f", CID3)},
            "media": images_embed()
        }),
    ];
    for embed in embeds {
        let tag = embed["$type"].as_str().expect("tag").to_string();
        let record: feed::post::Record = round_trip(with_embed(embed));
        assert_eq!(record.embed.expect("embed").type_tag(), tag);
    }
}

#[test]
fn post_with_an_embed_kind_not_in_the_lexicons() {
    let embed = json!({"$type": "com.example.embed.poll", "question": "Tea?", "options": ["yes", "no"], "nested": {"x": [1, 2]}});
    let record: feed::post::Record = round_trip(with_embed(embed.clone()));
    match record.embed.expect("embed") {
        feed::post::RecordEmbed::Unknown(u) => {
            assert_eq!(u.type_tag(), "com.example.embed.poll");
            assert_eq!(u.clone().into_data().to_json(), embed);
            assert_eq!(u.get("question").and_then(|q| q.as_str()), Some("Tea?"));
            assert_eq!(u.as_map()["nested"]["x"][1], 2);
        }
        other => panic!("expected the fallback variant, got {other:?}"),
    }
}

#[test]
fn invalid_posts_are_rejected_with_the_path() {
    let mut p = post();
    p["text"] = json!("x".repeat(3001));
    rejected::<feed::post::Record>(p, "text", "maxLength 3000, got 3001");

    let mut p = post();
    p["text"] = json!("🦀".repeat(301));
    rejected::<feed::post::Record>(p, "text", "maxGraphemes 300, got 301");

    let mut embed = images_embed();
    embed["images"][1]["image"]["mimeType"] = json!("text/plain");
    rejected::<feed::post::Record>(with_embed(embed), "embed.images[1].image", "accept");

    let mut embed = images_embed();
    embed["images"][0]["image"]["size"] = json!(2_000_001);
    rejected::<feed::post::Record>(
        with_embed(embed),
        "embed.images[0].image",
        "maxSize 2000000, got size 2000001",
    );

    let mut p = post();
    p["facets"][0]["features"][0]["did"] = json!("bob.test");
    rejected::<feed::post::Record>(p, "facets[0].features[0].did", "invalid did");

    let mut p = post();
    p["createdAt"] = json!("2026-02-30T10:00:00Z");
    rejected::<feed::post::Record>(p, "createdAt", "invalid datetime");

    let mut p = post();
    p["langs"] = json!(["en", "fr", "de", "es"]);
    rejected::<feed::post::Record>(p, "langs", "maxLength 3, got 4 elements");

    let mut p = post();
    p.as_object_mut().expect("object").remove("$type");
    rejected::<feed::post::Record>(p, "", "missing `$type`");

    let mut p = post();
    p["$type"] = json!("app.bsky.feed.like");
    rejected::<feed::post::Record>(p, "$type", "expected \"app.bsky.feed.post\"");

    let mut p = post();
    p["embed"] = json!({"images": []});
    rejected::<feed::post::Record>(p, "embed", "missing `$type`");

    let mut p = post();
    p["reply"]["parent"]
        .as_object_mut()
        .expect("object")
        .remove("cid");
    rejected::<feed::post::Record>(p, "reply.parent", "missing required field `cid`");

    let mut p = post();
    p["facets"][0]["index"]["byteStart"] = json!(1.5);
    rejected::<feed::post::Record>(p, "facets[0].index.byteStart", "an integer");
}

#[test]
fn like_follow_list_and_profile() {
    let like: feed::like::Record = round_trip(json!({
        "$type": "app.bsky.feed.like",
        "subject": strong_ref("3kz2a7qwe4k2d", CID1),
        "createdAt": "2026-11-23T10:00:00Z"
    }));
    assert_eq!(like.subject.cid.as_str(), CID1);

    round_trip::<graph::follow::Record>(json!({
        "$type": "app.bsky.graph.follow", "subject": BOB, "createdAt": "2026-11-23T10:00:00+02:00"
    }));

    let list: graph::list::Record = round_trip(json!({
        "$type": "app.bsky.graph.list",
        "purpose": "app.bsky.graph.defs#curatelist",
        "name": "Rustaceans",
        "description": "People who write Rust",
        "createdAt": "2026-11-23T10:00:00Z"
    }));
    assert_eq!(list.purpose, graph::defs::ListPurpose::Curatelist);

    let profile: actor::profile::Record = round_trip(json!({
        "$type": "app.bsky.actor.profile",
        "displayName": "Alice",
        "description": "Hi! I test things.",
        "avatar": blob("image/png", 1000),
        "banner": {"cid": BLOB_CID, "mimeType": "image/jpeg"},
        "labels": {"$type": "com.atproto.label.defs#selfLabels", "values": []},
        "pinnedPost": strong_ref("3kz2a7qwe4k2d", CID1)
    }));
    // The legacy blob form is read, and written back unchanged.
    assert!(profile.banner.as_ref().expect("banner").legacy);

    let mut bad = json!({"$type": "app.bsky.actor.profile", "displayName": "x".repeat(641)});
    rejected::<actor::profile::Record>(bad.clone(), "displayName", "maxLength 640, got 641");
    bad["displayName"] = json!("x");
    bad["avatar"] = blob("image/gif", 10);
    rejected::<actor::profile::Record>(bad, "avatar", "accept");
}

#[test]
fn feed_view_with_unknown_fields() {
    let view = json!({
        "feed": [{
            "post": {
                "uri": format!("at://{ALICE}/app.bsky.feed.post/3kz2a7qwe4k2d"),
                "cid": CID1,
                "author": {
                    "did": ALICE,
                    "handle": "alice.test",
                    "displayName": "Alice",
                    "viewer": {"muted": false, "blockedBy": false, "futureViewerFlag": true},
                    "labels": [],
                    "createdAt": "2024-01-01T00:00:00Z",
                    "brandNewField": {"what": "ever"}
                },
                "record": post(),
                "replyCount": 1,
                "repostCount": 0,
                "likeCount": 5,
                "indexedAt": "2026-11-23T10:00:01.123456Z",
                "labels": [],
                "unknownCounter": 7
            },
            "reason": {"$type": "app.bsky.feed.defs#reasonUnknownFuture", "by": BOB},
            "feedContext": "ctx"
        }],
        "cursor": "abc"
    });
    let out: feed::get_timeline::Output = round_trip(view);
    let item = &out.feed[0];
    assert_eq!(item.post.extra["unknownCounter"], 7);
    assert_eq!(
        item.post.author.extra["brandNewField"].to_json(),
        json!({"what": "ever"})
    );
    assert!(matches!(
        item.reason,
        Some(feed::defs::FeedViewPostReason::Unknown(_))
    ));
    // The embedded record is `unknown`: it converts into the typed record.
    let record: feed::post::Record = item.post.record.to_typed().expect("typed record");
    assert_eq!(record.tags.as_deref(), Some(&["lexgen".to_string()][..]));
}

#[test]
fn get_session_output() {
    let out: server::get_session::Output = round_trip(json!({
        "handle": "alice.test",
        "did": ALICE,
        "email": "alice@example.com",
        "emailConfirmed": true,
        "active": false,
        "status": "deactivated",
        "didDoc": {"id": ALICE, "service": []}
    }));
    assert_eq!(
        out.status,
        Some(server::get_session::OutputStatus::Deactivated)
    );
}

fn commit_payload() -> serde_json::Map<String, Value> {
    let Value::Object(map) = json!({
        "seq": 123456,
        "rebase": false,
        "tooBig": false,
        "repo": ALICE,
        "commit": {"$link": CID1},
        "rev": "3kz2a7qwe4k2d",
        "since": null,
        "blocks": {"$bytes": "OqJlcm9vdHOB2CpYJQABcRIg"},
        "ops": [
            {"action": "create", "path": "app.bsky.feed.post/3kz2a7qwe4k2d", "cid": {"$link": CID2}},
            {"action": "delete", "path": "app.bsky.feed.like/3kz2a7qwe4k2c", "cid": null, "prev": {"$link": CID3}}
        ],
        "blobs": [],
        "time": "2026-11-23T10:00:00.000Z",
        "prevData": {"$link": CID3}
    }) else {
        unreachable!()
    };
    map
}

#[test]
fn subscribe_repos_commit_message() {
    let payload = commit_payload();
    let message =
        sync::subscribe_repos::SubscribeRepos::message_from_frame("#commit", payload.clone())
            .expect("commit frame");
    let sync::subscribe_repos::Message::Commit(commit) = &message else {
        panic!("expected #commit, got {message:?}");
    };
    assert_eq!(commit.since, None, "null since");
    assert_eq!(commit.ops[1].cid, None, "null cid");
    assert!(commit.ops[0].cid.is_some());
    assert_eq!(commit.blocks.0.first(), Some(&0x3a));
    message.validate().expect("valid");

    let mut expected = payload;
    expected.insert(
        "$type".into(),
        json!("com.atproto.sync.subscribeRepos#commit"),
    );
    assert_eq!(
        serde_json::to_value(&message).expect("ser"),
        Value::Object(expected.clone())
    );

    // nullable and required: null is fine, absence is not.
    let mut missing = expected.clone();
    missing.remove("since");
    rejected::<sync::subscribe_repos::Message>(
        Value::Object(missing),
        "since",
        "missing required field `since`",
    );
    let mut bad = expected;
    bad["ops"][0]["cid"] = json!({"$link": "not-a-cid"});
    rejected::<sync::subscribe_repos::Message>(
        Value::Object(bad),
        "ops[0].cid.$link",
        "invalid cid",
    );
}

#[test]
fn closed_unions_reject_unknown_types() {
    let input = json!({
        "repo": ALICE,
        "writes": [
            {"$type": "com.atproto.repo.applyWrites#create", "collection": "app.bsky.feed.post", "value": post()},
            {"$type": "com.atproto.repo.applyWrites#delete", "collection": "app.bsky.feed.post", "rkey": "3kz2a7qwe4k2d"}
        ]
    });
    round_trip::<atproto_types::com::atproto::repo::apply_writes::Input>(input.clone());
    let mut bad = input;
    bad["writes"][1]["$type"] = json!("com.atproto.repo.applyWrites#upsert");
    rejected::<atproto_types::com::atproto::repo::apply_writes::Input>(
        bad,
        "writes[1].$type",
        "closed union",
    );
}

#[test]
fn nullable_keeps_null_distinct_from_absent() {
    use atproto_types::com::atproto::repo::put_record::Input;
    let base = json!({"repo": ALICE, "collection": "app.bsky.feed.post", "rkey": "3kz2a7qwe4k2d", "record": post()});
    let absent: Input = round_trip(base.clone());
    assert_eq!(absent.swap_record, None);
    let mut with_null = base.clone();
    with_null["swapRecord"] = Value::Null;
    let null: Input = round_trip(with_null);
    assert_eq!(null.swap_record, Some(None));
    let mut with_value = base;
    with_value["swapRecord"] = json!(CID1);
    let value: Input = round_trip(with_value);
    assert_eq!(
        value.swap_record.flatten().map(|c| c.as_str().to_string()),
        Some(CID1.to_string())
    );
}
