//! Conformance with LEXICON-RULES §2 and §6, written from the rule text
//! (not from any list of test vectors): boundary lengths, each allowed and
//! disallowed character class, differential property tests between the
//! hand-written checkers and reference regexes written from §6, and the
//! data-model rules inside `unknown` values, unknown fields and unknown
//! union members, applied alike by the generated types and `lexgen validate`.

mod data_model;
mod format_rules;
mod newtypes;
mod reference;
mod regex_diff;
mod validate_def;
