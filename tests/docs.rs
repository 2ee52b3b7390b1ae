//! Every example in README.md and docs/*.md runs, so the documentation cannot drift from the
//! program. Examples are fenced code blocks; the first word after the fence says what a block
//! is, the words after it how it is checked:
//!
//! - ` ```toml ` is a scene. It is written to `scenes/<name>.toml` (`name=NAME`, default
//!   `example`) and must load and resolve: `benchanim data <name> --strict` and `benchanim
//!   render <name> --format png` over `results=DIR` (default `tests/fixtures/results`) succeed
//!   without a word on standard error. ` ```toml error ` must fail and ` ```toml warning `
//!   succeed with a warning: the ` ```text ` block that follows shows what it prints.
//!   ` ```toml catalog ` is a metric catalog, written to `metrics.toml` and read by `report`;
//!   ` ```toml experiment ` is a `bench experiment` file, read and checked without a server.
//! - ` ```console ` holds `$ benchanim …` commands, each followed by what it prints (standard
//!   output and error as a terminal shows them, compared line by line with trailing spaces
//!   trimmed; `…` stands for any text within a line, and a line of only `…` for any lines).
//!   `exit=N` gives the exit code the commands end with (default 0).
//! - ` ```sh ` holds commands without their output; a `#` starts a comment.
//! - ` ```text `, ` ```csv ` and ` ```json ` are shown, not run.
//!
//! Commands run from a copy of the repository's data (`benchmark_results/`, `scenes/`,
//! `examples/`, `tests/fixtures/`), a fresh one per block, so an import never touches the
//! repository. `render`, `compare` and `plot` write only the stills (`--format png`, or the PNG
//! and SVG a command asks for): encoding the videos takes minutes in a debug build. Blocks
//! marked `no-run` (a GPU, a server, files the repository does not have) and every `bench`
//! command are parsed, not run: the command is run with `--help`, so its subcommand, options and
//! their values must be ones the program takes. `cargo run -- ARGS` is checked as `benchanim
//! ARGS` is; `scripts/NAME` must exist and be executable; `cargo … --features/--test/--bench/
//! --example NAME` must name what Cargo.toml and the tree have.
//!
//! Every file must have at least one checked block (a fence the test does not read would
//! otherwise go unnoticed), and every relative link must point at a file that exists (and at a
//! heading there, for `file.md#anchor`). `BENCHANIM_DOCS=scenes cargo test --test docs` checks
//! only the documents whose path contains `scenes`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Documents with nothing to run yet; they must not have code blocks.
const NO_EXAMPLES: &[&str] = &["docs/contributing.md"];

/// What a scene example is resolved against when its block does not say.
const DEFAULT_RESULTS: &str = "tests/fixtures/results";

/// The data a block's commands see, copied from the repository.
const SANDBOX_DIRS: &[&str] = &["benchmark_results", "scenes", "examples", "tests/fixtures"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// README.md and every docs/*.md, as paths relative to the repository.
fn documents() -> Vec<String> {
    let mut docs = vec!["README.md".to_string()];
    let mut more: Vec<String> = std::fs::read_dir(root().join("docs"))
        .expect("docs/ exists")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md"))
        .map(|name| format!("docs/{name}"))
        .collect();
    more.sort();
    docs.extend(more);
    docs
}

fn read(doc: &str) -> String {
    std::fs::read_to_string(root().join(doc)).unwrap_or_else(|e| panic!("{doc}: {e}"))
}

/// A fenced code block.
#[derive(Debug, Clone)]
struct Block {
    /// The line of its opening fence, from 1.
    line: usize,
    lang: String,
    attrs: Vec<String>,
    body: String,
}

impl Block {
    fn has(&self, attr: &str) -> bool {
        self.attrs.iter().any(|a| a == attr)
    }

    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find_map(|a| a.strip_prefix(key)?.strip_prefix('='))
    }

    /// Every attribute must be one this kind of block takes.
    fn check_attrs(&self, allowed: &[&str]) -> Result<(), String> {
        for attr in &self.attrs {
            let key = attr.split('=').next().unwrap();
            if !allowed.contains(&key) {
                return Err(format!(
                    "```{} does not take `{attr}` (it takes: {})",
                    self.lang,
                    allowed.join(", ")
                ));
            }
        }
        Ok(())
    }
}

/// The fenced code blocks of a Markdown text, and the text outside them (code blocks blanked
/// out, line numbers kept). Fences may be indented (in a list); `~~~` fences are refused so that
/// no example goes unread.
fn blocks(text: &str) -> Result<(Vec<Block>, String), String> {
    let mut out = Vec::new();
    let mut prose = String::new();
    let mut open: Option<(usize, usize, String, Vec<String>)> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        match &mut open {
            None => {
                if trimmed.starts_with("~~~") {
                    return Err(format!("line {}: use ``` fences, not ~~~", i + 1));
                }
                if let Some(info) = trimmed.strip_prefix("```") {
                    let mut words = info.split_whitespace();
                    let lang = words.next().unwrap_or("").to_string();
                    open = Some((i + 1, indent, lang, Vec::new()));
                    let attrs: Vec<String> = words.map(str::to_string).collect();
                    open.as_mut().unwrap().3.extend(attrs);
                    prose.push('\n');
                } else {
                    prose.push_str(line);
                    prose.push('\n');
                }
            }
            Some((start, fence_indent, lang, attrs)) => {
                if trimmed == "```" {
                    let body_lines: Vec<&str> = text
                        .lines()
                        .skip(*start)
                        .take(i + 1 - *start - 1)
                        .map(|l| {
                            let strip = l.len() - l.trim_start().len();
                            &l[strip.min(*fence_indent)..]
                        })
                        .collect();
                    out.push(Block {
                        line: *start,
                        lang: std::mem::take(lang),
                        attrs: std::mem::take(attrs),
                        body: body_lines.join("\n") + "\n",
                    });
                    open = None;
                } else if indent < *fence_indent && !trimmed.is_empty() {
                    return Err(format!(
                        "line {}: a line less indented than the fence of line {start}",
                        i + 1
                    ));
                }
                prose.push('\n');
            }
        }
    }
    if let Some((start, ..)) = open {
        return Err(format!("line {start}: a code block that is never closed"));
    }
    Ok((out, prose))
}

/// A copy of the repository's data, in which a block's commands run.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        for sub in SANDBOX_DIRS {
            copy_dir(&root().join(sub), &dir.path().join(sub));
        }
        Sandbox { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs benchanim here; its exit code and what it printed, standard output and error
    /// interleaved as a terminal shows them.
    fn run(&self, args: &[String]) -> (i32, String) {
        let (mut reader, writer) = std::io::pipe().unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_benchanim"));
        command
            .args(args)
            .current_dir(self.path())
            .stdin(Stdio::null())
            .stdout(writer.try_clone().unwrap())
            .stderr(writer);
        let mut child = command.spawn().expect("run benchanim");
        drop(command);
        let mut output = Vec::new();
        reader.read_to_end(&mut output).unwrap();
        let status = child.wait().unwrap();
        let code = status.code().unwrap_or(-1);
        (code, String::from_utf8_lossy(&output).into_owned())
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_dir(&entry.path(), &target);
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Shell words of a command line: quotes, backslashes and comments as `sh` reads them. A
/// command substitution `$(…)` (a process id in the examples) stands for `1`; commands with one
/// are only parsed. Pipes, redirections and `;`/`&&` are refused.
fn shell_words(line: &str) -> Result<(Vec<String>, bool), String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut substituted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if let Some(w) = word.take() {
                    words.push(w);
                }
            }
            '#' if word.is_none() => break,
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => w.push(c),
                        None => return Err(format!("unclosed ' in `{line}`")),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => w.push(c),
                            Some(c) => {
                                w.push('\\');
                                w.push(c);
                            }
                            None => return Err(format!("unclosed \" in `{line}`")),
                        },
                        Some('$') if chars.peek() == Some(&'(') => {
                            skip_substitution(&mut chars, line)?;
                            w.push('1');
                            substituted = true;
                        }
                        Some(c) => w.push(c),
                        None => return Err(format!("unclosed \" in `{line}`")),
                    }
                }
            }
            '\\' => {
                if let Some(c) = chars.next() {
                    word.get_or_insert_with(String::new).push(c);
                }
            }
            '$' if chars.peek() == Some(&'(') => {
                skip_substitution(&mut chars, line)?;
                word.get_or_insert_with(String::new).push('1');
                substituted = true;
            }
            '|' | '>' | '<' | ';' | '&' | '`' => {
                return Err(format!(
                    "`{c}` in `{line}`: examples are single commands, without pipes or redirections"
                ));
            }
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    if let Some(w) = word {
        words.push(w);
    }
    Ok((words, substituted))
}

fn skip_substitution(
    chars: &mut std::iter::Peekable<std::str::Chars>,
    line: &str,
) -> Result<(), String> {
    chars.next(); // (
    let mut depth = 1;
    for c in chars.by_ref() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Ok(());
                }
            }
            _ => {}
        }
    }
    Err(format!("unclosed $( in `{line}`"))
}

/// A command of an example and what it should print (console blocks only).
struct Step {
    line: usize,
    text: String,
    expected: Option<String>,
}

/// The commands of a `sh` block: one per line, `\` at the end of a line continuing it.
fn sh_steps(block: &Block) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut current: Option<Step> = None;
    for (i, line) in block.body.lines().enumerate() {
        let at = block.line + 1 + i;
        let (text, continues) = match line.trim_end().strip_suffix('\\') {
            Some(head) => (head.to_string(), true),
            None => (line.to_string(), false),
        };
        match &mut current {
            Some(step) => {
                step.text.push(' ');
                step.text.push_str(&text);
            }
            None if text.trim().is_empty() || text.trim_start().starts_with('#') => continue,
            None => {
                current = Some(Step {
                    line: at,
                    text,
                    expected: None,
                })
            }
        }
        if !continues {
            steps.extend(current.take());
        }
    }
    steps.extend(current);
    steps
}

/// The commands of a `console` block (`$ ` lines, `\` continuing them) with what follows
/// each as its output.
fn console_steps(block: &Block) -> Result<Vec<Step>, String> {
    let mut steps: Vec<Step> = Vec::new();
    let mut continuing = false;
    for (i, line) in block.body.lines().enumerate() {
        let at = block.line + 1 + i;
        if continuing {
            let step = steps.last_mut().unwrap();
            let (text, more) = match line.trim_end().strip_suffix('\\') {
                Some(head) => (head, true),
                None => (line, false),
            };
            step.text.push(' ');
            step.text.push_str(text);
            continuing = more;
        } else if let Some(command) = line.strip_prefix("$ ") {
            let (text, more) = match command.trim_end().strip_suffix('\\') {
                Some(head) => (head, true),
                None => (command, false),
            };
            steps.push(Step {
                line: at,
                text: text.to_string(),
                expected: None,
            });
            continuing = more;
        } else {
            let Some(step) = steps.last_mut() else {
                return Err(format!(
                    "line {at}: output before any `$ ` command in a console block"
                ));
            };
            let out = step.expected.get_or_insert_with(String::new);
            out.push_str(line);
            out.push('\n');
        }
    }
    if steps.is_empty() {
        return Err(format!(
            "line {}: a console block without a `$ ` command",
            block.line
        ));
    }
    Ok(steps)
}

/// Whether `actual` reads as `expected`: line by line, trailing spaces and surrounding blank
/// lines ignored, `…` in a line matching any text and a line of only `…` any lines.
fn matches(expected: &str, actual: &str) -> bool {
    fn lines(text: &str) -> Vec<&str> {
        let mut lines: Vec<&str> = text.lines().map(str::trim_end).collect();
        while lines.first() == Some(&"") {
            lines.remove(0);
        }
        while lines.last() == Some(&"") {
            lines.pop();
        }
        lines
    }
    fn line_matches(pattern: &str, line: &str) -> bool {
        let parts: Vec<&str> = pattern.split('…').collect();
        if parts.len() == 1 {
            return pattern == line;
        }
        let Some(mut rest) = line.strip_prefix(parts[0]) else {
            return false;
        };
        let last = parts.len() - 1;
        for part in &parts[1..last] {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
        rest.ends_with(parts[last])
    }
    fn from(expected: &[&str], actual: &[&str]) -> bool {
        match expected.split_first() {
            None => actual.is_empty(),
            Some((&"…", rest)) => (0..=actual.len()).any(|skip| from(rest, &actual[skip..])),
            Some((pattern, rest)) => actual
                .split_first()
                .is_some_and(|(line, more)| line_matches(pattern, line) && from(rest, more)),
        }
    }
    from(&lines(expected), &lines(actual))
}

/// How a block's command was checked.
#[derive(Default)]
struct Counts {
    run: usize,
    parsed: usize,
}

/// The sandbox and the arguments of `benchanim` a command line stands for, or `None` when it is
/// another program, checked here.
fn benchanim_args(words: &[String]) -> Result<Option<(Vec<String>, bool)>, String> {
    let Some(program) = words.first() else {
        return Err("an empty command".to_string());
    };
    if program == "benchanim" {
        return Ok(Some((words[1..].to_vec(), false)));
    }
    if program.starts_with("scripts/") {
        let path = root().join(program);
        let meta = std::fs::metadata(&path).map_err(|_| format!("{program} does not exist"))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if meta.permissions().mode() & 0o111 == 0 {
                return Err(format!("{program} is not executable"));
            }
        }
        let _ = meta;
        return Ok(None);
    }
    if program == "cargo" {
        check_cargo(&words[1..])?;
        if words.get(1).map(String::as_str) == Some("run") {
            let dashes = words.iter().position(|w| w == "--");
            let args = dashes
                .map(|at| words[at + 1..].to_vec())
                .unwrap_or_default();
            // Built and run by cargo: parsed only.
            return Ok(Some((args, true)));
        }
        return Ok(None);
    }
    Err(format!(
        "`{program}`: an example runs benchanim, cargo or scripts/; show other programs' \
         commands in a ```text block"
    ))
}

/// `cargo` options name things that must exist.
fn check_cargo(args: &[String]) -> Result<(), String> {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let manifest: toml::Table = toml::from_str(&manifest).unwrap();
    let end = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let args = &args[..end];
    for pair in args.windows(2) {
        let (option, value) = (pair[0].as_str(), pair[1].as_str());
        let found = match option {
            "--features" => value
                .split(',')
                .all(|f| manifest.get("features").and_then(|t| t.get(f)).is_some()),
            "--test" => root().join("tests").join(format!("{value}.rs")).exists(),
            "--bench" => root().join("benches").join(format!("{value}.rs")).exists(),
            "--example" => root().join("examples").join(format!("{value}.rs")).exists(),
            _ => true,
        };
        if !found {
            return Err(format!("cargo {option} {value}: there is no such thing"));
        }
    }
    Ok(())
}

/// Runs `benchanim ARGS --help` (before a `--`): the subcommand, its options and their values
/// must parse.
fn parse_check(sandbox: &Sandbox, args: &[String]) -> Result<(), String> {
    let mut with_help = args.to_vec();
    let at = with_help
        .iter()
        .position(|a| a == "--")
        .unwrap_or(with_help.len());
    with_help.insert(at, "--help".to_string());
    let (code, output) = sandbox.run(&with_help);
    if code != 0 {
        return Err(format!(
            "`benchanim {}` does not parse:\n{output}",
            args.join(" ")
        ));
    }
    Ok(())
}

/// What a runnable command becomes: `render`, `compare` and `plot` write only the still.
fn runnable(args: &[String]) -> Vec<String> {
    let Some(sub) = args.first() else {
        return args.to_vec();
    };
    if !matches!(sub.as_str(), "render" | "compare" | "plot") {
        return args.to_vec();
    }
    let mut out = Vec::new();
    // The stills asked for (PNG, SVG) are quick to write; the videos are left out.
    let mut stills = Vec::new();
    let mut formats = args.iter().peekable();
    while let Some(a) = formats.next() {
        let listed = match a.strip_prefix("--format=") {
            Some(list) => list.to_string(),
            None if a == "--format" => formats.next().cloned().unwrap_or_default(),
            None => {
                out.push(a.clone());
                continue;
            }
        };
        stills.extend(
            listed
                .split(',')
                .filter(|f| matches!(*f, "png" | "svg"))
                .map(str::to_string),
        );
    }
    if stills.is_empty() {
        stills.push("png".to_string());
    }
    out.extend(["--format".to_string(), stills.join(",")]);
    out
}

fn is_help(args: &[String]) -> bool {
    args.iter()
        .take_while(|a| *a != "--")
        .any(|a| a == "--help" || a == "-h")
        || args.first().map(String::as_str) == Some("help")
}

/// Checks the commands of a `sh` or `console` block in one sandbox.
fn check_commands(block: &Block, steps: &[Step], counts: &mut Counts) -> Result<(), String> {
    let parse_only = block.has("no-run");
    let want_exit: i32 = match block.attr("exit") {
        Some(code) => code.parse().map_err(|_| format!("exit={code}"))?,
        None => 0,
    };
    let sandbox = Sandbox::new();
    let mut last_code = 0;
    for step in steps {
        let (words, substituted) = shell_words(&step.text).map_err(|e| at(step.line, &e))?;
        let Some((args, cargo_run)) = benchanim_args(&words).map_err(|e| at(step.line, &e))? else {
            counts.parsed += 1;
            continue;
        };
        let is_bench = args.first().map(String::as_str) == Some("bench");
        if parse_only || cargo_run || substituted || (is_bench && !is_help(&args)) {
            if step.expected.is_some() {
                return Err(at(
                    step.line,
                    "shows output but is not run (no-run, bench or $(…)): show it in text",
                ));
            }
            parse_check(&sandbox, &args).map_err(|e| at(step.line, &e))?;
            counts.parsed += 1;
            continue;
        }
        let (code, output) = sandbox.run(&runnable(&args));
        counts.run += 1;
        if let Some(expected) = &step.expected
            && !matches(expected, &output)
        {
            return Err(at(
                step.line,
                &format!(
                    "`{}` printed\n{output}\nbut the docs show\n{expected}",
                    step.text.trim()
                ),
            ));
        }
        let last = std::ptr::eq(step, steps.last().unwrap());
        if code != 0 && !(last && code == want_exit) {
            return Err(at(
                step.line,
                &format!("`{}` exited with {code}:\n{output}", step.text.trim()),
            ));
        }
        last_code = code;
    }
    if last_code != want_exit && counts.run > 0 {
        return Err(at(
            block.line,
            &format!("the block's commands end with {last_code}, not exit={want_exit}"),
        ));
    }
    Ok(())
}

fn at(line: usize, message: &str) -> String {
    format!("line {line}: {message}")
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

/// A scene: written into the sandbox's scenes/, then `data` and `render` over its results.
/// `expected` is the following text block, for scenes that fail or warn.
fn check_scene(block: &Block, expected: Option<&Block>) -> Result<(), String> {
    let name = block.attr("name").unwrap_or("example");
    let results = block.attr("results").unwrap_or(DEFAULT_RESULTS);
    let sandbox = Sandbox::new();
    let path = sandbox.path().join("scenes").join(format!("{name}.toml"));
    if path.exists() {
        return Err(format!(
            "name={name}: scenes/ already has a scene of that name"
        ));
    }
    std::fs::write(&path, &block.body).unwrap();
    if !sandbox.path().join(results).is_dir() {
        return Err(format!("results={results} is not a folder"));
    }
    let failing = block.has("error");
    let warning = block.has("warning");
    let strict = if failing || warning { "" } else { " --strict" };
    let data = words(&format!("data {name} --results {results}{strict}"));
    let (code, output) = sandbox.run(&data);
    if failing || warning {
        let Some(expected) = expected.filter(|b| b.lang == "text") else {
            return Err("an error or warning example needs a ```text block after it".to_string());
        };
        if (code != 0) != failing {
            return Err(format!(
                "`benchanim {}` exited with {code}:\n{output}",
                data.join(" ")
            ));
        }
        // The message, without the table a warning comes with.
        let printed: String = output
            .lines()
            .filter(|l| l.starts_with("error:") || l.starts_with("warning:") || l.starts_with("  "))
            .map(|l| format!("{l}\n"))
            .collect();
        if !matches(&expected.body, &printed) {
            return Err(format!(
                "`benchanim {}` printed\n{output}\nbut the docs show\n{}",
                data.join(" "),
                expected.body
            ));
        }
        if failing {
            return Ok(());
        }
    } else if code != 0 || !output.is_empty() && output.contains("warning") {
        return Err(format!(
            "`benchanim {}` exited with {code}:\n{output}",
            data.join(" ")
        ));
    }
    let render = words(&format!(
        "render {name} --results {results} --format png --quiet"
    ));
    let (code, output) = sandbox.run(&render);
    // `--quiet` leaves the errors, warnings and what a `for_each` scene skipped.
    if code != 0 || !warning && (output.contains("error") || output.contains("warning")) {
        return Err(format!(
            "`benchanim {}` exited with {code}:\n{output}",
            render.join(" ")
        ));
    }
    Ok(())
}

/// A metric catalog: `report` reads it from the current folder, and with --catalog.
fn check_catalog(block: &Block) -> Result<(), String> {
    let sandbox = Sandbox::new();
    std::fs::write(sandbox.path().join("metrics.toml"), &block.body).unwrap();
    for args in [
        format!("report --results {DEFAULT_RESULTS} --strict"),
        format!("report --results {DEFAULT_RESULTS} --strict --catalog metrics.toml"),
    ] {
        let (code, output) = sandbox.run(&words(&args));
        if code != 0 || output.contains("warning") {
            return Err(format!("`benchanim {args}` exited with {code}:\n{output}"));
        }
    }
    Ok(())
}

/// An experiment file: `bench experiment` reads and checks the file before its options, so
/// with `--timeout 0` a good file ends at that option, before any server is asked.
fn check_experiment(block: &Block) -> Result<(), String> {
    let name = block.attr("name").unwrap_or("experiment");
    let sandbox = Sandbox::new();
    let file = format!("{name}.toml");
    std::fs::write(sandbox.path().join(&file), &block.body).unwrap();
    let args = words(&format!("bench experiment {file} --timeout 0"));
    let (code, output) = sandbox.run(&args);
    if code != 1 || !output.contains("--timeout 0 is out of range") {
        return Err(format!(
            "`benchanim {}` did not accept the file:\n{output}",
            args.join(" ")
        ));
    }
    Ok(())
}

/// Checks every block of one document; how many were checked, and the failures.
fn check_document(doc: &str) -> (usize, Counts, Vec<String>) {
    let text = read(doc);
    let (blocks, _) = match blocks(&text) {
        Ok(b) => b,
        Err(e) => return (0, Counts::default(), vec![format!("{doc}: {e}")]),
    };
    let mut failures = Vec::new();
    let mut counts = Counts::default();
    let mut checked = 0;
    for (i, block) in blocks.iter().enumerate() {
        let next = blocks.get(i + 1);
        let result = match block.lang.as_str() {
            "toml" if block.has("catalog") => block
                .check_attrs(&["catalog"])
                .and_then(|()| check_catalog(block)),
            "toml" if block.has("experiment") => block
                .check_attrs(&["experiment", "name"])
                .and_then(|()| check_experiment(block)),
            "toml" => block
                .check_attrs(&["name", "results", "error", "warning"])
                .and_then(|()| check_scene(block, next)),
            "console" => block
                .check_attrs(&["no-run", "exit"])
                .and_then(|()| console_steps(block))
                .and_then(|steps| check_commands(block, &steps, &mut counts)),
            "sh" => block
                .check_attrs(&["no-run"])
                .and_then(|()| check_commands(block, &sh_steps(block), &mut counts)),
            // Shown, not run (a text block after an error or warning example is its output).
            "text" | "csv" | "json" if block.attrs.is_empty() => continue,
            "text" | "csv" | "json" => Err(format!("```{} takes no attributes", block.lang)),
            "" => Err("a code block needs a language: toml, console, sh, text, csv or json".into()),
            other => Err(format!(
                "```{other}: the examples are toml, console or sh (text, csv and json are shown)"
            )),
        };
        match result {
            Ok(()) => checked += 1,
            Err(e) => failures.push(format!("{doc}:{}: {e}", block.line)),
        }
    }
    if NO_EXAMPLES.contains(&doc) {
        if !blocks.is_empty() {
            failures.push(format!(
                "{doc} has code blocks now: take it off NO_EXAMPLES in tests/docs.rs"
            ));
        }
    } else if checked + failures.len() == 0 {
        failures.push(format!(
            "{doc}: no example was checked (is the fence syntax one this test reads?)"
        ));
    }
    (checked, counts, failures)
}

#[test]
fn every_example_in_the_docs_runs() {
    let mut failures = Vec::new();
    let mut summary = String::new();
    let mut total = 0;
    let only = std::env::var("BENCHANIM_DOCS").ok();
    for doc in documents() {
        if only
            .as_ref()
            .is_some_and(|only| !doc.contains(only.as_str()))
        {
            continue;
        }
        let (checked, counts, mut failed) = check_document(&doc);
        let _ = writeln!(
            summary,
            "{doc}: {checked} blocks checked ({} commands run, {} parsed)",
            counts.run, counts.parsed
        );
        total += checked;
        failures.append(&mut failed);
    }
    println!("{summary}{total} blocks in all");
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a document's headings.
fn anchors(doc: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(doc).unwrap();
    let (_, prose) = blocks(&text).unwrap();
    prose
        .lines()
        .filter_map(|l| {
            let hashes = l.len() - l.trim_start_matches('#').len();
            (hashes > 0 && l[hashes..].starts_with(' ')).then(|| slug(&l[hashes..]))
        })
        .collect()
}

/// The targets of a document's links `[text](target)` outside code, with their lines.
fn links(prose: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in prose.lines().enumerate() {
        // Inline code is not a link.
        let mut outside = String::new();
        for (j, part) in line.split('`').enumerate() {
            if j % 2 == 0 {
                outside.push_str(part);
            }
        }
        let mut rest = outside.as_str();
        while let Some(at) = rest.find("](") {
            let tail = &rest[at + 2..];
            let Some(end) = tail.find(')') else { break };
            out.push((i + 1, tail[..end].to_string()));
            rest = &tail[end..];
        }
    }
    out
}

#[test]
fn relative_links_point_at_files_that_exist() {
    let mut failures = Vec::new();
    let mut anchor_cache: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for doc in documents() {
        let (_, prose) = blocks(&read(&doc)).unwrap_or_else(|e| panic!("{doc}: {e}"));
        let base = root().join(&doc).parent().unwrap().to_path_buf();
        for (line, target) in links(&prose) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (path, anchor) = match target.split_once('#') {
                Some((p, a)) => (p, Some(a)),
                None => (target.as_str(), None),
            };
            let file = if path.is_empty() {
                root().join(&doc)
            } else {
                base.join(path)
            };
            if !file.exists() {
                failures.push(format!("{doc}:{line}: `{target}`: no such file"));
                continue;
            }
            if let Some(anchor) = anchor
                && file.extension().is_some_and(|e| e == "md")
            {
                let known = anchor_cache
                    .entry(file.clone())
                    .or_insert_with(|| anchors(&file));
                if !known.iter().any(|a| a == anchor) {
                    failures.push(format!("{doc}:{line}: `{target}`: no such heading"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn the_readme_links_every_docs_file() {
    let readme = read("README.md");
    let (_, prose) = blocks(&readme).unwrap();
    let targets: Vec<String> = links(&prose).into_iter().map(|(_, t)| t).collect();
    for doc in documents().into_iter().skip(1) {
        // A document without examples yet is named, not linked.
        let linked = targets
            .iter()
            .any(|t| t.split('#').next() == Some(doc.as_str()));
        let named = NO_EXAMPLES.contains(&doc.as_str()) && prose.contains(&doc);
        assert!(linked || named, "README.md does not link {doc}");
    }
}

/// The test's own reading of examples.
#[test]
fn examples_are_read_as_written() {
    let (words, substituted) =
        shell_words(r#"benchanim bench openai --server-pid "$(pgrep -n x)" --name 'a b' # note"#)
            .unwrap();
    assert_eq!(
        words,
        [
            "benchanim",
            "bench",
            "openai",
            "--server-pid",
            "1",
            "--name",
            "a b"
        ]
    );
    assert!(substituted);
    assert!(shell_words("benchanim report | head").is_err());

    assert!(matches("a\n…\nd", "a\nb\nc\nd\n"));
    assert!(matches("wrote x_…_y.csv", "wrote x_2026_y.csv  "));
    assert!(!matches("a\nb", "a\nc"));
    assert!(matches("\na\n\n", "a"));

    let text = "x\n\n  ```sh no-run\n  benchanim list \\\n    --scenes s\n  ```\n";
    let (found, _) = blocks(text).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].attrs, ["no-run"]);
    let steps = sh_steps(&found[0]);
    assert_eq!(steps.len(), 1);
    assert_eq!(
        shell_words(&steps[0].text).unwrap().0,
        ["benchanim", "list", "--scenes", "s"]
    );
    assert!(blocks("~~~toml\n~~~\n").is_err());

    assert_eq!(
        slug("`benchanim compare`: two benchmarks, without a scene"),
        "benchanim-compare-two-benchmarks-without-a-scene"
    );
}
