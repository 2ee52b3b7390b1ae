//! The shape of the code, checked on every test run: no import cycles among `src/`
//! files, no file over 800 lines, no function over 120 lines, and command files
//! under 200 lines (commands parse arguments and dispatch; the work lives below).
//!
//! An edge A → B means code in file A names an item defined in file B, through a
//! `use` or a path (`crate::…`, `super::…`, a child module). A `pub use` that only
//! re-exports is not an edge: a name is followed through re-exports to the file
//! that defines it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use syn::visit::Visit;

const MAX_FILE_LINES: usize = 800;
const MAX_FN_LINES: usize = 120;
const MAX_COMMAND_LINES: usize = 200;

#[test]
fn src_has_no_cycles_and_no_oversized_files_or_functions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut sources = Vec::new();
    read_tree(&root, &root, &mut sources);
    assert!(
        sources.len() > 50,
        "src/ was not found at {}",
        root.display()
    );

    let problems = check(&sources);
    assert!(
        problems.is_empty(),
        "{} structure problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The checker itself finds what it is meant to find, so a pass above means something.
#[test]
fn the_checker_finds_a_cycle_a_long_file_and_a_long_function() {
    let long_body = "    let _ = 1;\n".repeat(MAX_FN_LINES);
    let sources = vec![
        (
            "lib.rs".to_string(),
            "pub mod a;\npub mod b;\npub mod c;\npub mod commands;\n".to_string(),
        ),
        (
            "a/mod.rs".to_string(),
            "mod inner;\npub use inner::Shape;\npub fn area() -> u32 { crate::b::side() }\n"
                .to_string(),
        ),
        ("a/inner.rs".to_string(), "pub struct Shape;\n".to_string()),
        (
            "b.rs".to_string(),
            "use crate::a::Shape;\npub fn side() -> u32 { let _s = Shape; 1 }\n".to_string(),
        ),
        (
            "c.rs".to_string(),
            format!("pub fn long() {{\n{long_body}}}\n"),
        ),
        (
            "commands/mod.rs".to_string(),
            "//!\n".repeat(MAX_COMMAND_LINES + 1),
        ),
    ];
    let problems = check(&sources);
    let text = problems.join("\n");
    // b names Shape through a's re-export: the edge goes to a/inner.rs, so no cycle.
    assert!(!text.contains("cycle"), "{text}");
    assert!(text.contains("c.rs: fn long is 122 lines"), "{text}");
    assert!(text.contains("commands/mod.rs is 201 lines"), "{text}");

    let mut cyclic = sources.clone();
    cyclic[2].1 = "pub struct Shape;\npub fn f() -> u32 { super::area() }\n".to_string();
    cyclic[3].1 = "pub fn side() -> u32 { crate::a::inner_f() }\n".to_string();
    cyclic[1].1 = "mod inner;\npub use inner::{Shape, f as inner_f};\npub fn area() -> u32 { crate::b::side() }\n".to_string();
    let text = check(&cyclic).join("\n");
    assert!(
        text.contains("import cycle among a/inner.rs, a/mod.rs, b.rs"),
        "{text}"
    );
}

fn read_tree(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_tree(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((relative, std::fs::read_to_string(&path).unwrap()));
        }
    }
}

/// Every problem found, one line each.
fn check(sources: &[(String, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut crate_files = Vec::new();
    for (file, text) in sources {
        let lines = text.lines().count();
        if lines > MAX_FILE_LINES {
            problems.push(format!(
                "{file} is {lines} lines (at most {MAX_FILE_LINES})"
            ));
        }
        if file.starts_with("commands/") && lines >= MAX_COMMAND_LINES {
            problems.push(format!(
                "{file} is {lines} lines (commands stay under {MAX_COMMAND_LINES})"
            ));
        }
        let ast = syn::parse_file(text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let mut lengths = FnLengths::default();
        lengths.visit_file(&ast);
        for (name, lines) in lengths.found {
            if lines > MAX_FN_LINES {
                problems.push(format!(
                    "{file}: fn {name} is {lines} lines (at most {MAX_FN_LINES})"
                ));
            }
        }
        // main.rs is the binary, a crate of its own above the library.
        if file != "main.rs" && !file.starts_with("bin/") {
            crate_files.push((file.clone(), ast));
        }
    }
    let graph = Crate::new(&crate_files).import_graph();
    for cycle in cycles(&graph) {
        let edges: Vec<String> = cycle
            .iter()
            .flat_map(|from| {
                let targets = &graph[from];
                cycle.iter().filter_map(move |to| {
                    let names = targets.get(to)?;
                    Some(format!(
                        "{from} → {to} ({})",
                        names.iter().cloned().collect::<Vec<_>>().join(", ")
                    ))
                })
            })
            .collect();
        problems.push(format!(
            "import cycle among {} ({})",
            cycle.join(", "),
            edges.join("; ")
        ));
    }
    problems
}

#[derive(Default)]
struct FnLengths {
    found: Vec<(String, usize)>,
}

impl FnLengths {
    fn record(&mut self, name: &syn::Ident, from: proc_macro2::Span, to: proc_macro2::Span) {
        self.found
            .push((name.to_string(), to.end().line - from.start().line + 1));
    }
}

impl<'a> Visit<'a> for FnLengths {
    fn visit_item_fn(&mut self, f: &'a syn::ItemFn) {
        self.record(
            &f.sig.ident,
            f.sig.fn_token.span,
            f.block.brace_token.span.close(),
        );
        syn::visit::visit_item_fn(self, f);
    }
    fn visit_impl_item_fn(&mut self, f: &'a syn::ImplItemFn) {
        self.record(
            &f.sig.ident,
            f.sig.fn_token.span,
            f.block.brace_token.span.close(),
        );
        syn::visit::visit_impl_item_fn(self, f);
    }
    fn visit_trait_item_fn(&mut self, f: &'a syn::TraitItemFn) {
        if let Some(block) = &f.default {
            self.record(
                &f.sig.ident,
                f.sig.fn_token.span,
                block.brace_token.span.close(),
            );
        }
        syn::visit::visit_trait_item_fn(self, f);
    }
}

type ModPath = Vec<String>;
type Graph = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

/// One module (a file, or an inline `mod` inside one): what it defines and what its
/// `use` declarations bind.
#[derive(Default)]
struct Module {
    file: String,
    defines: BTreeSet<String>,
    /// Name bound → the path it names, and whether the `use` is a public re-export.
    binds: HashMap<String, (ModPath, bool)>,
    globs: Vec<ModPath>,
}

struct Crate<'a> {
    modules: BTreeMap<ModPath, Module>,
    files: &'a [(String, syn::File)],
}

fn module_path(file: &str) -> ModPath {
    let stem = file.trim_end_matches(".rs");
    let mut parts: ModPath = stem.split('/').map(str::to_string).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

impl<'a> Crate<'a> {
    fn new(files: &'a [(String, syn::File)]) -> Self {
        let mut modules = BTreeMap::new();
        for (file, ast) in files {
            collect_module(&mut modules, file, module_path(file), &ast.items);
        }
        Crate { modules, files }
    }

    /// File → the files whose items it names → the names.
    fn import_graph(&self) -> Graph {
        let mut graph = BTreeMap::new();
        for (file, ast) in self.files {
            let mut names = PathsNamed {
                module: module_path(file),
                found: Vec::new(),
            };
            names.visit_file(ast);
            let targets: &mut BTreeMap<String, BTreeSet<String>> =
                graph.entry(file.clone()).or_default();
            for (module, path, is_use) in names.found {
                if let Some(target) = self.file_of(&module, &path, is_use, 0)
                    && target != *file
                {
                    targets
                        .entry(target)
                        .or_default()
                        .insert(path.last().cloned().unwrap_or_default());
                }
            }
        }
        graph
    }

    /// The file that defines what `path`, written in `module`, names; `None` for names
    /// outside the crate and for a `use` that only names a module.
    fn file_of(
        &self,
        module: &ModPath,
        path: &[String],
        is_use: bool,
        depth: usize,
    ) -> Option<String> {
        if depth > 16 || path.is_empty() {
            return None;
        }
        let (mut at, rest) = self.start_of(module, path, depth)?;
        for segment in &rest {
            let mut child = at.clone();
            child.push(segment.clone());
            if self.modules.contains_key(&child) {
                at = child;
                continue;
            }
            return self.item_file(&at, segment, depth);
        }
        // The path names a module: a `use` of it is no dependency until code uses it, and a
        // lone name in code that is also a module's is a local variable.
        (!is_use && path.len() > 1).then(|| self.modules[&at].file.clone())
    }

    /// Where a path starts: the module its first segment names, and the segments left.
    fn start_of(
        &self,
        module: &ModPath,
        path: &[String],
        depth: usize,
    ) -> Option<(ModPath, ModPath)> {
        let mut at = module.clone();
        let mut rest = path;
        match path[0].as_str() {
            "crate" => return Some((Vec::new(), path[1..].to_vec())),
            "self" => rest = &path[1..],
            "super" => {
                while rest.first().is_some_and(|s| s == "super") {
                    at.pop()?;
                    rest = &rest[1..];
                }
            }
            first => {
                let mut child = module.clone();
                child.push(first.to_string());
                if !self.modules.contains_key(&child) {
                    // A name bound by a `use` here: follow it.
                    let (bound, _) = self.modules.get(module)?.binds.get(first)?;
                    let mut full = bound.clone();
                    full.extend_from_slice(&path[1..]);
                    return if depth < 16 {
                        self.start_of(module, &full, depth + 1)
                    } else {
                        None
                    };
                }
            }
        }
        Some((at, rest.to_vec()))
    }

    /// The file that defines `name` in module `at`, following `use` bindings.
    fn item_file(&self, at: &ModPath, name: &str, depth: usize) -> Option<String> {
        let module = self.modules.get(at)?;
        if module.defines.contains(name) {
            return Some(module.file.clone());
        }
        if let Some((bound, _)) = module.binds.get(name) {
            return self.file_of(at, bound, false, depth + 1);
        }
        for glob in &module.globs {
            let mut path = glob.clone();
            path.push(name.to_string());
            if let Some(file) = self.file_of(at, &path, false, depth + 1) {
                return Some(file);
            }
        }
        // An enum variant, a macro, an associated item: it belongs to this module.
        Some(module.file.clone())
    }
}

fn collect_module(
    modules: &mut BTreeMap<ModPath, Module>,
    file: &str,
    path: ModPath,
    items: &[syn::Item],
) {
    let mut module = Module {
        file: file.to_string(),
        ..Module::default()
    };
    for item in items {
        let name = match item {
            syn::Item::Const(i) => Some(&i.ident),
            syn::Item::Enum(i) => Some(&i.ident),
            syn::Item::Fn(i) => Some(&i.sig.ident),
            syn::Item::Static(i) => Some(&i.ident),
            syn::Item::Struct(i) => Some(&i.ident),
            syn::Item::Trait(i) => Some(&i.ident),
            syn::Item::Type(i) => Some(&i.ident),
            syn::Item::Union(i) => Some(&i.ident),
            syn::Item::Macro(i) => i.ident.as_ref(),
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    let mut child = path.clone();
                    child.push(m.ident.to_string());
                    collect_module(modules, file, child, inner);
                }
                None
            }
            syn::Item::Use(u) => {
                let public = !matches!(u.vis, syn::Visibility::Inherited);
                let prefix = if u.leading_colon.is_some() {
                    vec![String::new()]
                } else {
                    Vec::new()
                };
                bind_use(&mut module, prefix, &u.tree, public);
                None
            }
            _ => None,
        };
        if let Some(name) = name {
            module.defines.insert(name.to_string());
        }
    }
    modules.insert(path, module);
}

fn bind_use(module: &mut Module, mut prefix: ModPath, tree: &syn::UseTree, public: bool) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            bind_use(module, prefix, &p.tree, public);
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                if let Some(last) = prefix.last().cloned() {
                    module.binds.insert(last, (prefix, public));
                }
            } else {
                prefix.push(name.clone());
                module.binds.insert(name, (prefix, public));
            }
        }
        syn::UseTree::Rename(r) => {
            prefix.push(r.ident.to_string());
            module.binds.insert(r.rename.to_string(), (prefix, public));
        }
        syn::UseTree::Glob(_) => module.globs.push(prefix),
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                bind_use(module, prefix.clone(), tree, public);
            }
        }
    }
}

/// Every path a file names, with the module it is written in; `use` paths are marked,
/// and public re-exports are left out.
struct PathsNamed {
    module: ModPath,
    found: Vec<(ModPath, ModPath, bool)>,
}

impl PathsNamed {
    fn use_paths(&mut self, mut prefix: ModPath, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_paths(prefix, &p.tree);
            }
            syn::UseTree::Name(n) => {
                if n.ident != "self" {
                    prefix.push(n.ident.to_string());
                }
                self.found.push((self.module.clone(), prefix, true));
            }
            syn::UseTree::Rename(r) => {
                prefix.push(r.ident.to_string());
                self.found.push((self.module.clone(), prefix, true));
            }
            syn::UseTree::Glob(_) => self.found.push((self.module.clone(), prefix, false)),
            syn::UseTree::Group(g) => {
                for tree in &g.items {
                    self.use_paths(prefix.clone(), tree);
                }
            }
        }
    }
}

impl<'a> Visit<'a> for PathsNamed {
    fn visit_item_mod(&mut self, m: &'a syn::ItemMod) {
        self.module.push(m.ident.to_string());
        syn::visit::visit_item_mod(self, m);
        self.module.pop();
    }
    fn visit_item_use(&mut self, u: &'a syn::ItemUse) {
        if matches!(u.vis, syn::Visibility::Inherited) {
            self.use_paths(Vec::new(), &u.tree);
        }
    }
    /// `pub(super)` names a module, not a dependency.
    fn visit_vis_restricted(&mut self, _: &'a syn::VisRestricted) {}
    fn visit_path(&mut self, p: &'a syn::Path) {
        let segments: ModPath = p.segments.iter().map(|s| s.ident.to_string()).collect();
        if segments.len() > 1 || segments.first().is_some_and(|s| !s.is_empty()) {
            self.found.push((self.module.clone(), segments, false));
        }
        syn::visit::visit_path(self, p);
    }
}

/// The strongly connected groups of more than one file (Tarjan's algorithm), each sorted.
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct Search<'g> {
        graph: &'g Graph,
        index: HashMap<&'g str, usize>,
        low: HashMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        groups: Vec<Vec<String>>,
    }
    impl<'g> Search<'g> {
        fn visit(&mut self, node: &'g str) {
            let n = self.index.len();
            self.index.insert(node, n);
            self.low.insert(node, n);
            self.stack.push(node);
            self.on_stack.insert(node);
            for next in self.graph.get(node).into_iter().flat_map(|t| t.keys()) {
                let next = next.as_str();
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[node].min(self.low[next]);
                    self.low.insert(node, low);
                } else if self.on_stack.contains(next) {
                    let low = self.low[node].min(self.index[next]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let mut group = Vec::new();
                while let Some(top) = self.stack.pop() {
                    self.on_stack.remove(top);
                    group.push(top.to_string());
                    if top == node {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.groups.push(group);
                }
            }
        }
    }
    let mut search = Search {
        graph,
        index: HashMap::new(),
        low: HashMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        groups: Vec::new(),
    };
    for node in graph.keys() {
        if !search.index.contains_key(node.as_str()) {
            search.visit(node);
        }
    }
    search.groups
}
