//! The whole pipeline on fixture contracts written for these tests.

mod common;

use common::{fixture, scratch};
use serde_json::json;
use xtask::{Selection, normalize};

fn gadget_selection() -> Selection {
    xtask::read_selection(&fixture("multi/operations.txt")).unwrap()
}

fn report<'a>(n: &'a xtask::Normalized, step: &str) -> Vec<&'a str> {
    n.reports
        .iter()
        .find(|r| r.name == step)
        .unwrap_or_else(|| panic!("no step {step}"))
        .touched
        .iter()
        .map(String::as_str)
        .collect()
}

fn error_of(case: &str) -> String {
    let entry = fixture(&format!("errors/{case}/openapi.yaml"));
    format!("{:#}", normalize(&entry, &Selection::All).unwrap_err())
}

#[test]
fn multi_file_contract_matches_golden_document() {
    let n = normalize(&fixture("multi/openapi.yaml"), &gadget_selection()).unwrap();
    let expected = std::fs::read_to_string(fixture("multi/expected.json")).unwrap();
    assert_eq!(n.json, expected);
    let steps: Vec<&str> = n.reports.iter().map(|r| r.name).collect();
    assert_eq!(
        steps,
        vec![
            "bundle",
            "select-operations",
            "repair-misplaced-media-types",
            "openapi-3.0",
            "strip-prose",
            "raw-error-responses",
            "drop-dangling-required",
            "drop-vacuous-bounds",
            "tolerant-response-enums",
            "server-nullable",
            "drop-unreachable-schemas"
        ]
    );
    assert_eq!(
        report(&n, "raw-error-responses"),
        vec![
            "/paths/~1v1~1gadgets/post/responses/400",
            "/paths/~1v1~1gadgets~1{gadget}/delete/responses/400",
            "/paths/~1v1~1gadgets~1{gadget}/delete/responses/403",
            "/paths/~1v1~1gadgets~1{gadget}/get/responses/404"
        ]
    );
    assert_eq!(
        report(&n, "openapi-3.0"),
        vec![
            "/openapi",
            "/components/schemas/Gadget/properties/nickname/type",
            "/components/schemas/Gadget/properties/size/exclusiveMinimum",
            "/components/schemas/Gadget/properties/state/description",
            "/components/schemas/GadgetCreate/properties/nickname/examples"
        ]
    );
    assert_eq!(
        report(&n, "drop-dangling-required"),
        vec!["/components/schemas/Gadget/required/2 (colour)"]
    );
    assert_eq!(
        report(&n, "tolerant-response-enums"),
        vec!["/components/schemas/GadgetState"]
    );
    assert_eq!(
        report(&n, "drop-unreachable-schemas"),
        vec![
            "/components/schemas/APIError",
            "/components/schemas/APIErrors"
        ]
    );
    assert_eq!(
        report(&n, "select-operations"),
        vec![
            "/paths/~1v1~1widgets/get",
            "/paths/~1v1~1widgets",
            "/components/schemas/Colour",
            "/components/schemas/Shade",
            "/components/schemas/Widget"
        ]
    );
    // Path item, parameter and the schema refs were resolved across files.
    let bundle = report(&n, "bundle");
    assert!(bundle.contains(&"/paths/~1v1~1gadgets~1{gadget} <- paths/gadgets.yaml#/single"));
    assert!(bundle.contains(
        &"/paths/~1v1~1gadgets~1{gadget}/parameters/0 <- paths/gadgets.yaml#/gadgetParam"
    ));
    assert!(bundle.contains(
        &"/components/schemas/Gadget/properties/state <- components/schemas/gadget.yaml#/GadgetState"
    ));
}

#[test]
fn all_operations_keep_request_enums_and_relax_response_enums() {
    let n = normalize(&fixture("multi/openapi.yaml"), &Selection::All).unwrap();
    let schemas = &n.doc["components"]["schemas"];
    // Colour is a query parameter: stays an enum. Shade only comes back.
    assert_eq!(
        schemas["Colour"],
        json!({"type": "string", "enum": ["teal", "ochre"]})
    );
    assert_eq!(schemas["Shade"], json!({"type": "string"}));
    assert_eq!(
        schemas["GadgetKind"],
        json!({"type": "string", "enum": ["small", "large"]})
    );
    assert_eq!(
        n.doc["paths"]["/v1/widgets"]["get"]["parameters"][0],
        json!({"in": "query", "name": "colour", "required": false,
               "schema": {"$ref": "#/components/schemas/Colour"}})
    );
    xtask::generate::generate(&n.doc).unwrap();
}

#[test]
fn output_is_deterministic_and_a_fixpoint() {
    let entry = fixture("multi/openapi.yaml");
    let first = normalize(&entry, &gadget_selection()).unwrap();
    let second = normalize(&entry, &gadget_selection()).unwrap();
    assert_eq!(first.json, second.json);
    assert!(first.json.ends_with("}\n"));
    assert!(first.json.contains("\n  \"info\": {\n    \"title\""));

    let dir = scratch("fixpoint");
    let out = dir.join("gadgets.json");
    std::fs::write(&out, &first.json).unwrap();
    let again = normalize(&out, &gadget_selection()).unwrap();
    assert_eq!(again.json, first.json);
    for r in &again.reports {
        assert!(
            r.touched.is_empty(),
            "{} touched {:?} on its own output",
            r.name,
            r.touched
        );
    }
}

#[test]
fn single_file_yaml_contract() {
    let n = normalize(&fixture("single.yaml"), &Selection::All).unwrap();
    assert_eq!(
        n.doc,
        json!({
            "openapi": "3.0.3",
            "info": {"title": "Hatchet API", "version": "0.3.0"},
            "paths": {"/notes/{note}": {"get": {
                "operationId": "note:get",
                "parameters": [{"name": "note", "in": "path", "required": true,
                    "schema": {"type": "integer", "format": "int64"}}],
                "responses": {"200": {"description": "", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Note"}}}}}
            }}},
            "components": {"schemas": {
                "Note": {"type": "object", "properties": {
                    "text": {"type": "string"},
                    "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}}}},
                // `const` became a one-value enum, then a plain string
                // because it is only ever received.
                "Tag": {"type": "string"}
            }}
        })
    );
    assert_eq!(
        report(&n, "openapi-3.0"),
        vec!["/openapi", "/components/schemas/Tag/const"]
    );
    assert_eq!(
        report(&n, "tolerant-response-enums"),
        vec!["/components/schemas/Tag"]
    );
    assert_eq!(
        report(&n, "bundle"),
        vec![
            "/paths/~1notes~1{note}/get/parameters/0 <- single.yaml#/components/parameters/NoteId"
        ]
    );
    assert_eq!(
        report(&n, "select-operations"),
        vec!["/components/parameters"]
    );
    assert_eq!(
        report(&n, "raw-error-responses"),
        vec!["/paths/~1notes~1{note}/get/responses/default"]
    );
}

#[test]
fn dangling_ref_names_file_and_pointer() {
    assert_eq!(
        error_of("dangling"),
        "dangling $ref `./schemas.yaml#/Thingy` at \
         openapi.yaml#/paths/~1things/get/responses/200/content/application~1json/schema: \
         `schemas.yaml` has no `/Thingy`"
    );
}

#[test]
fn ref_cycle_names_the_chain() {
    assert_eq!(
        error_of("cycle"),
        "$ref cycle: paths.yaml#/first -> paths.yaml#/second -> paths.yaml#/first"
    );
    assert_eq!(
        error_of("schema-alias-cycle"),
        "$ref cycle: schemas.yaml#/Ping -> schemas.yaml#/Pong -> schemas.yaml#/Ping"
    );
}

#[test]
fn missing_file_names_file_and_referrer() {
    let err = error_of("missing-file");
    assert!(
        err.starts_with(
            "cannot read `paths/absent.yaml` ($ref `./paths/absent.yaml#/gone` at openapi.yaml#/paths/~1gone): "
        ),
        "{err}"
    );
}

#[test]
fn yaml_syntax_error_has_file_line_and_column() {
    let err = error_of("bad-yaml");
    assert!(
        err.starts_with("paths.yaml: YAML syntax error at line 4, column 14: "),
        "{err}"
    );
    assert!(
        err.ends_with(
            "(loading `paths.yaml` for $ref `./paths.yaml#/broken` at openapi.yaml#/paths/~1broken)"
        ),
        "{err}"
    );
}

#[test]
fn two_schemas_with_one_name_is_an_error() {
    assert_eq!(
        error_of("duplicate-name"),
        "two different schemas are both named `Thing`: one.yaml#/Thing and two.yaml#/Thing"
    );
}

#[test]
fn unknown_operation_id_is_an_error() {
    let selection = Selection::Only(vec!["gadget:get".into(), "gadget:explode".into()]);
    let err = normalize(&fixture("multi/openapi.yaml"), &selection).unwrap_err();
    assert_eq!(
        err.to_string(),
        "operation `gadget:explode` is selected but the contract has no such operationId"
    );
}

#[test]
fn missing_entry_file_is_an_error() {
    let err = normalize(&fixture("nowhere/openapi.yaml"), &Selection::All).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("cannot read `openapi.yaml` (the entry file): "),
        "{err}"
    );
}
