use super::*;
use crate::cbor::{cid_of_bytes, encode, CODEC_DAG_CBOR};
use crate::repo::tests::{car, obj, record};

const NSID: &str = "com.atproto.sync.subscribeRepos";

fn frame(header: &Data, body: &Data) -> Vec<u8> {
    let mut out = encode(header).unwrap();
    out.extend(encode(body).unwrap());
    out
}

#[test]
fn message_frames_carry_the_type_of_their_t() {
    let header = obj(&[
        ("op", Data::Integer(1)),
        ("t", Data::String("#identity".into())),
    ]);
    let body = obj(&[
        ("seq", Data::Integer(7)),
        ("did", Data::String("did:plc:abc".into())),
    ]);
    let Frame::Message { t, body } = decode_frame::<Data>(&frame(&header, &body), NSID).unwrap()
    else {
        panic!("not a message")
    };
    assert_eq!(t, "#identity");
    assert_eq!(
        body.type_tag(),
        Some("com.atproto.sync.subscribeRepos#identity")
    );
}

#[test]
fn error_frames_are_typed() {
    let header = obj(&[("op", Data::Integer(-1))]);
    let body = obj(&[
        ("error", Data::String("FutureCursor".into())),
        ("message", Data::String("cursor in the future".into())),
    ]);
    let frame = decode_frame::<Data>(&frame(&header, &body), NSID).unwrap();
    assert_eq!(
        frame,
        Frame::Error {
            error: "FutureCursor".into(),
            message: Some("cursor in the future".into())
        }
    );
    let bad = obj(&[("op", Data::Integer(2))]);
    assert!(decode_frame::<Data>(&frame_bytes(&bad), NSID).is_err());
}

fn frame_bytes(header: &Data) -> Vec<u8> {
    frame(header, &obj(&[]))
}

#[test]
fn commit_ops_are_matched_to_verified_records() {
    let (a, b) = (record("a"), record("b"));
    let cid_a = cid_of_bytes(CODEC_DAG_CBOR, &a).unwrap();
    // The CAR's root stands for the commit block; any block will do here.
    let blocks = car(&[a.clone(), b]);
    let ops = [
        ("create", "app.bsky.feed.post/3aaa", Some(cid_a.as_str())),
        ("delete", "app.bsky.feed.post/3zzz", None),
    ];
    let ops: Vec<Op<Data>> = commit_ops(&blocks, ops).unwrap();
    assert_eq!(ops[0].cid.as_ref(), Some(&cid_a));
    assert_eq!(
        crate::cbor::to_vec(ops[0].record.as_ref().unwrap()).unwrap(),
        a
    );
    assert_eq!(ops[1].record, None);
    let missing = cid_of_bytes(CODEC_DAG_CBOR, &record("c")).unwrap();
    let err = commit_ops::<Data>(&blocks, [("create", "x.y.z/1", Some(missing.as_str()))])
        .unwrap_err()
        .to_string();
    assert!(err.contains("not in the commit"), "{err}");
}
