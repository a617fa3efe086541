//! The generated client's public surface, as a reviewable snapshot: a
//! contract or importer change shows up here as a diff of operations,
//! signatures and types. It is the same with `full-api`, whose `full`
//! module `tests/full_api.rs` pins.

use syn::{Fields, ImplItem, Item, Visibility};

const GENERATED: &str = include_str!(concat!(env!("OUT_DIR"), "/hatchet.rs"));

#[test]
fn generated_surface_matches_the_snapshot() {
    let file = syn::parse_file(GENERATED).expect("generated code parses");
    let mut lines = Vec::new();
    for item in &file.items {
        match item {
            Item::Impl(block) if block.trait_.is_none() => lines.extend(operations(block)),
            Item::Mod(module) if module.ident == "types" => {
                let (_, items) = module.content.as_ref().expect("inline types module");
                lines.extend(items.iter().filter_map(type_line));
            }
            _ => {}
        }
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn every_selected_operation_is_generated() {
    let operations = [
        "scheduled_workflow_run_create",
        "workflow_scheduled_list",
        "workflow_scheduled_get",
        "workflow_scheduled_delete",
        "workflow_scheduled_update",
        "workflow_scheduled_trigger",
        "workflow_scheduled_bulk_delete",
        "workflow_scheduled_bulk_update",
    ];
    for operation in operations {
        assert!(
            GENERATED.contains(&format!("pub async fn {operation}<")),
            "{operation} is missing"
        );
    }
}

/// Each public async method of `impl Client`, as a one-line signature.
fn operations(block: &syn::ItemImpl) -> Vec<String> {
    block
        .items
        .iter()
        .filter_map(|item| match item {
            ImplItem::Fn(f)
                if f.sig.asyncness.is_some() && matches!(f.vis, Visibility::Public(_)) =>
            {
                let file = syn::parse_quote! { #[allow(unused)] pub fn __() {} };
                let mut file: syn::File = file;
                if let Item::Fn(stub) = &mut file.items[0] {
                    stub.attrs.clear();
                    stub.sig = f.sig.clone();
                }
                let text = prettyplease::unparse(&file);
                Some(format!("op {}", squash(&text)))
            }
            _ => None,
        })
        .collect()
}

/// Each generated type with its fields or variants.
fn type_line(item: &Item) -> Option<String> {
    match item {
        Item::Struct(s) => {
            let fields = match &s.fields {
                Fields::Named(named) => named
                    .named
                    .iter()
                    .map(|f| {
                        let ty = &f.ty;
                        format!("{}: {}", f.ident.as_ref().unwrap(), squash(&quote_type(ty)))
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                Fields::Unnamed(unnamed) => unnamed
                    .unnamed
                    .iter()
                    .map(|f| squash(&quote_type(&f.ty)))
                    .collect::<Vec<_>>()
                    .join(", "),
                Fields::Unit => String::new(),
            };
            Some(format!("struct {} {{ {fields} }}", s.ident))
        }
        Item::Enum(e) => {
            let variants: Vec<_> = e.variants.iter().map(|v| v.ident.to_string()).collect();
            Some(format!("enum {} {{ {} }}", e.ident, variants.join(", ")))
        }
        _ => None,
    }
}

fn quote_type(ty: &syn::Type) -> String {
    let file: syn::File = syn::parse_quote! { type T = #ty; };
    let text = prettyplease::unparse(&file);
    text.trim()
        .trim_start_matches("type T = ")
        .trim_end_matches(';')
        .to_owned()
}

/// Collapses whitespace so each entry stays on one line.
fn squash(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" {}", "")
        .replace("( ", "(")
        .replace(", )", ")")
}
