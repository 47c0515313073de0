//! One pass of the posts workload for one peer, for instruction-count
//! profiles: `valgrind --tool=callgrind target/release/deps/profile_posts-* lexgen`
//! (or `atrium`, `jacquard`, `value`). Decodes each line once, after the
//! workload is generated.

use lexgen_bench::posts;

fn main() {
    let peer = std::env::args().nth(1).unwrap_or_default();
    if peer == "--list" || peer == "--bench" && std::env::args().count() == 2 {
        return;
    }
    let jsonl = posts::jsonl(posts::SEED, posts::POSTS);
    let decoded = jsonl.lines().filter(|line| match peer.as_str() {
        "atrium" => serde_json::from_str::<atrium_api::app::bsky::feed::post::Record>(line).is_ok(),
        "jacquard" => {
            serde_json::from_str::<jacquard_api::app_bsky::feed::post::Post>(line).is_ok()
        }
        "value" => serde_json::from_str::<serde_json::Value>(line).is_ok(),
        _ => serde_json::from_str::<atproto_types::app::bsky::feed::post::Record>(line).is_ok(),
    });
    println!("{peer}: {} records decoded", decoded.count());
}
