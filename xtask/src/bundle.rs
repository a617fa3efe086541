//! `bundle`: turn a multi-file contract into one self-contained
//! document.
//!
//! Hatchet splits its contract over ~50 YAML files joined by relative
//! `$ref`s (path items in path files, an `_index.yaml` of schema aliases,
//! file-local `#/X` refs inside schema files). progenitor only understands
//! `#/components/schemas/<Name>` references, so every schema reached from
//! anywhere is hoisted into `components/schemas` under the last token of the
//! pointer it is defined at, and every other kind of `$ref` (path items,
//! parameters, responses…) is inlined. An already bundled document passes
//! through unchanged, which is what makes `gen` a fixpoint.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};
use serde_json::{Map, Value};

use crate::kind::Kind;
use crate::pointer;
use crate::source::{self, Sources};

/// The prefix every schema reference has after bundling.
pub const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// A place in the source tree: file id (relative to the entry's directory)
/// plus JSON pointer.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Loc {
    file: PathBuf,
    ptr: String,
}

impl Loc {
    fn join(&self, key: &str) -> Loc {
        Loc {
            file: self.file.clone(),
            ptr: pointer::join(&self.ptr, key),
        }
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", source::display(&self.file), self.ptr)
    }
}

/// The bundled document plus the output pointers whose `$ref` was rewritten
/// or inlined (with the source location it came from).
pub struct Bundled {
    /// The single-file document.
    pub doc: Value,
    /// `"<pointer> <- <file>#<pointer>"` for every rewritten or inlined `$ref`.
    pub touched: Vec<String>,
}

/// Reads the contract whose entry file is `entry` and bundles it.
pub fn bundle(entry: &Path) -> Result<Bundled> {
    let base = entry.parent().map(Path::to_path_buf).unwrap_or_default();
    let file = PathBuf::from(
        entry
            .file_name()
            .ok_or_else(|| anyhow!("`{}` is not a file path", entry.display()))?,
    );
    let mut b = Bundler {
        sources: Sources::new(base),
        names: BTreeMap::new(),
        queue: Vec::new(),
        stack: Vec::new(),
        touched: Vec::new(),
    };
    let root_loc = Loc {
        file,
        ptr: String::new(),
    };
    let root = b.sources.load(&root_loc.file, "the entry file")?.clone();
    let mut doc = b.walk(root, Kind::Root, &root_loc, "")?;

    let mut defs = Map::new();
    let mut done = BTreeSet::new();
    while let Some(name) = b.queue.pop() {
        if !done.insert(name.clone()) {
            continue;
        }
        let loc = b.names[&name].clone();
        let (canon, value) = b.lookup(&loc, &format!("schema `{name}`"))?;
        let out = pointer::join("/components/schemas", &name);
        let walked = b.walk(value, Kind::Schema, &canon, &out)?;
        defs.insert(name, walked);
    }
    if !defs.is_empty() {
        let obj = doc
            .as_object_mut()
            .ok_or_else(|| anyhow!("{root_loc}: the document is not an object"))?;
        let components = obj
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(c) = components {
            c.insert("schemas".into(), Value::Object(defs));
        }
    }
    Ok(Bundled {
        doc,
        touched: b.touched,
    })
}

struct Bundler {
    sources: Sources,
    /// Schema name → canonical definition location.
    names: BTreeMap<String, Loc>,
    /// Schema names registered but not yet walked.
    queue: Vec<String>,
    /// Non-schema refs currently being inlined (cycle detection).
    stack: Vec<Loc>,
    touched: Vec<String>,
}

/// The `$ref` string of an object, if it is a reference.
fn ref_of(map: &Map<String, Value>) -> Option<&str> {
    map.get("$ref").and_then(Value::as_str)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(hex) = std::str::from_utf8(&bytes[i + 1..i + 3])
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Bundler {
    /// Resolves a `$ref` string appearing at `here` to a location.
    fn resolve_ref(&self, here: &Loc, reference: &str) -> Result<Loc> {
        if reference.contains("://") {
            bail!("remote $ref `{reference}` at {here} is not supported");
        }
        let (file_part, fragment) = match reference.split_once('#') {
            Some((f, frag)) => (f, percent_decode(frag)),
            None => (reference, String::new()),
        };
        if !fragment.is_empty() && !fragment.starts_with('/') {
            bail!("$ref `{reference}` at {here}: fragment is not a JSON pointer");
        }
        let file = if file_part.is_empty() {
            here.file.clone()
        } else {
            let dir = here.file.parent().unwrap_or(Path::new(""));
            source::normalize(&dir.join(percent_decode(file_part)))
        };
        Ok(Loc {
            file,
            ptr: fragment,
        })
    }

    /// Finds the value at `loc`, following `$ref`s met on the way down, and
    /// returns it with the location it really lives at.
    fn lookup(&mut self, loc: &Loc, referrer: &str) -> Result<(Loc, Value)> {
        let mut cur = Loc {
            file: loc.file.clone(),
            ptr: String::new(),
        };
        let mut rest: Vec<String> = pointer::tokens(&loc.ptr);
        rest.reverse();
        let mut hops = 0;
        let mut node = self.sources.load(&cur.file, referrer)?.clone();
        while let Some(token) = rest.pop() {
            if let Value::Object(map) = &node
                && token != "$ref"
                && let Some(r) = ref_of(map)
            {
                hops += 1;
                if hops > 64 {
                    bail!("too many nested $refs resolving {loc} ({referrer})");
                }
                let target = self.resolve_ref(&cur, r)?;
                rest.push(token);
                let (canon, value) = self.lookup(&target, &format!("$ref `{r}` at {cur}"))?;
                cur = canon;
                node = value;
                continue;
            }
            let next = match &node {
                Value::Object(map) => map.get(&token).cloned(),
                Value::Array(items) => token
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| items.get(i).cloned()),
                _ => None,
            };
            match next {
                Some(v) => {
                    node = v;
                    cur = cur.join(&token);
                }
                None => bail!(
                    "dangling {referrer}: `{}` has no `{}`",
                    source::display(&loc.file),
                    loc.ptr
                ),
            }
        }
        Ok((cur, node))
    }

    /// Follows alias entries (objects that are nothing but a `$ref`) from a
    /// schema location to the schema's definition.
    fn canonical_schema(&mut self, start: Loc, referrer: &str) -> Result<(Loc, Value)> {
        let mut seen: Vec<Loc> = Vec::new();
        let mut loc = start;
        let mut referrer = referrer.to_string();
        loop {
            let (canon, value) = self.lookup(&loc, &referrer)?;
            if let Some(pos) = seen.iter().position(|l| *l == canon) {
                let chain: Vec<String> = seen[pos..].iter().map(ToString::to_string).collect();
                bail!("$ref cycle: {} -> {canon}", chain.join(" -> "));
            }
            seen.push(canon.clone());
            match &value {
                Value::Object(map) if map.len() == 1 && ref_of(map).is_some() => {
                    let r = ref_of(map).unwrap_or_default().to_string();
                    loc = self.resolve_ref(&canon, &r)?;
                    referrer = format!("$ref `{r}` at {canon}");
                }
                _ => return Ok((canon, value)),
            }
        }
    }

    /// Registers the schema defined at `canon` and returns its name.
    fn register(&mut self, canon: &Loc) -> Result<String> {
        let name = pointer::last_token(&canon.ptr).unwrap_or_else(|| {
            canon
                .file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
        match self.names.get(&name) {
            Some(existing) if existing == canon => {}
            Some(existing) => {
                bail!("two different schemas are both named `{name}`: {existing} and {canon}")
            }
            None => {
                self.names.insert(name.clone(), canon.clone());
                self.queue.push(name.clone());
            }
        }
        Ok(name)
    }

    fn walk(&mut self, node: Value, kind: Kind, here: &Loc, out: &str) -> Result<Value> {
        if kind == Kind::Opaque {
            return Ok(node);
        }
        match node {
            Value::Object(map) => {
                if let Some(r) = ref_of(&map).map(str::to_string) {
                    return if kind == Kind::Schema {
                        self.schema_ref(map, &r, here, out)
                    } else {
                        self.inline(map, &r, kind, here, out)
                    };
                }
                let mut result = Map::new();
                for (key, child) in map {
                    let at = here.join(&key);
                    if kind == Kind::Components && key == "schemas" {
                        // Registered now, filled in once every schema is walked.
                        self.components_schemas(child, &at)?;
                        continue;
                    }
                    let value =
                        self.walk(child, kind.child(&key), &at, &pointer::join(out, &key))?;
                    result.insert(key, value);
                }
                Ok(Value::Object(result))
            }
            Value::Array(items) => {
                let element = kind.element();
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let key = i.to_string();
                        self.walk(v, element, &here.join(&key), &pointer::join(out, &key))
                    })
                    .collect::<Result<Vec<_>>>()
                    .map(Value::Array)
            }
            other => Ok(other),
        }
    }

    /// Registers every entry of the document's `components/schemas` map
    /// (itself possibly a `$ref` to an index file).
    fn components_schemas(&mut self, node: Value, here: &Loc) -> Result<()> {
        let (map_loc, map) = match &node {
            Value::Object(m) if ref_of(m).is_some() => {
                let r = ref_of(m).unwrap_or_default();
                let target = self.resolve_ref(here, r)?;
                self.lookup(&target, &format!("$ref `{r}` at {here}"))?
            }
            _ => (here.clone(), node),
        };
        let Value::Object(map) = map else {
            bail!("{map_loc}: components/schemas is not a map");
        };
        for name in map.keys() {
            let entry = map_loc.join(name);
            let (canon, _) =
                self.canonical_schema(entry.clone(), &format!("schema entry {entry}"))?;
            self.register(&canon)?;
        }
        Ok(())
    }

    /// Rewrites a schema `$ref` to `#/components/schemas/<Name>`.
    fn schema_ref(
        &mut self,
        map: Map<String, Value>,
        r: &str,
        here: &Loc,
        out: &str,
    ) -> Result<Value> {
        let target = self.resolve_ref(here, r)?;
        let (canon, _) = self.canonical_schema(target, &format!("$ref `{r}` at {here}"))?;
        let name = self.register(&canon)?;
        let new_ref = format!("{SCHEMA_PREFIX}{}", pointer::escape(&name));
        if new_ref != r {
            self.touched.push(format!("{out} <- {canon}"));
        }
        let mut result = Map::new();
        for (key, child) in map {
            let value = if key == "$ref" {
                Value::String(new_ref.clone())
            } else {
                self.walk(
                    child,
                    Kind::Schema.child(&key),
                    &here.join(&key),
                    &pointer::join(out, &key),
                )?
            };
            result.insert(key, value);
        }
        Ok(Value::Object(result))
    }

    /// Replaces a non-schema `$ref` by (a walked copy of) its target; sibling
    /// keys of the reference override the target's.
    fn inline(
        &mut self,
        map: Map<String, Value>,
        r: &str,
        kind: Kind,
        here: &Loc,
        out: &str,
    ) -> Result<Value> {
        let target = self.resolve_ref(here, r)?;
        let (canon, value) = self.lookup(&target, &format!("$ref `{r}` at {here}"))?;
        if let Some(pos) = self.stack.iter().position(|l| *l == canon) {
            let chain: Vec<String> = self.stack[pos..].iter().map(ToString::to_string).collect();
            bail!("$ref cycle: {} -> {canon}", chain.join(" -> "));
        }
        self.touched.push(format!("{out} <- {canon}"));
        self.stack.push(canon.clone());
        let walked = self.walk(value, kind, &canon, out);
        self.stack.pop();
        let mut walked = walked?;
        for (key, child) in map {
            if key == "$ref" {
                continue;
            }
            let value = self.walk(
                child,
                kind.child(&key),
                &here.join(&key),
                &pointer::join(out, &key),
            )?;
            if let Value::Object(obj) = &mut walked {
                obj.insert(key, value);
            }
        }
        Ok(walked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_are_percent_decoded() {
        assert_eq!(percent_decode("/paths/~1a%7Bb%7D"), "/paths/~1a{b}");
        assert_eq!(percent_decode("/100%"), "/100%");
        assert_eq!(percent_decode("/%zz"), "/%zz");
    }
}
