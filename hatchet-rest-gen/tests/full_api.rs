//! With `full-api`, the surface of the `full` module's generated client as a
//! reviewable snapshot: every operation as its method, path and Rust method
//! name, and every type by name. Signatures and fields stay out so that the list of 148
//! operations stays readable; any change of the contract's operations or
//! types shows up here as a diff.

#![cfg(feature = "full-api")]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use hatchet_rest_gen::{RequestHeaders, full};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use syn::{ImplItem, Item, Visibility};

const GENERATED: &str = include_str!(concat!(env!("OUT_DIR"), "/hatchet-full.rs"));
const DOCUMENT: &str = include_str!("../openapi/hatchet-full.json");

#[test]
fn full_api_surface_matches_the_snapshot() {
    let file = syn::parse_file(GENERATED).expect("generated code parses");
    let mut operations = Vec::new();
    let mut types = Vec::new();
    for item in &file.items {
        match item {
            Item::Impl(block) if block.trait_.is_none() => operations.extend(routes(block)),
            Item::Mod(module) if module.ident == "types" => {
                let (_, items) = module.content.as_ref().expect("inline types module");
                types.extend(items.iter().filter_map(type_name));
            }
            _ => {}
        }
    }
    // Every operation of the document has its method: none was dropped.
    assert_eq!(operations.len(), operations_in_document());
    insta::assert_snapshot!([operations, types].concat().join("\n"));
}

#[tokio::test]
async fn a_full_client_sends_the_headers_of_the_client_it_is_made_from() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut head = String::new();
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 0 && line != "\r\n" {
            head.push_str(&line.to_ascii_lowercase());
            line.clear();
        }
        stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
            .unwrap();
        head
    });
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer t0ken"));
    let scheduled = hatchet_rest_gen::Client::new(&url, RequestHeaders::new(headers));
    full::Client::from(scheduled).liveness_get().await.unwrap();
    let head = server.join().unwrap();
    assert!(head.starts_with("get /api/live http/1.1\r\n"), "{head}");
    assert!(
        head.contains("\r\nauthorization: bearer t0ken\r\n"),
        "{head}"
    );
}

/// `op METHOD path -> method` for each public async method of `impl Client`,
/// from the doc line progenitor gives it (`Sends a `GET` request to `/path``).
fn routes(block: &syn::ItemImpl) -> Vec<String> {
    block
        .items
        .iter()
        .filter_map(|item| match item {
            ImplItem::Fn(f)
                if f.sig.asyncness.is_some() && matches!(f.vis, Visibility::Public(_)) =>
            {
                let route = f
                    .attrs
                    .iter()
                    .filter_map(doc_text)
                    .find_map(|doc| {
                        let rest = doc.trim().strip_prefix("Sends a `")?;
                        let (method, rest) = rest.split_once("` request to `")?;
                        let path = rest.split('`').next()?;
                        Some(format!("{method} {path}"))
                    })
                    .unwrap_or_else(|| panic!("{} has no `Sends a` doc line", f.sig.ident));
                Some(format!("op {route} -> {}", f.sig.ident))
            }
            _ => None,
        })
        .collect()
}

fn doc_text(attr: &syn::Attribute) -> Option<String> {
    let syn::Meta::NameValue(meta) = &attr.meta else {
        return None;
    };
    if !meta.path.is_ident("doc") {
        return None;
    }
    match &meta.value {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) => Some(text.value()),
        _ => None,
    }
}

fn type_name(item: &Item) -> Option<String> {
    match item {
        Item::Struct(s) => Some(format!("struct {}", s.ident)),
        Item::Enum(e) => Some(format!("enum {}", e.ident)),
        _ => None,
    }
}

fn operations_in_document() -> usize {
    let document: serde_json::Value = serde_json::from_str(DOCUMENT).expect("JSON");
    let methods = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    document["paths"]
        .as_object()
        .expect("paths")
        .values()
        .map(|item| {
            methods
                .iter()
                .filter(|method| item.get(**method).is_some())
                .count()
        })
        .sum()
}
