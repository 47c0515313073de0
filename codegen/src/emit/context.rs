//! The emitters' one context, in the manner of prost-build's
//! `CodeGenerator`: the IR, the settings, the module being emitted and the
//! Rust paths generated code names things by. Every emitter is a method on
//! it; nothing is rewritten after emission.

use super::externs::Externs;
use super::ty::ident;
use crate::ir::{Field, Format, Ir, Shape, TypeId};
use proc_macro2::TokenStream;
use quote::quote;

/// What every emitter reads.
#[derive(Clone)]
pub struct CodeGenerator<'a> {
    /// The resolved lexicons.
    pub ir: &'a Ir,
    /// Namespaces whose types live in other crates.
    pub externs: &'a Externs,
    /// Path of the module holding the lexicon modules: `crate`, or in
    /// single-file mode the module the file is included in.
    pub root: TokenStream,
    /// The lexicon whose module is being emitted: its types are named
    /// without a path.
    pub module: Option<usize>,
}

impl<'a> CodeGenerator<'a> {
    /// A context for code placed at `root`.
    pub fn new(ir: &'a Ir, externs: &'a Externs, root: TokenStream) -> Self {
        CodeGenerator {
            ir,
            externs,
            root,
            module: None,
        }
    }

    /// The same context, emitting the module of lexicon `lex`.
    pub fn in_module(&self, lex: usize) -> Self {
        CodeGenerator {
            module: Some(lex),
            ..self.clone()
        }
    }

    /// The path of a type: bare in its own module, the extern crate's path
    /// for extern namespaces, else `root::a::b::Name`.
    pub fn type_path(&self, id: TypeId) -> TokenStream {
        let def = self.ir.ty(id);
        let name = ident(&def.name);
        if self.module == Some(def.lexicon) {
            return quote!(#name);
        }
        let lex = &self.ir.lexicons[def.lexicon];
        if let Some(module) = self.externs.module_path(lex) {
            return quote!(#module :: #name);
        }
        let root = &self.root;
        let module = lex.module.iter().map(|m| ident(m));
        quote!(#root #(:: #module)* :: #name)
    }

    /// The newtype of a string format.
    pub fn format_type(&self, format: Format) -> TokenStream {
        let name = ident(format.type_name());
        quote!(formats::#name)
    }

    /// The Rust type of a value of this shape.
    pub fn shape_type(&self, shape: &Shape) -> TokenStream {
        match shape {
            Shape::Boolean { .. } => quote!(bool),
            Shape::Integer(_) => quote!(i64),
            Shape::String {
                format: Some(f), ..
            } => self.format_type(*f),
            Shape::String { format: None, .. } => quote!(String),
            Shape::Bytes(_) => quote!(types::Bytes),
            Shape::CidLink => quote!(types::CidLink),
            Shape::Blob(_) => quote!(types::Blob),
            Shape::Unknown => quote!(types::Unknown),
            Shape::Array { items, .. } => {
                let item = self.shape_type(items);
                quote!(Vec<#item>)
            }
            Shape::Named(id) | Shape::Alias { id, .. } => self.type_path(*id),
        }
    }

    /// The field's value type with `Box` (cycles) applied, before `Option`s.
    pub fn field_inner_type(&self, field: &Field) -> TokenStream {
        let base = self.shape_type(&field.shape);
        if field.boxed {
            quote!(Box<#base>)
        } else {
            base
        }
    }

    /// The type the deserializer reads for a field: `Option<T>` when it is
    /// nullable (`null` -> `None`), else `T`.
    pub fn field_read_type(&self, field: &Field) -> TokenStream {
        nullable(field, self.field_inner_type(field))
    }

    /// The type a builder slot holds for a field: the read type without
    /// the `Box` (the deserializing impls are for the struct, not its box:
    /// `finish` boxes, see [`Self::boxed_value`]).
    pub fn field_slot_type(&self, field: &Field) -> TokenStream {
        nullable(field, self.shape_type(&field.shape))
    }

    /// The struct field's value from its builder slot's value `v`.
    pub fn boxed_value(&self, field: &Field, v: &TokenStream) -> TokenStream {
        if !field.boxed {
            return v.clone();
        }
        match option_depth(field) {
            0 => quote!(Box::new(#v)),
            1 => quote!(#v.map(Box::new)),
            _ => quote!(#v.map(|v| v.map(Box::new))),
        }
    }

    /// The struct field's declared type: optional fields add an `Option`, so an
    /// optional nullable field is `Option<Option<T>>` (absent vs null).
    pub fn field_type(&self, field: &Field) -> TokenStream {
        let read = self.field_read_type(field);
        if field.required {
            read
        } else {
            quote!(Option<#read>)
        }
    }
}

/// How many `Option`s wrap a field's value: one for optional, one for
/// nullable (an optional nullable field is `Option<Option<T>>`).
pub fn option_depth(field: &Field) -> usize {
    usize::from(!field.required) + usize::from(field.nullable)
}

/// `Option<ty>` for a nullable field (`null` -> `None`), else `ty`.
fn nullable(field: &Field, ty: TokenStream) -> TokenStream {
    if field.nullable {
        quote!(Option<#ty>)
    } else {
        ty
    }
}
