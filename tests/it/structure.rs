//! The library's modules import each other without cycles (issue 12): read from the source,
//! so a `use crate::…` that closes a cycle fails here with the imports that make it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level modules of `src/` (a file `x.rs` or a folder `x/`) and their files; the
/// binary's `main.rs` and its `print.rs` and the crate root are left out.
fn modules(src: &Path) -> BTreeMap<String, Vec<PathBuf>> {
    fn files(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut mods = BTreeMap::new();
    for e in std::fs::read_dir(src).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_stem().unwrap().to_string_lossy().to_string();
        if ["lib", "main", "print"].contains(&name.as_str()) {
            continue;
        }
        let mut fs = Vec::new();
        if p.is_dir() {
            files(&p, &mut fs);
        } else if p.extension().is_some_and(|x| x == "rs") {
            fs.push(p);
        } else {
            continue;
        }
        fs.sort();
        mods.insert(name, fs);
    }
    mods
}

/// The modules `code` names through `crate::`: `crate::x::…` anywhere, and each first
/// segment of a grouped `use crate::{x::…, y};`. Comments are not code.
fn imports(code: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut in_group = false;
    let mut depth = 0usize;
    let mut expect_name = false;
    for (n, line) in code.lines().enumerate() {
        let line = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            let after = &rest[i + 7..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if name.is_empty() && after.starts_with('{') {
                in_group = true;
                depth = 0;
                expect_name = true;
                rest = &after[1..];
                break;
            }
            out.push((name, n + 1));
            rest = after;
        }
        if in_group {
            // Inside `use crate::{ … };`: names at depth 0 after `{` or `,`.
            let mut word = String::new();
            for c in rest.chars() {
                if c.is_alphanumeric() || c == '_' {
                    if expect_name {
                        word.push(c);
                    }
                    continue;
                }
                if !word.is_empty() {
                    out.push((std::mem::take(&mut word), n + 1));
                    expect_name = false;
                }
                match c {
                    '{' => {
                        depth += 1;
                        expect_name = false;
                    }
                    '}' if depth == 0 => {
                        in_group = false;
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => expect_name = true,
                    _ => {}
                }
            }
            if !word.is_empty() {
                out.push((word, n + 1));
            }
        }
    }
    out
}

/// `code` with every `#[cfg(test)]` item (a test module, a test-only function or `use`)
/// blanked out, its lines kept so that line numbers stay; the code after it stays. Braces
/// inside strings, raw strings, character literals and comments do not count.
fn without_tests(code: &str) -> String {
    let b = code.as_bytes();
    let mut out = b.to_vec();
    let mut from = 0;
    while let Some(at) = code[from..].find("#[cfg(test)]").map(|i| i + from) {
        let mut i = at + "#[cfg(test)]".len();
        let mut depth = 0usize;
        while i < b.len() {
            match b[i] {
                b'/' if b.get(i + 1) == Some(&b'/') => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                    continue;
                }
                b'"' => {
                    // A string, or the end of a raw string's opening `r"` / `r#"`.
                    let hashes = b[..i].iter().rev().take_while(|&&c| c == b'#').count();
                    let raw = i > hashes && b[i - hashes - 1] == b'r';
                    i += 1;
                    if raw {
                        let close: Vec<u8> = std::iter::once(b'"')
                            .chain(std::iter::repeat_n(b'#', hashes))
                            .collect();
                        while i < b.len() && !b[i..].starts_with(&close) {
                            i += 1;
                        }
                        i += close.len();
                    } else {
                        while i < b.len() && b[i] != b'"' {
                            i += if b[i] == b'\\' { 2 } else { 1 };
                        }
                        i += 1;
                    }
                    continue;
                }
                b'\'' if b.get(i + 2) == Some(&b'\'') => i += 2,
                b'\'' if b.get(i + 1) == Some(&b'\\') => {
                    i += 2;
                    while i < b.len() && b[i] != b'\'' {
                        i += 1;
                    }
                }
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                b';' if depth == 0 => break,
                _ => {}
            }
            i += 1;
        }
        let end = (i + 1).min(b.len());
        for c in &mut out[at..end] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
        from = end;
    }
    String::from_utf8(out).expect("blanking ASCII bytes keeps UTF-8")
}

/// Strongly connected groups of more than one module (Tarjan).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct T<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        let i = t.index.len();
        t.index.insert(v, i);
        t.low.insert(v, i);
        t.stack.push(v);
        t.on.insert(v);
        for w in &t.edges[v] {
            let w = w.as_str();
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if t.on.contains(w) {
                let iw = t.index[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let mut group = Vec::new();
            loop {
                let w = t.stack.pop().unwrap();
                t.on.remove(w);
                group.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                t.out.push(group);
            }
        }
    }
    let mut t = T {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !t.index.contains_key(v.as_str()) {
            visit(&mut t, v);
        }
    }
    t.out
}

/// The import graph of `src/`: module → module → where (file:line), test code left out.
fn graph(src: &Path) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let mods = modules(src);
    let mut g: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for (m, files) in &mods {
        let entry = g.entry(m.clone()).or_default();
        for f in files {
            let text = std::fs::read_to_string(f).unwrap();
            // A module's own unit tests may use anything.
            let code = without_tests(&text);
            let shown = f.strip_prefix(src.parent().unwrap()).unwrap_or(f);
            for (to, line) in imports(&code) {
                if &to != m && mods.contains_key(&to) {
                    entry
                        .entry(to)
                        .or_default()
                        .push(format!("{}:{line}", shown.display()));
                }
            }
        }
    }
    g
}

#[test]
fn the_import_reader_sees_paths_and_grouped_uses() {
    let code = "use crate::model::{A, B};\nuse crate::{frame,stats::mean};\nuse crate::{\n    catalog::Kind,\n    error::{Error, Result},\n    text,\n};\n// crate::pipeline is a comment\nlet x = crate::stats::mean(&v);\n";
    let got: Vec<(String, usize)> = imports(code);
    let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["model", "frame", "stats", "catalog", "error", "text", "stats"]
    );
    assert_eq!(got[6].1, 9);
}

#[test]
fn test_code_is_left_out_and_the_code_after_it_is_read() {
    let code = "use crate::a::X;\n#[cfg(test)]\nmod tests {\n    use crate::b::Y;\n    let s = \"}\";\n    let r = r#\"{\"#;\n    let c = '}';\n    // }\n}\n#[cfg(test)]\nuse crate::d::Z;\nfn f<'a>(x: &'a str) { crate::c::g(x) }\n";
    let kept = without_tests(code);
    assert_eq!(kept.lines().count(), code.lines().count());
    let names: Vec<(String, usize)> = imports(&kept);
    assert_eq!(names, [("a".to_string(), 1), ("c".to_string(), 12)]);
}

#[test]
fn the_cycle_finder_finds_a_cycle_and_only_it() {
    let mut e: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (a, b) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e")] {
        e.entry(a.into()).or_default().insert(b.into());
        e.entry(b.into()).or_default();
    }
    assert_eq!(cycles(&e), vec![vec!["a", "b", "c"]]);
    e.get_mut("c").unwrap().remove("a");
    assert!(cycles(&e).is_empty());
}

#[test]
fn the_library_modules_import_each_other_without_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let g = graph(&src);
    assert!(g.len() > 15, "too few modules found: {:?}", g.keys());
    // The shared types and the words sit at the bottom: they import no stage.
    assert!(
        g["model"]
            .keys()
            .all(|m| ["catalog", "error", "text"].contains(&m.as_str())),
        "model imports {:?}",
        g["model"]
    );
    assert!(
        g["i18n"]
            .keys()
            .all(|m| ["catalog", "config", "error", "model", "text"].contains(&m.as_str())),
        "i18n imports {:?}",
        g["i18n"]
    );
    let edges: BTreeMap<String, BTreeSet<String>> = g
        .iter()
        .map(|(m, to)| (m.clone(), to.keys().cloned().collect()))
        .collect();
    let found = cycles(&edges);
    let mut why = String::new();
    for group in &found {
        why.push_str(&format!("cycle among {group:?}:\n"));
        for a in group {
            for (b, at) in &g[a] {
                if group.contains(b) {
                    why.push_str(&format!("  {a} -> {b} at {}\n", at.join(", ")));
                }
            }
        }
    }
    assert!(found.is_empty(), "{why}");
}
