//! Finding reference cycles, in one place, to decide which fields get a `Box`.
//!
//! A struct that contains itself (directly or through other structs and
//! aliases, possibly via `Option`) has infinite size. `Vec` and union
//! variants (always boxed) already add indirection, so only "direct" edges
//! count. Any direct field edge inside a strongly connected component (or a
//! self-loop) is boxed.

use super::{Ir, Shape, TypeId, TypeKind};

/// Direct (size-affecting) edges out of a shape.
fn direct_targets(shape: &Shape, out: &mut Vec<TypeId>) {
    match shape {
        Shape::Named(id) => out.push(*id),
        Shape::Alias { id, .. } => out.push(*id),
        _ => {}
    }
}

fn edges(ir: &Ir, id: TypeId) -> Vec<TypeId> {
    let mut out = Vec::new();
    match &ir.types[id].kind {
        TypeKind::Object(o) => o
            .fields
            .iter()
            .for_each(|f| direct_targets(&f.shape, &mut out)),
        TypeKind::Alias(shape) => direct_targets(shape, &mut out),
        TypeKind::Union(_) | TypeKind::StringEnum(_) | TypeKind::Errors(_) => {}
    }
    out
}

/// Strongly connected component index of every type (iterative Tarjan, so a
/// 10,000-long chain of refs cannot overflow the stack).
pub fn components(ir: &Ir) -> Vec<usize> {
    let n = ir.types.len();
    let adj: Vec<Vec<TypeId>> = (0..n).map(|id| edges(ir, id)).collect();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_comp = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        // Each frame: (node, position in its adjacency list).
        let mut call: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut pos)) = call.last_mut() {
            if let Some(&w) = adj[v].get(*pos) {
                *pos += 1;
                if index[w] == usize::MAX {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            call.pop();
            if let Some(&(parent, _)) = call.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = next_comp;
                    if w == v {
                        break;
                    }
                }
                next_comp += 1;
            }
        }
    }
    comp
}

/// Marks the fields that must be boxed.
pub fn box_cycles(ir: &mut Ir) {
    let comp = components(ir);
    for id in 0..ir.types.len() {
        let mine = comp[id];
        if let TypeKind::Object(o) = &mut ir.types[id].kind {
            for field in &mut o.fields {
                let mut targets = Vec::new();
                direct_targets(&field.shape, &mut targets);
                if targets.iter().any(|&t| comp[t] == mine) {
                    field.boxed = true;
                }
            }
        }
    }
}
