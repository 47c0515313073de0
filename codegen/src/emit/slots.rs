//! The builder type of a struct: its fields' slots laid out as the
//! runtime's `de::Slots` (one `Option<T>` per field, in tuples of up to
//! [`TUPLE_MAX`], nested beyond), and how `finish` reaches each slot.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Index;

/// The longest tuple the runtime implements `Slots` (and std `Default`) for.
pub const TUPLE_MAX: usize = 12;

/// A slot, or a tuple of them.
enum Node {
    Slot(TokenStream),
    Tuple(Vec<Node>),
}

/// The builder type holding `slots` (each an `Option<T>` type), and the
/// access path of each slot from the builder, in order (`.3`, `.1.4`; empty
/// when the builder is the one slot).
pub fn layout(slots: Vec<TokenStream>) -> (TokenStream, Vec<TokenStream>) {
    let mut nodes: Vec<Node> = slots.into_iter().map(Node::Slot).collect();
    while nodes.len() > TUPLE_MAX {
        let mut grouped = Vec::new();
        let mut rest = nodes.into_iter().peekable();
        while rest.peek().is_some() {
            let chunk: Vec<Node> = rest.by_ref().take(TUPLE_MAX).collect();
            grouped.push(tuple(chunk));
        }
        nodes = grouped;
    }
    let root = tuple(nodes);
    let mut paths = Vec::new();
    collect_paths(&root, TokenStream::new(), &mut paths);
    (node_type(&root), paths)
}

/// One node for `nodes`: the node itself when alone (no 1-tuples).
fn tuple(mut nodes: Vec<Node>) -> Node {
    if nodes.len() == 1 {
        nodes.remove(0)
    } else {
        Node::Tuple(nodes)
    }
}

fn node_type(node: &Node) -> TokenStream {
    match node {
        Node::Slot(ty) => ty.clone(),
        Node::Tuple(items) => {
            let items = items.iter().map(node_type);
            quote!((#(#items),*))
        }
    }
}

fn collect_paths(node: &Node, prefix: TokenStream, out: &mut Vec<TokenStream>) {
    match node {
        Node::Slot(_) => out.push(prefix),
        Node::Tuple(items) => {
            for (i, item) in items.iter().enumerate() {
                let i = Index::from(i);
                collect_paths(item, quote!(#prefix.#i), out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slots(n: usize) -> Vec<TokenStream> {
        (0..n).map(|i| quote!(Option<[u8; #i]>)).collect()
    }

    fn text(t: &TokenStream) -> String {
        t.to_string().replace(' ', "")
    }

    #[test]
    fn no_fields_is_the_unit_type() {
        let (ty, paths) = layout(slots(0));
        assert_eq!(text(&ty), "()");
        assert!(paths.is_empty());
    }

    #[test]
    fn one_field_is_its_slot() {
        let (ty, paths) = layout(slots(1));
        assert_eq!(text(&ty), "Option<[u8;0usize]>");
        assert_eq!(text(&paths[0]), "");
    }

    #[test]
    fn up_to_twelve_fields_are_one_tuple() {
        let (ty, paths) = layout(slots(TUPLE_MAX));
        assert_eq!(text(&ty).matches("Option").count(), TUPLE_MAX);
        assert!(!text(&ty)[1..].contains('('));
        let paths: Vec<String> = paths.iter().map(text).collect();
        assert_eq!(paths[0], ".0");
        assert_eq!(paths[11], ".11");
    }

    #[test]
    fn more_fields_nest_in_order() {
        let (ty, paths) = layout(slots(29));
        let ty = text(&ty);
        // Chunks of 12, 12 and 5.
        assert!(ty.starts_with("((Option<[u8;0usize]>,"), "{ty}");
        assert!(ty.ends_with("Option<[u8;28usize]>))"), "{ty}");
        let paths: Vec<String> = paths.iter().map(text).collect();
        assert_eq!(paths.len(), 29);
        assert_eq!(paths[0], ".0.0");
        assert_eq!(paths[13], ".1.1");
        assert_eq!(paths[28], ".2.4");
        // A chunk of one is its slot: 13 fields are (12-tuple, slot).
        let (_, paths) = layout(slots(13));
        assert_eq!(text(&paths[12]), ".1");
    }

    #[test]
    fn past_144_fields_chunks_nest_again() {
        let (ty, paths) = layout(slots(145));
        assert_eq!(paths.len(), 145);
        assert_eq!(text(&paths[0]), ".0.0.0");
        assert_eq!(text(&paths[144]), ".1");
        assert_eq!(text(&ty).matches("Option").count(), 145);
    }
}
